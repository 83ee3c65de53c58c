package dev.aigateway.governance;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first-run rule (docs/operations.md) on a real gateway: with {@code allow_master_key_for_llm_routes: false} the master key
 * answers LLM routes only until the first virtual key exists; admin, health and model-list routes keep accepting it.
 * Without the setting (the default) the master key keeps working everywhere, as in LiteLLM.
 */
class MasterKeyFallbackTest {
    static final String MODELS = """
            model_list:
              - model_name: mock
                litellm_params:
                  model: mock/mock-gpt
            """;
    static final String CHAT = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String EMBED = "{\"model\":\"mock\",\"input\":\"hi\"}";

    @Test
    void enforcedRuleRefusesTheMasterKeyOnLlmRoutesOnceAVirtualKeyExists() {
        try (TestGateway gw = TestGateway.start(MODELS + "general_settings:\n  allow_master_key_for_llm_routes: false\n")) {
            // first run: no virtual key yet, the master key is the fallback
            assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);

            HttpResponse<String> made = gw.post("/key/generate", "{\"key_alias\":\"webui\"}");
            assertThat(made.statusCode()).isEqualTo(200);
            String virtualKey = TestGateway.json(made).path("key").asText();

            HttpResponse<String> refused = gw.post("/v1/chat/completions", CHAT);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(TestGateway.json(refused).path("error").path("message").asText()).isEqualTo(MasterKeyFallback.MESSAGE);
            assertThat(TestGateway.json(refused).path("error").path("code").asText()).isEqualTo("invalid_api_key");
            assertThat(gw.post("/chat/completions", CHAT).statusCode()).isEqualTo(401); // also without the /v1 prefix
            assertThat(gw.post("/v1/embeddings", EMBED).statusCode()).isEqualTo(401);

            // the virtual key works; admin, health and listing routes still take the master key
            assertThat(gw.post("/v1/chat/completions", CHAT, virtualKey).statusCode()).isEqualTo(200);
            assertThat(gw.get("/v1/models", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
            assertThat(gw.get("/key/list", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
            assertThat(gw.get("/model/info", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
            assertThat(gw.get("/health/readiness", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anAdminSignedInToTheUiKeepsThePlaygroundWhenTheRuleIsOn() {
        try (TestGateway gw = TestGateway.start(MODELS)) {
            assertThat(gw.post("/key/generate", "{}").statusCode()).isEqualTo(200);
            MasterKeyFallback rule = new MasterKeyFallback(false, gw.server().governance().keys());
            String masterHash = Authenticator.hash(TestGateway.MASTER_KEY);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rule.check(new Principal(masterHash, "master-key", true, null)))
                    .hasMessage(MasterKeyFallback.MESSAGE);
            rule.check(new Principal(masterHash, "ui:admin", true, null)); // a UI session: allowed
            new MasterKeyFallback(true, gw.server().governance().keys()).check(new Principal(masterHash, "master-key", true, null));
        }
    }

    @Test
    void byDefaultTheMasterKeyKeepsWorkingOnLlmRoutesAfterVirtualKeysExist() {
        try (TestGateway gw = TestGateway.start(MODELS)) {
            assertThat(gw.post("/key/generate", "{\"key_alias\":\"webui\"}").statusCode()).isEqualTo(200);
            assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
            assertThat(gw.post("/v1/embeddings", EMBED).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void explicitTrueAllowsTheMasterKey() {
        try (TestGateway gw = TestGateway.start(MODELS + "general_settings:\n  allow_master_key_for_llm_routes: true\n")) {
            assertThat(gw.post("/key/generate", "{}").statusCode()).isEqualTo(200);
            assertThat(gw.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theSettingIsAKnownGeneralSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("config.yaml"), MODELS + "general_settings:\n  allow_master_key_for_llm_routes: false\n");
        var config = dev.aigateway.config.ConfigLoader.load(java.util.Map.of(), java.util.Map.of(), dir);
        assertThat(config.warnings()).isEmpty(); // not "is not supported yet and was ignored"
        assertThat(config.general().allowMasterKeyForLlmRoutes()).isFalse(); // its spellings: config/GeneralSettingsTest
    }
}
