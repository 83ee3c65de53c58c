package dev.aigateway.governance.access;

import dev.aigateway.config.DeploymentParser;
import dev.aigateway.config.EnvReferences;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.router.ModelCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The allow-list rules on their own: the key rules kept from before, access groups, wildcard entries, catalog changes. */
class ModelAccessTest {
    static Deployment entry(String name, String groups) {
        String info = groups == null ? "{}" : "{\"access_groups\": " + groups + "}";
        return DeploymentParser.parse(Json.parse("{\"model_name\": \"" + name + "\", \"litellm_params\": {\"model\": \"mock/x\"}, "
                + "\"model_info\": " + info + "}"), "model_list[0]", EnvReferences.configFile(Map.<String, String>of()::get), Json.object(),
                true, new ArrayList<>());
    }

    final AtomicReference<ModelCatalog> catalog = new AtomicReference<>(new ModelCatalog(List.of(
            entry("gpt-4o", "[\"beta\"]"), entry("openai/gpt-4o-mini", null), entry("claude-*", "[\"beta\", \"anthropic\"]"),
            entry("other", null))));
    final ModelAccess access = new ModelAccess(catalog::get);

    @Test
    void theRulesKeysHadBefore() {
        assertThat(access.allows((List<String>) null, "anything")).isTrue();
        assertThat(access.allows(List.of(), "anything")).isTrue();
        assertThat(access.allows(List.of("*"), "anything")).isTrue();
        assertThat(access.allows(List.of("all-proxy-models"), "anything")).isTrue();
        assertThat(access.allows(List.of("other"), "other")).isTrue();
        assertThat(access.allows(List.of("other"), "gpt-4o")).isFalse();
        assertThat(access.allows(List.of("openai/*"), "openai/gpt-4o-mini")).isTrue();
        assertThat(access.allows(List.of("openai/*"), "gpt-4o")).isFalse();
    }

    @Test
    void aGroupExpandsToItsModelNamesAndItsWildcardEntriesNames() {
        assertThat(access.allows(List.of("beta"), "gpt-4o")).isTrue();
        assertThat(access.allows(List.of("beta"), "claude-sonnet-4-5")).as("served by claude-*").isTrue();
        assertThat(access.allows(List.of("beta"), "other")).isFalse();
        assertThat(access.allows(List.of("anthropic"), "gpt-4o")).isFalse();
        assertThat(access.allows(List.of("claude-*"), "claude-opus-4-1")).as("the wildcard model_name itself").isTrue();
        assertThat(access.allows(List.of("no-such-group"), "gpt-4o")).isFalse();
    }

    @Test
    void aNewCatalogRecompilesTheLists() {
        assertThat(access.allows(List.of("beta"), "other")).isFalse();
        catalog.set(new ModelCatalog(List.of(entry("other", "[\"beta\"]"))));
        assertThat(access.allows(List.of("beta"), "other")).isTrue();
        assertThat(access.allows(List.of("beta"), "gpt-4o")).isFalse();
    }
}
