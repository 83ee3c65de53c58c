package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.testing.MutableClock;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key admin API as clients meet it: who may call which route, and what each key setting does to
 * requests on the LLM routes (blocking, expiry, regeneration, models, aliases, routes), plus the 400s
 * that name the offending field.
 */
class KeyAdminApiTest {
    static TestGateway gw;
    static KeyApi api;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(KeyApi.CONFIG);
        api = new KeyApi(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String newKey(String json) {
        return api.generate(json).path("key").asText();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // --- who may call

    @Test
    void adminRoutesNeedTheMasterKeyOrAManagementKey() {
        KeyApi.error(gw.post("/key/generate", "{}", null), 401, "authentication_error");
        KeyApi.error(gw.post("/key/generate", "{}", "sk-not-a-key"), 401, "authentication_error");
        KeyApi.error(gw.get("/key/list", null), 401, "authentication_error");

        String normal = newKey("{}");
        for (String path : new String[]{"/key/generate", "/key/update", "/key/delete", "/key/block", "/key/unblock", "/key/regenerate"}) {
            JsonNode e = KeyApi.error(gw.post(path, "{\"key\": \"" + normal + "\"}", normal), 403, "permission_error");
            assertThat(e.path("message").asText()).as(path).contains("master key");
        }
        KeyApi.error(gw.get("/key/list", normal), 403, "permission_error");

        for (String type : new String[]{"management", "admin"}) {
            String admin = newKey("{\"key_type\": \"" + type + "\"}");
            HttpResponse<String> r = gw.post("/key/generate", "{\"key_alias\": \"" + unique("by-" + type) + "\"}", admin);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode made = TestGateway.json(r);
            assertThat(made.path("created_by").asText()).isNotEqualTo("master-key");
            assertThat(api.chat(made.path("key").asText(), "mock").statusCode()).isEqualTo(200);
            assertThat(gw.get("/key/list", admin).statusCode()).isEqualTo(200);
            assertThat(gw.post("/key/block", "{\"key\": \"" + normal + "\"}", admin).statusCode()).isEqualTo(200);
            assertThat(gw.post("/key/unblock", "{\"key\": \"" + normal + "\"}", admin).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aKeyReadsItsOwnInfoAndAReadOnlyKeyReadsAllButWritesNothing() {
        JsonNode mine = api.generate("{\"key_alias\": \"" + unique("own") + "\", \"max_budget\": 3}");
        String key = mine.path("key").asText();
        String other = newKey("{}");

        JsonNode own = TestGateway.json(gw.get("/key/info", key));
        assertThat(own.path("key").asText()).isEqualTo(Authenticator.hash(key));
        assertThat(own.path("info").path("max_budget").asDouble()).isEqualTo(3.0);
        assertThat(own.path("info").path("key_alias").asText()).isEqualTo(mine.path("key_alias").asText());
        assertThat(gw.get("/key/info?key=" + key, key).statusCode()).isEqualTo(200);
        KeyApi.error(gw.get("/key/info?key=" + other, key), 403, "permission_error");

        String readOnly = newKey("{\"key_type\": \"read_only\"}");
        assertThat(TestGateway.json(gw.get("/key/info?key=" + Authenticator.hash(key), readOnly)).path("info").path("max_budget").asDouble())
                .isEqualTo(3.0);
        JsonNode list = TestGateway.json(gw.get("/key/list?size=100", readOnly));
        assertThat(list.path("total_count").asLong()).isGreaterThanOrEqualTo(3);
        KeyApi.error(gw.post("/key/generate", "{}", readOnly), 403, "permission_error");
        KeyApi.error(gw.post("/key/delete", "{\"keys\": [\"" + other + "\"]}", readOnly), 403, "permission_error");

        KeyApi.error(gw.get("/key/info", TestGateway.MASTER_KEY), 400, "invalid_request_error");
        KeyApi.error(gw.get("/key/info?key=sk-unknown", TestGateway.MASTER_KEY), 404, "invalid_request_error");
    }

    // --- what key settings do to requests

    @Test
    void blockedKeysGet401UntilUnblocked() {
        String key = newKey("{}");
        assertThat(api.chat(key, "mock").statusCode()).isEqualTo(200);

        JsonNode blocked = api.ok(api.post("/key/block", "{\"key\": \"" + key + "\"}"));
        assertThat(blocked.path("blocked").asBoolean()).isTrue();
        assertThat(blocked.path("token").asText()).isEqualTo(Authenticator.hash(key));
        assertThat(blocked.toString()).doesNotContain(key);
        JsonNode e = KeyApi.error(api.chat(key, "mock"), 401, "authentication_error");
        assertThat(e.path("message").asText()).contains("blocked");
        assertThat(api.info(key).path("info").path("blocked").asBoolean()).isTrue();

        JsonNode unblocked = api.ok(api.post("/key/unblock", "{\"key\": \"" + Authenticator.hash(key) + "\"}"));
        assertThat(unblocked.path("blocked").asBoolean()).isFalse();
        assertThat(api.chat(key, "mock").statusCode()).isEqualTo(200);

        // "blocked" on generate and update works the same way
        String born = newKey("{\"blocked\": true}");
        KeyApi.error(api.chat(born, "mock"), 401, "authentication_error");
        api.ok(api.post("/key/update", "{\"key\": \"" + born + "\", \"blocked\": false}"));
        assertThat(api.chat(born, "mock").statusCode()).isEqualTo(200);
    }

    @Test
    void regenerateReplacesTheKeyKeepingItsSettings() {
        String alias = unique("regen");
        JsonNode first = api.generate("{\"key_alias\": \"" + alias + "\", \"max_budget\": 1, \"models\": [\"mock\"], \"spend\": 0.5}");
        String a = first.path("key").asText();

        JsonNode second = api.ok(api.post("/key/regenerate", "{\"key\": \"" + a + "\", \"max_budget\": 7, \"rpm_limit\": 9}"));
        String b = second.path("key").asText();
        assertThat(b).isNotEqualTo(a).matches("sk-[0-9A-Za-z]{48}");
        assertThat(second.path("token").asText()).isEqualTo(Authenticator.hash(b));
        assertThat(second.path("key_name").asText()).isEqualTo("sk-..." + b.substring(b.length() - 4));
        assertThat(second.path("key_alias").asText()).isEqualTo(alias);
        assertThat(second.path("max_budget").asDouble()).isEqualTo(7.0);
        assertThat(second.path("rpm_limit").asLong()).isEqualTo(9);
        assertThat(second.path("spend").asDouble()).isEqualTo(0.5);
        assertThat(KeyRoundTripTest.texts(second.path("models"))).containsExactly("mock");

        KeyApi.error(api.chat(a, "mock"), 401, "authentication_error");
        assertThat(api.chat(b, "mock").statusCode()).isEqualTo(200);
        KeyApi.error(gw.get("/key/info?key=" + a, TestGateway.MASTER_KEY), 404, "invalid_request_error");
        assertThat(api.info(b).path("info").path("max_budget").asDouble()).isEqualTo(7.0);

        // LiteLLM's path form, naming the key by its hash
        JsonNode third = api.ok(api.post("/key/" + Authenticator.hash(b) + "/regenerate", ""));
        String c = third.path("key").asText();
        KeyApi.error(api.chat(b, "mock"), 401, "authentication_error");
        assertThat(api.chat(c, "mock").statusCode()).isEqualTo(200);
        assertThat(third.path("key_alias").asText()).isEqualTo(alias);

        // and with a chosen new key
        String custom = "sk-chosen-" + UUID.randomUUID();
        JsonNode fourth = api.ok(api.post("/v1/key/" + c + "/regenerate", "{\"new_key\": \"" + custom + "\"}"));
        assertThat(fourth.path("key").asText()).isEqualTo(custom);
        assertThat(api.chat(custom, "mock").statusCode()).isEqualTo(200);
        KeyApi.error(api.chat(c, "mock"), 401, "authentication_error");

        KeyApi.error(api.post("/key/regenerate", "{\"key\": \"sk-unknown\"}"), 404, "invalid_request_error");
        KeyApi.error(api.post("/key/" + custom + "/rotate", "{}"), 404, "invalid_request_error");
    }

    @Test
    void expiredKeysGet401() {
        // its own gateway, on a clock the test moves: the key expires without waiting for it
        MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
        try (TestGateway own = TestGateway.start(KeyApi.CONFIG, java.util.Map.of(), clock)) {
            KeyApi ownApi = new KeyApi(own);
            JsonNode g = ownApi.generate("{\"duration\": \"1h\"}");
            String key = g.path("key").asText();
            assertThat(Instant.parse(g.path("expires").asText())).isEqualTo(Instant.parse("2026-03-10T13:00:00Z"));
            assertThat(ownApi.chat(key, "mock").statusCode()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(59));
            assertThat(ownApi.chat(key, "mock").statusCode()).as("a minute before it expires").isEqualTo(200);
            clock.advance(Duration.ofMinutes(1));
            JsonNode e = KeyApi.error(ownApi.chat(key, "mock"), 401, "authentication_error");
            assertThat(e.path("message").asText()).contains("expired");
        }

        String past = newKey("{\"expires\": \"2000-01-01T00:00:00Z\"}");
        KeyApi.error(api.chat(past, "mock"), 401, "authentication_error");
        // and an expiry can be lifted
        api.ok(api.post("/key/update", "{\"key\": \"" + past + "\", \"duration\": null}"));
        assertThat(api.info(past).path("info").path("expires").isNull()).isTrue();
        assertThat(api.chat(past, "mock").statusCode()).isEqualTo(200);
    }

    @Test
    void modelsRestrictWhatAKeyMayCallWithWildcards() {
        String onlyMock = newKey("{\"models\": [\"mock\"]}");
        assertThat(KeyApi.content(api.chat(onlyMock, "mock"))).isEqualTo("from-mock");
        JsonNode e = KeyApi.error(api.chat(onlyMock, "other"), 403, "permission_error");
        assertThat(e.path("message").asText()).contains("other");

        String openai = newKey("{\"models\": [\"openai/*\"]}");
        assertThat(KeyApi.content(api.chat(openai, "openai/gpt-4o"))).isEqualTo("from-gpt-4o");
        assertThat(KeyApi.content(api.chat(openai, "openai/gpt-4o-mini"))).isEqualTo("from-gpt-4o-mini");
        assertThat(KeyApi.error(api.chat(openai, "mock"), 403, "permission_error").path("message").asText()).contains("mock");

        String all = newKey("{\"models\": []}");
        assertThat(api.chat(all, "other").statusCode()).isEqualTo(200);

        // /v1/models lists only what the key may use
        JsonNode models = TestGateway.json(gw.get("/v1/models", openai));
        assertThat(models.path("data").findValuesAsText("id")).containsExactlyInAnyOrder("openai/gpt-4o", "openai/gpt-4o-mini");
    }

    @Test
    void aliasesMapTheRequestedModel() {
        String key = newKey("{\"models\": [\"other\"], \"aliases\": {\"gpt-4\": \"other\"}}");
        assertThat(KeyApi.content(api.chat(key, "gpt-4"))).isEqualTo("from-other");
        KeyApi.error(api.chat(key, "mock"), 403, "permission_error");
    }

    @Test
    void allowedRoutesLimitTheRoutesAKeyMayCall() {
        String key = newKey("{\"allowed_routes\": [\"/chat/completions\"]}");
        assertThat(api.chat(key, "mock").statusCode()).isEqualTo(200);
        KeyApi.error(gw.post("/v1/embeddings", "{\"model\": \"mock\", \"input\": \"x\"}", key), 403, "permission_error");
        KeyApi.error(gw.get("/v1/models", key), 403, "permission_error");

        String v1 = newKey("{\"allowed_routes\": [\"/v1/embeddings\"]}");
        assertThat(gw.post("/v1/embeddings", "{\"model\": \"mock\", \"input\": \"x\"}", v1).statusCode()).isEqualTo(200);
        KeyApi.error(api.chat(v1, "mock"), 403, "permission_error");
    }

    @Test
    void allowedRoutesBindAManagementKeyOnAdminRoutesToo() {
        String chatOnly = newKey("{\"key_type\": \"management\", \"allowed_routes\": [\"/chat/completions\"]}");
        assertThat(api.chat(chatOnly, "mock").statusCode()).isEqualTo(200);
        String victim = newKey("{}");
        for (String path : new String[]{"/key/generate", "/key/update", "/key/delete", "/key/block", "/key/unblock", "/key/regenerate",
                "/key/" + victim + "/regenerate", "/model/new", "/model/update", "/model/delete", "/model/test"}) {
            JsonNode e = KeyApi.error(gw.post(path, "{\"key\": \"" + victim + "\"}", chatOnly), 403, "permission_error");
            assertThat(e.path("message").asText()).as(path).contains("allowed_routes").doesNotContain(victim);
        }
        for (String path : new String[]{"/key/list", "/key/info?key=" + victim, "/model/info", "/spend/logs", "/spend/daily", "/health",
                "/ui/api/deployments", "/v1/models", "/models/mock"}) {
            KeyApi.error(gw.get(path, chatOnly), 403, "permission_error");
        }
        assertThat(api.info(victim).path("info").path("blocked").asBoolean()).as("nothing was changed").isFalse();

        // LiteLLM's route groups and prefixes
        String manager = newKey("{\"key_type\": \"management\", \"allowed_routes\": [\"management_routes\"]}");
        assertThat(gw.post("/key/generate", "{}", manager).statusCode()).isEqualTo(200);
        assertThat(gw.get("/model/info", manager).statusCode()).isEqualTo(200);
        KeyApi.error(api.chat(manager, "mock"), 403, "permission_error");
        String keysOnly = newKey("{\"key_type\": \"management\", \"allowed_routes\": [\"/v1/key\", \"llm_api_routes\"]}");
        assertThat(gw.post("/key/block", "{\"key\": \"" + victim + "\"}", keysOnly).statusCode()).isEqualTo(200);
        assertThat(gw.post("/key/unblock", "{\"key\": \"" + victim + "\"}", keysOnly).statusCode()).isEqualTo(200);
        assertThat(api.chat(keysOnly, "mock").statusCode()).isEqualTo(200);
        KeyApi.error(gw.post("/model/new", "{}", keysOnly), 403, "permission_error");
    }

    @Test
    void customKeysMustStartWithSk() {
        String custom = "sk-my-own-" + UUID.randomUUID();
        JsonNode g = api.generate("{\"key\": \"" + custom + "\"}");
        assertThat(g.path("key").asText()).isEqualTo(custom);
        assertThat(api.chat(custom, "mock").statusCode()).isEqualTo(200);
        assertThat(KeyApi.error(api.post("/key/generate", "{\"key\": \"" + custom + "\"}"), 400, "invalid_request_error").path("param").asText())
                .isEqualTo("key");
        assertThat(KeyApi.error(api.post("/key/generate", "{\"key\": \"my-key\"}"), 400, "invalid_request_error").path("param").asText())
                .isEqualTo("key");
        assertThat(KeyApi.error(api.post("/key/generate", "{\"key\": \"" + TestGateway.MASTER_KEY + "\"}"), 400, "invalid_request_error")
                .path("param").asText()).isEqualTo("key");
    }

    @Test
    void emptyBodyMakesAPlainKeyUnderV1Too() {
        JsonNode g = api.ok(gw.post("/v1/key/generate", ""));
        assertThat(g.path("key_type").asText()).isEqualTo("default");
        assertThat(g.path("max_budget").isNull()).isTrue();
        assertThat(g.path("expires").isNull()).isTrue();
        assertThat(g.path("models").size()).isZero();
        assertThat(api.chat(g.path("key").asText(), "other").statusCode()).isEqualTo(200);
    }

    // --- 400s naming the field

    @Test
    void duplicateAliasIs400() {
        String alias = unique("dup");
        api.generate("{\"key_alias\": \"" + alias + "\"}");
        JsonNode e = KeyApi.error(api.post("/key/generate", "{\"key_alias\": \"" + alias + "\"}"), 400, "invalid_request_error");
        assertThat(e.path("param").asText()).isEqualTo("key_alias");
        assertThat(e.path("message").asText()).contains(alias);

        String other = newKey("{\"key_alias\": \"" + unique("dup-other") + "\"}");
        JsonNode u = KeyApi.error(api.post("/key/update", "{\"key\": \"" + other + "\", \"key_alias\": \"" + alias + "\"}"), 400,
                "invalid_request_error");
        assertThat(u.path("param").asText()).isEqualTo("key_alias");
        // re-setting a key's own alias is fine
        String same = unique("dup-same");
        String k = newKey("{\"key_alias\": \"" + same + "\"}");
        api.ok(api.post("/key/update", "{\"key\": \"" + k + "\", \"key_alias\": \"" + same + "\"}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "key_alias | 5",
            "models | \"mock\"",
            "models | [1]",
            "max_budget | \"10\"",
            "max_budget | -1",
            "soft_budget | true",
            "budget_duration | \"5 days\"",
            "budget_duration | 30",
            "model_max_budget | [1]",
            "model_max_budget | {\"m\": \"x\"}",
            "model_max_budget | {\"m\": {\"time_period\": \"1d\"}}",
            "model_max_budget | {\"m\": {\"budget_limit\": 1, \"time_period\": \"daily\"}}",
            "spend | \"x\"",
            "rpm_limit | 1.5",
            "rpm_limit | \"60\"",
            "tpm_limit | -3",
            "max_parallel_requests | {}",
            "model_rpm_limit | {\"m\": \"x\"}",
            "model_tpm_limit | [1]",
            "duration | \"forever\"",
            "expires | \"tomorrow\"",
            "metadata | \"x\"",
            "user_id | 1",
            "team_id | []",
            "blocked | \"yes\"",
            "aliases | {\"a\": 1}",
            "allowed_routes | \"/chat/completions\"",
            "key_type | \"superuser\"",
            "key | \"not-sk\"",
            "max_budget | 1000000001",
            "max_budget | 1e400",
            "soft_budget | 1e300",
            "spend | 1e10",
            "model_max_budget | {\"m\": 1e300}",
            "rpm_limit | 1e20",
            "rpm_limit | 100000000000000000000",
            "tpm_limit | 1000000000000001",
            "max_parallel_requests | 1e300",
            "model_rpm_limit | {\"m\": 1e300}",
            "model_tpm_limit | {\"m\": 100000000000000000000}",
            "duration | \"999999999999d\"",
            "duration | \"999999999y\"",
            "duration | \"999999999mo\"",
            "duration | \"999999999w\"",
            "duration | \"101y\"",
            "budget_duration | \"999999999y\"",
            "budget_duration | \"1201mo\"",
            "expires | \"+999999999-12-31T23:59:59Z\"",
            "expires | \"-999999999-01-01T00:00:00Z\"",
            "expires | \"99999-01-01T00:00:00Z\"",
            "expires | \"10000-01-01T00:00:00\"",
            "expires | \"1969-12-31T23:59:59Z\"",
    })
    void badFieldsAre400sNamingTheField(String field, String value) {
        HttpResponse<String> r = api.post("/key/generate", "{\"" + field + "\": " + value + "}");
        JsonNode e = KeyApi.error(r, 400, "invalid_request_error");
        assertThat(e.path("param").asText()).isEqualTo(field);
        assertThat(e.path("message").asText()).contains(field);
    }

    @Test
    void keyNumbersAndTimesAtTheirLimitsAreAccepted() {
        JsonNode k = api.generate("{\"max_budget\": 1000000000, \"soft_budget\": 1e9, \"rpm_limit\": 1000000000000000, "
                + "\"tpm_limit\": 1e15, \"model_rpm_limit\": {\"m\": 1000000000000000}, \"budget_duration\": \"1200mo\", "
                + "\"duration\": \"100y\"}");
        assertThat(k.path("max_budget").asDouble()).isEqualTo(1e9);
        assertThat(k.path("rpm_limit").asLong()).isEqualTo(1_000_000_000_000_000L);
        assertThat(api.chat(k.path("key").asText(), "mock").statusCode()).isEqualTo(200);
        assertThat(api.generate("{\"expires\": \"9999-12-31T23:59:59Z\"}").path("expires").asText()).startsWith("9999-12-31");
        api.generate("{\"duration\": \"36600d\", \"budget_duration\": \"100y\"}");
        assertThat(gw.get("/key/list?page=1000000&size=100", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
        for (String q : new String[]{"page=1000001", "size=101", "page=99999999999999999999", "size=-1"}) {
            String param = q.substring(0, q.indexOf('='));
            assertThat(KeyApi.error(gw.get("/key/list?" + q, TestGateway.MASTER_KEY), 400, "invalid_request_error").path("param").asText())
                    .as(q).isEqualTo(param);
        }
    }

    @Test
    void updateValidatesToo() {
        String key = newKey("{}");
        assertThat(KeyApi.error(api.post("/key/update", "{\"key\": \"" + key + "\", \"budget_duration\": \"1yr\"}"), 400, "invalid_request_error")
                .path("param").asText()).isEqualTo("budget_duration");
        assertThat(KeyApi.error(api.post("/key/update", "{\"key\": \"" + key + "\", \"spend\": 0}"), 400, "invalid_request_error")
                .path("param").asText()).isEqualTo("spend");
        assertThat(KeyApi.error(api.post("/key/update", "{\"rpm_limit\": 5}"), 400, "invalid_request_error").path("param").asText())
                .isEqualTo("key");
        assertThat(KeyApi.error(api.post("/key/update", "{\"key\": \"garbage\"}"), 400, "invalid_request_error").path("param").asText())
                .isEqualTo("key");
        KeyApi.error(api.post("/key/update", "{\"key\": \"sk-unknown\", \"rpm_limit\": 1}"), 404, "invalid_request_error");
        assertThat(KeyApi.error(api.post("/key/generate", "{\"duration\": \"1d\", \"expires\": \"2099-01-01T00:00:00Z\"}"), 400,
                "invalid_request_error").path("param").asText()).isEqualTo("duration");
        assertThat(KeyApi.error(gw.get("/key/list?size=1000", TestGateway.MASTER_KEY), 400, "invalid_request_error").path("param").asText())
                .isEqualTo("size");
        assertThat(KeyApi.error(gw.get("/key/list?page=0", TestGateway.MASTER_KEY), 400, "invalid_request_error").path("param").asText())
                .isEqualTo("page");
        KeyApi.error(api.post("/key/generate", "[1, 2]"), 400, "invalid_request_error");
        KeyApi.error(api.post("/key/generate", "{not json"), 400, "invalid_request_error");
    }

    @Test
    void budgetDurationStartsAWindowAndNullClearsIt() {
        Instant before = Instant.now();
        JsonNode g = api.generate("{\"max_budget\": 2, \"budget_duration\": \"1mo\"}");
        Instant reset = Instant.parse(g.path("budget_reset_at").asText());
        assertThat(reset).isAfter(before.plus(java.time.Duration.ofDays(27))).isBefore(before.plus(java.time.Duration.ofDays(32)));
        String key = g.path("key").asText();
        api.ok(api.post("/key/update", "{\"key\": \"" + key + "\", \"budget_duration\": null}"));
        JsonNode info = api.info(key).path("info");
        assertThat(info.path("budget_duration").isNull()).isTrue();
        assertThat(info.path("budget_reset_at").isNull()).isTrue();
        assertThat(info.path("max_budget").asDouble()).isEqualTo(2.0);
    }
}
