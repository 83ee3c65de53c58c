package dev.aigateway.governance.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.keys.KeyRequest.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The key fields of /key/generate, /key/update and /key/regenerate on their own: each wrong value is a 400 whose
 * {@code param} names the field, amounts and counts are bounded, and the request is a patch (absent: unchanged,
 * null: cleared to the key's default).
 */
class KeyRequestTest {
    static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");

    static ObjectNode body(String json) {
        return (ObjectNode) Json.parse(json);
    }

    static KeyRequest parse(String json, Route route) {
        return KeyRequest.parse(body(json), route);
    }

    static GatewayException refused(String json, Route route) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> parse(json, route));
        assertThat(e).as("should be refused: " + json).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("invalid_request_error");
        return e;
    }

    static VirtualKey blank() {
        return KeyRequest.blank("hash", "sk-...abcd", T0, "master");
    }

    /** A key with every patchable field set, to see what a patch clears and what it keeps. */
    static VirtualKey full() {
        return parse("""
                {"key_alias":"team-a","models":["gpt-4o"],"max_budget":10,"soft_budget":5,"budget_duration":"30d",
                 "model_max_budget":{"gpt-4o":2},"rpm_limit":60,"tpm_limit":1000,"max_parallel_requests":3,
                 "model_rpm_limit":{"gpt-4o":5},"model_tpm_limit":{"gpt-4o":50},"duration":"1h","metadata":{"k":"v"},
                 "user_id":"u","team_id":"t","blocked":true,"aliases":{"fast":"gpt-4o"},"allowed_routes":["/v1/chat/completions"],
                 "key_type":"llm_api","spend":1.5}""", Route.GENERATE).applyTo(blank(), T0);
    }

    @Test
    void aBlankKeyHasTheDefaults() {
        VirtualKey k = blank();
        assertThat(k.keyType()).isEqualTo("default");
        assertThat(k.spend()).isZero();
        assertThat(k.maxBudget()).isNull();
        assertThat(k.expiresAt()).isNull();
        assertThat(k.models()).isEmpty();
        assertThat(k.blocked()).isFalse();
        assertThat(k.createdAt()).isEqualTo(T0);
        assertThat(k.createdBy()).isEqualTo("master");
    }

    @Test
    void everyFieldIsAppliedAndWindowsStartNow() {
        VirtualKey k = full();
        assertThat(k.keyAlias()).isEqualTo("team-a");
        assertThat(k.models()).containsExactly("gpt-4o");
        assertThat(k.maxBudget()).isEqualTo(10.0);
        assertThat(k.softBudget()).isEqualTo(5.0);
        assertThat(k.budgetDuration()).isEqualTo("30d");
        assertThat(k.budgetResetAt()).isAfter(T0);
        assertThat(k.modelMaxBudget()).containsOnlyKeys("gpt-4o");
        assertThat(k.rpmLimit()).isEqualTo(60L);
        assertThat(k.tpmLimit()).isEqualTo(1000L);
        assertThat(k.maxParallelRequests()).isEqualTo(3L);
        assertThat(k.modelRpmLimit()).containsEntry("gpt-4o", 5L);
        assertThat(k.modelTpmLimit()).containsEntry("gpt-4o", 50L);
        assertThat(k.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(k.metadata().path("k").asText()).isEqualTo("v");
        assertThat(k.userId()).isEqualTo("u");
        assertThat(k.teamId()).isEqualTo("t");
        assertThat(k.blocked()).isTrue();
        assertThat(k.aliases()).containsEntry("fast", "gpt-4o");
        assertThat(k.allowedRoutes()).containsExactly("/v1/chat/completions");
        assertThat(k.keyType()).isEqualTo("llm_api");
        assertThat(k.spend()).isEqualTo(1.5);
    }

    @Test
    void anAbsentFieldKeepsItsValueAndANullOneClearsIt() {
        VirtualKey k = full();
        Instant later = T0.plusSeconds(60);
        VirtualKey same = parse("{\"key\":\"sk-whatever\"}", Route.UPDATE).applyTo(k, later);
        assertThat(same).usingRecursiveComparison().ignoringFields("updatedAt").isEqualTo(k);
        assertThat(same.updatedAt()).isEqualTo(later);

        VirtualKey cleared = parse("""
                {"key_alias":null,"models":null,"max_budget":null,"budget_duration":null,"model_max_budget":null,"rpm_limit":null,
                 "model_rpm_limit":null,"duration":null,"metadata":null,"blocked":null,"aliases":null,"allowed_routes":null,"key_type":null}""",
                Route.UPDATE).applyTo(k, later);
        assertThat(cleared.keyAlias()).isNull();
        assertThat(cleared.models()).as("collections clear to empty, not null").isEmpty();
        assertThat(cleared.maxBudget()).isNull();
        assertThat(cleared.budgetDuration()).isNull();
        assertThat(cleared.budgetResetAt()).isNull();
        assertThat(cleared.modelMaxBudget()).isEmpty();
        assertThat(cleared.rpmLimit()).isNull();
        assertThat(cleared.modelRpmLimit()).isEmpty();
        assertThat(cleared.expiresAt()).as("never expires").isNull();
        assertThat(cleared.metadata().isEmpty()).isTrue();
        assertThat(cleared.blocked()).isFalse();
        assertThat(cleared.aliases()).isEmpty();
        assertThat(cleared.allowedRoutes()).isEmpty();
        assertThat(cleared.keyType()).isEqualTo("default");
        assertThat(cleared.tpmLimit()).as("not in the body: kept").isEqualTo(1000L);
        assertThat(cleared.spend()).as("spend is never cleared by an update").isEqualTo(1.5);
    }

    @Test
    void expiryIsADurationAnAbsoluteTimeOrNeverButNotBoth() {
        assertThat(parse("{\"duration\":\"2d\"}", Route.GENERATE).applyTo(blank(), T0).expiresAt()).isEqualTo(T0.plus(Duration.ofDays(2)));
        assertThat(parse("{\"expires\":\"2030-01-31T00:00:00Z\"}", Route.GENERATE).applyTo(blank(), T0).expiresAt())
                .isEqualTo(Instant.parse("2030-01-31T00:00:00Z"));
        KeyRequest never = parse("{\"duration\":\"-1\"}", Route.UPDATE);
        assertThat(never.has("expires")).isTrue();
        assertThat(never.applyTo(full(), T0).expiresAt()).as("LiteLLM's -1: never expires").isNull();
        assertThat(parse("{\"expires\":null}", Route.UPDATE).applyTo(full(), T0).expiresAt()).isNull();
        assertThat(parse("{}", Route.UPDATE).has("expires")).isFalse();

        GatewayException both = refused("{\"duration\":\"1h\",\"expires\":\"2030-01-31T00:00:00Z\"}", Route.GENERATE);
        assertThat(both.param()).isEqualTo("duration");
        assertThat(refused("{\"expires\":\"next tuesday\"}", Route.GENERATE).param()).isEqualTo("expires");
        assertThat(refused("{\"duration\":\"forever\"}", Route.GENERATE).param()).isEqualTo("duration");
        assertThat(refused("{\"duration\":3600}", Route.GENERATE).getMessage()).isEqualTo("'duration' must be a string, not the number 3600.");
    }

    /** field, a value accepted at the edge, one refused past it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max_budget            | 1000000000             | 1000000000.01",
            "max_budget            | 0                      | -0.01",
            "soft_budget           | 1000000000             | 1e400",
            "rpm_limit             | 1000000000000000       | 1000000000000001",
            "tpm_limit             | 0                      | -1",
            "max_parallel_requests | 5.0                    | 5.5",
            "rpm_limit             | 7                      | \"7\"",
            "max_budget            | 1                      | \"1\"",
    })
    void amountsAndCountsAreBounded(String field, String edge, String past) {
        assertThat(parse("{\"" + field + "\":" + edge + "}", Route.GENERATE).has(field)).isTrue();
        GatewayException e = refused("{\"" + field + "\":" + past + "}", Route.GENERATE);
        assertThat(e.param()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith("'" + field + "' must be");
    }

    @Test
    void perModelMapsNameTheFieldAndCheckEachValue() {
        VirtualKey k = parse("{\"model_max_budget\":{\"a\":1.5,\"b\":{\"budget_limit\":2,\"time_period\":\"1d\"}}}", Route.GENERATE)
                .applyTo(blank(), T0);
        assertThat(k.modelMaxBudget().get("a").budgetLimit()).isEqualTo(1.5);
        assertThat(k.modelMaxBudget().get("b").timePeriod()).isEqualTo("1d");
        for (String bad : new String[] {"{\"a\":-1}", "{\"a\":\"1\"}", "{\"a\":{}}", "{\"a\":{\"budget_limit\":1,\"time_period\":5}}",
                "{\"a\":{\"budget_limit\":1,\"time_period\":\"soon\"}}", "[1]"}) {
            assertThat(refused("{\"model_max_budget\":" + bad + "}", Route.GENERATE).param()).as(bad).isEqualTo("model_max_budget");
        }
        for (String f : new String[] {"model_rpm_limit", "model_tpm_limit"}) {
            assertThat(parse("{\"" + f + "\":{\"m\":10}}", Route.GENERATE).applyTo(blank(), T0)).isNotNull();
            assertThat(refused("{\"" + f + "\":{\"m\":-1}}", Route.GENERATE).param()).isEqualTo(f);
            assertThat(refused("{\"" + f + "\":{\"m\":1.5}}", Route.GENERATE).param()).isEqualTo(f);
            assertThat(refused("{\"" + f + "\":[]}", Route.GENERATE).param()).isEqualTo(f);
        }
        assertThat(refused("{\"aliases\":{\"fast\":1}}", Route.GENERATE).param()).isEqualTo("aliases");
    }

    @Test
    void namesAndListsAreCheckedForTypeLengthAndBlankness() {
        for (String f : new String[] {"key_alias", "user_id", "team_id"}) {
            assertThat(refused("{\"" + f + "\":\"  \"}", Route.GENERATE).param()).isEqualTo(f);
            assertThat(refused("{\"" + f + "\":5}", Route.GENERATE).param()).isEqualTo(f);
            assertThat(refused("{\"" + f + "\":\"" + "x".repeat(256) + "\"}", Route.GENERATE).getMessage()).contains("longer than 255");
            assertThat(parse("{\"" + f + "\":\"" + "x".repeat(255) + "\"}", Route.GENERATE).has(f)).isTrue();
        }
        for (String f : new String[] {"models", "allowed_routes"}) {
            assertThat(refused("{\"" + f + "\":\"gpt-4o\"}", Route.GENERATE).param()).isEqualTo(f);
            assertThat(refused("{\"" + f + "\":[\"\"]}", Route.GENERATE).param()).isEqualTo(f);
            assertThat(refused("{\"" + f + "\":[1]}", Route.GENERATE).param()).isEqualTo(f);
        }
        assertThat(refused("{\"metadata\":[]}", Route.GENERATE).param()).isEqualTo("metadata");
        assertThat(refused("{\"blocked\":\"yes\"}", Route.UPDATE).param()).isEqualTo("blocked");
    }

    @Test
    void keyTypeIsOneOfFiveNames() {
        for (String t : List.of("default", "llm_api", "management", "read_only", "admin")) {
            assertThat(parse("{\"key_type\":\"" + t + "\"}", Route.GENERATE).applyTo(blank(), T0).keyType()).isEqualTo(t);
        }
        GatewayException e = refused("{\"key_type\":\"superuser\"}", Route.GENERATE);
        assertThat(e.param()).isEqualTo("key_type");
        assertThat(e.getMessage()).contains("default, llm_api, management, read_only or admin");
    }

    @Test
    void theCustomKeyFieldDependsOnTheRoute() {
        assertThat(parse("{\"key\":\"sk-mine-123\"}", Route.GENERATE).customKey()).isEqualTo("sk-mine-123");
        assertThat(parse("{\"key\":\"sk-mine-123\"}", Route.UPDATE).customKey()).as("on update 'key' names the key to change").isNull();
        assertThat(parse("{\"key\":\"sk-old\",\"new_key\":\"sk-new-456\"}", Route.REGENERATE).customKey()).isEqualTo("sk-new-456");
        assertThat(parse("{\"new_key\":\"sk-new-456\"}", Route.GENERATE).customKey()).isNull();
        assertThat(parse("{\"key\":null}", Route.GENERATE).customKey()).as("null: a random key").isNull();
        for (String bad : new String[] {"\"pk-123\"", "\"sk-\"", "\"sk-has space\"", "\"sk-tab\\tx\"", "\"sk-" + "x".repeat(253) + "\"", "42"}) {
            assertThat(refused("{\"key\":" + bad + "}", Route.GENERATE).param()).as(bad).isEqualTo("key");
            assertThat(refused("{\"new_key\":" + bad + "}", Route.REGENERATE).param()).as(bad).isEqualTo("new_key");
        }
    }

    @Test
    void spendCanOnlyBeAStartingValueOnGenerate() {
        assertThat(parse("{\"spend\":null}", Route.GENERATE).applyTo(blank(), T0).spend()).isZero();
        for (Route r : new Route[] {Route.UPDATE, Route.REGENERATE}) {
            GatewayException e = refused("{\"spend\":0}", r);
            assertThat(e.param()).isEqualTo("spend");
            assertThat(e.getMessage()).contains("only be given as a starting value to /key/generate");
        }
    }

    @Test
    void fieldsLiteLlmHasAndTheGatewayDoesNotUseAreIgnored() {
        KeyRequest r = parse("{\"tags\":[\"x\"],\"guardrails\":[\"g\"],\"permissions\":{\"a\":1},\"rpm_limit\":5}", Route.GENERATE);
        VirtualKey k = r.applyTo(blank(), T0);
        assertThat(k.rpmLimit()).isEqualTo(5L);
        assertThat(r.has("tags")).isFalse();
        assertThat(k.metadata().isEmpty()).isTrue();
    }
}
