package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The key admin API's round trips, run against each database (see the subclasses): every field written
 * by /key/generate and /key/update comes back from /key/info, /key/list pages, /key/delete by key, hash
 * and alias, and the database never holds a key, only its hash.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KeyRoundTripTest {
    TestGateway gw;
    KeyApi api;
    final List<String> issuedKeys = new ArrayList<>();

    /** Starts the gateway on this test's database. */
    abstract TestGateway startGateway();

    /** Removes the database after the gateway has stopped. */
    void dropDatabase() {}

    @BeforeAll
    void start() {
        gw = startGateway();
        api = new KeyApi(gw);
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
        dropDatabase();
    }

    JsonNode generate(String json) {
        JsonNode r = api.generate(json);
        issuedKeys.add(r.path("key").asText());
        return r;
    }

    @Test
    void everyFieldRoundTripsThroughGenerateInfoAndUpdate() {
        Instant before = Instant.now();
        JsonNode g = generate("""
                {"key_alias": "rt-all", "models": ["mock", "openai/*"], "max_budget": 12.5, "budget_duration": "30d",
                 "soft_budget": 10.0, "model_max_budget": {"mock": {"budget_limit": 1.5, "time_period": "1d"}, "other": 2.0},
                 "spend": 0.25, "rpm_limit": 100, "tpm_limit": 20000, "max_parallel_requests": 4,
                 "model_rpm_limit": {"mock": 10}, "model_tpm_limit": {"mock": 1000}, "duration": "30d",
                 "metadata": {"team": "research", "n": 1}, "user_id": "u-1", "team_id": "t-1", "blocked": false,
                 "aliases": {"gpt-4": "mock"}, "allowed_routes": ["/chat/completions", "/key/info"], "key_type": "llm_api",
                 "tags": ["ignored-litellm-field"]}
                """);
        String key = g.path("key").asText();
        assertThat(key).matches("sk-[0-9A-Za-z]{48}");
        assertThat(g.path("token").asText()).isEqualTo(Authenticator.hash(key));
        assertThat(g.path("key_name").asText()).isEqualTo("sk-..." + key.substring(key.length() - 4));
        assertAllFields(g, before, 0.25);

        JsonNode info = api.info(key);
        assertThat(info.path("key").asText()).isEqualTo(Authenticator.hash(key));
        assertThat(info.path("info").has("token")).isFalse();
        assertAllFields(info.path("info"), before, 0.25);
        assertThat(api.info(Authenticator.hash(key)).path("info")).isEqualTo(info.path("info")); // by hash too

        // the key works at once, with its alias
        var chat = api.chat(key, "gpt-4");
        assertThat(KeyApi.content(chat)).isEqualTo("from-mock");
        JsonNode usage = TestGateway.json(chat).path("usage");
        double chatCost = usage.path("prompt_tokens").asLong() * 0.000001 + usage.path("completion_tokens").asLong() * 0.000002;

        Instant beforeUpdate = Instant.now();
        JsonNode u = api.ok(api.post("/key/update", """
                {"key": "%s", "key_alias": "rt-all-2", "models": ["other"], "max_budget": null, "budget_duration": "1h",
                 "soft_budget": 3, "model_max_budget": {}, "rpm_limit": 5, "tpm_limit": null, "max_parallel_requests": 1,
                 "model_rpm_limit": {"other": 3}, "model_tpm_limit": null, "expires": "2099-01-01T00:00:00Z",
                 "metadata": {"x": "y"}, "user_id": "u-2", "team_id": null, "aliases": {}, "allowed_routes": [],
                 "key_type": "default"}
                """.formatted(key)));
        assertThat(u.path("key").asText()).isEqualTo(Authenticator.hash(key)); // never the key itself
        assertThat(u.path("key_alias").asText()).isEqualTo("rt-all-2");

        JsonNode after = api.info(key).path("info");
        assertThat(after.path("key_alias").asText()).isEqualTo("rt-all-2");
        assertThat(texts(after.path("models"))).containsExactly("other");
        assertThat(after.path("max_budget").isNull()).isTrue();
        assertThat(after.path("budget_duration").asText()).isEqualTo("1h");
        assertThat(Instant.parse(after.path("budget_reset_at").asText()))
                .isBetween(beforeUpdate.plus(Duration.ofHours(1)).minusSeconds(1), Instant.now().plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(after.path("soft_budget").asDouble()).isEqualTo(3.0);
        assertThat(after.path("model_max_budget").size()).isZero();
        assertThat(after.path("rpm_limit").asLong()).isEqualTo(5);
        assertThat(after.path("tpm_limit").isNull()).isTrue();
        assertThat(after.path("max_parallel_requests").asLong()).isEqualTo(1);
        assertThat(after.path("model_rpm_limit").path("other").asLong()).isEqualTo(3);
        assertThat(after.path("model_tpm_limit").size()).isZero();
        assertThat(after.path("expires").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(after.path("metadata").toString()).isEqualTo("{\"x\":\"y\"}");
        assertThat(after.path("user_id").asText()).isEqualTo("u-2");
        assertThat(after.path("team_id").isNull()).isTrue();
        assertThat(after.path("aliases").size()).isZero();
        assertThat(after.path("allowed_routes").size()).isZero();
        assertThat(after.path("key_type").asText()).isEqualTo("default");
        // untouched by updates; the chat's cost shows at once, written or not
        assertThat(after.path("spend").asDouble()).isCloseTo(0.25 + chatCost, within(1e-12));
        assertThat(after.path("created_at").asText()).isEqualTo(g.path("created_at").asText());

        // applied to the running gateway at once: "mock" is no longer allowed, "other" is
        KeyApi.error(api.chat(key, "mock"), 403, "permission_error");
        assertThat(KeyApi.content(api.chat(key, "other"))).isEqualTo("from-other");

        // a partial update changes only what it names
        api.ok(api.post("/key/update", "{\"key\": \"" + Authenticator.hash(key) + "\", \"rpm_limit\": 7}"));
        JsonNode partial = api.info(key).path("info");
        assertThat(partial.path("rpm_limit").asLong()).isEqualTo(7);
        assertThat(partial.path("key_alias").asText()).isEqualTo("rt-all-2");
        assertThat(partial.path("metadata").path("x").asText()).isEqualTo("y");
    }

    private static void assertAllFields(JsonNode k, Instant before, double spend) {
        Instant in30d = before.plus(Duration.ofDays(30));
        assertThat(k.path("key_alias").asText()).isEqualTo("rt-all");
        assertThat(texts(k.path("models"))).containsExactly("mock", "openai/*");
        assertThat(k.path("max_budget").asDouble()).isEqualTo(12.5);
        assertThat(k.path("budget_duration").asText()).isEqualTo("30d");
        assertThat(Instant.parse(k.path("budget_reset_at").asText())).isBetween(in30d.minusSeconds(1), in30d.plusSeconds(60));
        assertThat(k.path("soft_budget").asDouble()).isEqualTo(10.0);
        assertThat(k.path("model_max_budget").path("mock").path("budget_limit").asDouble()).isEqualTo(1.5);
        assertThat(k.path("model_max_budget").path("mock").path("time_period").asText()).isEqualTo("1d");
        assertThat(k.path("model_max_budget").path("other").asDouble()).isEqualTo(2.0);
        assertThat(k.path("spend").asDouble()).isCloseTo(spend, within(1e-9));
        assertThat(k.path("rpm_limit").asLong()).isEqualTo(100);
        assertThat(k.path("tpm_limit").asLong()).isEqualTo(20000);
        assertThat(k.path("max_parallel_requests").asLong()).isEqualTo(4);
        assertThat(k.path("model_rpm_limit").path("mock").asLong()).isEqualTo(10);
        assertThat(k.path("model_tpm_limit").path("mock").asLong()).isEqualTo(1000);
        assertThat(Instant.parse(k.path("expires").asText())).isBetween(in30d.minusSeconds(1), in30d.plusSeconds(60));
        assertThat(k.path("metadata").path("team").asText()).isEqualTo("research");
        assertThat(k.path("metadata").path("n").asInt()).isEqualTo(1);
        assertThat(k.path("user_id").asText()).isEqualTo("u-1");
        assertThat(k.path("team_id").asText()).isEqualTo("t-1");
        assertThat(k.path("blocked").asBoolean()).isFalse();
        assertThat(k.path("aliases").path("gpt-4").asText()).isEqualTo("mock");
        assertThat(texts(k.path("allowed_routes"))).containsExactly("/chat/completions", "/key/info");
        assertThat(k.path("key_type").asText()).isEqualTo("llm_api");
        assertThat(k.path("created_by").asText()).isEqualTo("master-key");
        assertThat(k.has("tags")).isFalse();
    }

    @Test
    void listPagesFiltersAndReturnsHashesUnlessAskedForObjects() {
        String user = "pager-" + UUID.randomUUID();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            JsonNode g = generate("{\"user_id\": \"" + user + "\", \"key_alias\": \"" + user + "-" + i + "\", \"team_id\": \"team-" + (i % 2) + user + "\"}");
            hashes.add(g.path("token").asText());
        }
        Set<String> seen = new HashSet<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode l = api.ok(gw.get("/key/list?user_id=" + user + "&size=2&page=" + page, TestGateway.MASTER_KEY));
            assertThat(l.path("total_count").asLong()).isEqualTo(5);
            assertThat(l.path("current_page").asInt()).isEqualTo(page);
            assertThat(l.path("total_pages").asInt()).isEqualTo(3);
            assertThat(l.path("keys").size()).isEqualTo(page < 3 ? 2 : 1);
            for (JsonNode k : l.path("keys")) {
                assertThat(k.isTextual()).isTrue();
                assertThat(k.asText()).matches("[0-9a-f]{64}");
                seen.add(k.asText());
            }
        }
        assertThat(seen).isEqualTo(hashes);

        JsonNode full = api.ok(gw.get("/key/list?user_id=" + user + "&size=10&return_full_object=true", TestGateway.MASTER_KEY));
        assertThat(full.path("keys").size()).isEqualTo(5);
        for (JsonNode k : full.path("keys")) {
            assertThat(hashes).contains(k.path("token").asText());
            assertThat(k.path("user_id").asText()).isEqualTo(user);
            assertThat(k.path("key_alias").asText()).startsWith(user + "-");
            assertThat(k.has("key")).isFalse();
        }

        JsonNode byAlias = api.ok(gw.get("/key/list?key_alias=" + user + "-3&return_full_object=true", TestGateway.MASTER_KEY));
        assertThat(byAlias.path("total_count").asLong()).isEqualTo(1);
        assertThat(byAlias.path("keys").path(0).path("key_alias").asText()).isEqualTo(user + "-3");

        JsonNode byTeam = api.ok(gw.get("/key/list?team_id=team-0" + user, TestGateway.MASTER_KEY));
        assertThat(byTeam.path("total_count").asLong()).isEqualTo(3);

        JsonNode beyond = api.ok(gw.get("/key/list?user_id=" + user + "&size=2&page=4", TestGateway.MASTER_KEY));
        assertThat(beyond.path("keys").size()).isZero();
        assertThat(beyond.path("total_count").asLong()).isEqualTo(5);
    }

    @Test
    void deleteByKeyByHashAndByAlias() {
        String a = generate("{\"key_alias\": \"del-a\"}").path("key").asText();
        String b = generate("{\"key_alias\": \"del-b\"}").path("key").asText();
        String c = generate("{\"key_alias\": \"del-c\"}").path("key").asText();
        assertThat(api.chat(a, "mock").statusCode()).isEqualTo(200);

        JsonNode d1 = api.ok(api.post("/key/delete", "{\"keys\": [\"" + a + "\", \"" + Authenticator.hash(b) + "\"]}"));
        assertThat(texts(d1.path("deleted_keys"))).containsExactly(Authenticator.hash(a), Authenticator.hash(b));
        assertThat(d1.toString()).doesNotContain(a);
        KeyApi.error(api.chat(a, "mock"), 401, "authentication_error");
        KeyApi.error(api.chat(b, "mock"), 401, "authentication_error");
        KeyApi.error(gw.get("/key/info?key=" + a, TestGateway.MASTER_KEY), 404, "invalid_request_error");

        JsonNode d2 = api.ok(api.post("/key/delete", "{\"key_aliases\": [\"del-c\"]}"));
        assertThat(texts(d2.path("deleted_keys"))).containsExactly("del-c");
        KeyApi.error(api.chat(c, "mock"), 401, "authentication_error");

        // unknown keys: 404 and nothing deleted
        String d = generate("{\"key_alias\": \"del-d\"}").path("key").asText();
        KeyApi.error(api.post("/key/delete", "{\"keys\": [\"" + d + "\", \"sk-does-not-exist\"]}"), 404, "invalid_request_error");
        KeyApi.error(api.post("/key/delete", "{\"key_aliases\": [\"no-such-alias\"]}"), 404, "invalid_request_error");
        assertThat(api.chat(d, "mock").statusCode()).isEqualTo(200);
        assertThat(KeyApi.error(api.post("/key/delete", "{}"), 400, "invalid_request_error").path("param").asText()).isEqualTo("keys");
    }

    @Test
    void theDatabaseHoldsOnlyHashes() throws Exception {
        JsonNode g = generate("{\"key_alias\": \"hash-only\", \"metadata\": {\"note\": \"x\"}}");
        String custom = "sk-custom-" + UUID.randomUUID();
        generate("{\"key\": \"" + custom + "\"}");
        JsonNode regen = api.ok(api.post("/key/regenerate", "{\"key\": \"" + g.path("key").asText() + "\"}"));
        issuedKeys.add(regen.path("key").asText());

        Set<String> hashes = new HashSet<>();
        int rows = 0;
        try (Connection c = gw.server().database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM virtual_keys")) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                rows++;
                hashes.add(rs.getString("token_hash"));
                for (int i = 1; i <= cols; i++) {
                    String v = rs.getString(i);
                    if (v == null) continue;
                    for (String key : issuedKeys) assertThat(v).as("column " + rs.getMetaData().getColumnName(i)).doesNotContain(key);
                    assertThat(v).doesNotContain(custom);
                }
            }
        }
        assertThat(rows).isPositive();
        assertThat(hashes).contains(Authenticator.hash(regen.path("key").asText()), Authenticator.hash(custom))
                .doesNotContain(Authenticator.hash(g.path("key").asText()));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
