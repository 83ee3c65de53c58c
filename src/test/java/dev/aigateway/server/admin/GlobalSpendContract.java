package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.spend.SpendRecord;
import dev.aigateway.governance.spend.SpendStore;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * LiteLLM's /global/spend/* routes through a real gateway over spend rows written by the spend store: the report by team,
 * customer and key adds up to exactly the rows written in its range, the 30-day totals and top lists, and the bounds
 * (admin or read_only keys only, group_by, required and bounded dates). Run against SQLite and PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GlobalSpendContract {
    static final String HASH_A = Authenticator.hash("sk-global-spend-a-0123456789abcdef");
    static final String HASH_B = Authenticator.hash("sk-global-spend-b-0123456789abcdef");
    static final String M = TestGateway.MASTER_KEY;
    static final String CLAUDE = "claude-cli/2.1.0 (external, cli)";

    TestGateway gw;
    int seq;

    abstract Map<String, String> databaseEnv();

    @BeforeAll
    void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: m1
                    litellm_params: {model: mock/m1}
                """, databaseEnv());
        long d1 = millis("2026-01-10", 3600);
        long d2 = millis("2026-01-11", 7200);
        long now = System.currentTimeMillis() - 60_000;
        List<SpendRecord> rows = new ArrayList<>(List.of(
                row(HASH_A, "t1", "u1", "m1", d1, 1.0, 10, 5, CLAUDE),
                row(HASH_A, "t1", "u2", "m2", d1 + 1000, 2.0, 20, 10, CLAUDE),
                row(HASH_B, "t2", "u1", "m1", d1 + 2000, 4.0, 40, 20, "curl/8.5.0"),
                row(HASH_B, null, null, "m1", d2, 8.0, 80, 40),
                row(HASH_A, "t1", "u1", "m1", millis("2026-02-20", 0), 16.0, 1, 1), // outside the report's range
                row(HASH_A, "t1", "u3", "m1", now, 0.5, 1, 1),
                row(HASH_B, "t2", "u3", "m2", now - 86_400_000L, 0.25, 1, 1)));
        assertThat(new SpendStore(gw.server().database()).write(rows)).isEqualTo(rows.size());
        try (Connection c = gw.server().database().connection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO teams (team_id, team_alias, created_at, updated_at) VALUES ('t2', 'Prod Team', 0, 0)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    static long millis(String day, int seconds) {
        return LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + seconds * 1000L;
    }

    SpendRecord row(String key, String team, String endUser, String model, long start, double cost, long prompt, long completion) {
        return row(key, team, endUser, model, start, cost, prompt, completion, null);
    }

    SpendRecord row(String key, String team, String endUser, String model, long start, double cost, long prompt, long completion,
                    String userAgent) {
        return new SpendRecord("req-global-" + (seq++), null, key, null, null, team, "chat", model, "dep-" + model, "mock", model,
                prompt, completion, 0, prompt + completion, cost, start, start + 100, null, "success", 200, null, false, 1, null,
                endUser, null, "unknown", userAgent, null);
    }

    JsonNode get(String path) {
        HttpResponse<String> r = gw.get(path, M);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode e : list) if (value == null ? e.path(field).isNull() : value.equals(e.path(field).asText(null))) return e;
        throw new AssertionError("no " + field + "=" + value + " in " + list);
    }

    @Test
    void reportByTeamIsPerDayAndAddsUpToTheRows() {
        JsonNode days = get("/global/spend/report?start_date=2026-01-10&end_date=2026-01-11");
        assertThat(days).hasSize(2);
        JsonNode first = days.get(0);
        assertThat(first.path("group_by_day").asText()).isEqualTo("2026-01-10T00:00:00+00:00");
        JsonNode t1 = find(first.path("teams"), "team_name", "t1");
        assertThat(t1.path("total_spend").asDouble()).isCloseTo(3.0, within(1e-9));
        assertThat(t1.path("metadata")).hasSize(2);
        JsonNode m1 = find(t1.path("metadata"), "model", "m1");
        assertThat(m1.path("spend").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(m1.path("total_tokens").asLong()).isEqualTo(15);
        assertThat(m1.path("api_key").asText()).isEqualTo(HASH_A);
        JsonNode t2 = find(first.path("teams"), "team_name", "Prod Team");
        assertThat(t2.path("team_id").asText()).as("a team with an alias is named by it").isEqualTo("t2");
        assertThat(t2.path("total_spend").asDouble()).isCloseTo(4.0, within(1e-9));
        JsonNode second = days.get(1);
        assertThat(second.path("group_by_day").asText()).startsWith("2026-01-11");
        assertThat(find(second.path("teams"), "team_name", null).path("total_spend").asDouble()).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void reportByCustomerAndByKey() {
        JsonNode days = get("/global/spend/report?start_date=2026-01-10&end_date=2026-01-11&group_by=customer");
        JsonNode customers = days.get(0).path("customers");
        assertThat(find(customers, "customer", "u1").path("total_spend").asDouble()).isCloseTo(5.0, within(1e-9));
        assertThat(find(customers, "customer", "u2").path("total_spend").asDouble()).isCloseTo(2.0, within(1e-9));
        JsonNode keys = get("/global/spend/report?start_date=2026-01-10&end_date=2026-01-11&group_by=api_key");
        assertThat(keys).hasSize(2);
        JsonNode a = find(keys, "api_key", HASH_A);
        assertThat(a.path("total_cost").asDouble()).isCloseTo(3.0, within(1e-9));
        assertThat(a.path("total_input_tokens").asLong()).isEqualTo(30);
        assertThat(a.path("total_output_tokens").asLong()).isEqualTo(15);
        assertThat(a.path("model_details")).hasSize(2);
        assertThat(find(a.path("model_details"), "model", "m2").path("total_cost").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(find(keys, "api_key", HASH_B).path("total_cost").asDouble()).isCloseTo(12.0, within(1e-9));
        JsonNode onlyB = get("/global/spend/report?start_date=2026-01-10&end_date=2026-01-11&group_by=api_key&api_key=" + HASH_B);
        assertThat(onlyB).hasSize(1);
    }

    @Test
    void theLastThirtyDays() {
        assertThat(get("/global/spend").path("spend").asDouble()).isCloseTo(0.75, within(1e-9));
        JsonNode keys = get("/global/spend/keys?limit=5");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).path("api_key").asText()).as("highest spend first").isEqualTo(HASH_A);
        assertThat(keys.get(0).path("total_spend").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(get("/global/spend/keys?limit=1")).hasSize(1);
        JsonNode models = get("/global/spend/models");
        assertThat(models.get(0).path("model").asText()).isEqualTo("m1");
        assertThat(models.get(1).path("total_spend").asDouble()).isCloseTo(0.25, within(1e-9));
        JsonNode perDay = get("/global/spend/logs");
        double sum = 0;
        for (JsonNode d : perDay) sum += d.path("spend").asDouble();
        assertThat(sum).isCloseTo(0.75, within(1e-9));
        JsonNode b = get("/global/spend/logs?api_key=" + HASH_B);
        assertThat(b).hasSize(1);
        assertThat(b.get(0).path("api_key").asText()).isEqualTo(HASH_B);
        assertThat(b.get(0).path("date").asText()).isEqualTo(SpendStore.day(Instant.now().toEpochMilli() - 60_000 - 86_400_000L));
    }

    @Test
    void endUsersBySpend() {
        JsonNode users = get("/global/spend/end_users?start_date=2026-01-10&end_date=2026-01-11");
        assertThat(users).as("rows without an end user are left out").hasSize(2);
        assertThat(users.get(0).path("end_user").asText()).isEqualTo("u1");
        assertThat(users.get(0).path("total_spend").asDouble()).isCloseTo(5.0, within(1e-9));
        assertThat(users.get(0).path("total_count").asLong()).isEqualTo(2);
        HttpResponse<String> posted = gw.post("/global/spend/end_users", "{\"startTime\": \"2026-01-10\", \"endTime\": \"2026-01-11\", "
                + "\"api_key\": \"" + HASH_B + "\"}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        JsonNode b = TestGateway.json(posted);
        assertThat(b).hasSize(1);
        assertThat(b.get(0).path("total_spend").asDouble()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void spendPerRequestTag() {
        JsonNode tags = get("/global/spend/tags?start_date=2026-01-10&end_date=2026-01-11").path("spend_per_tag");
        assertThat(tags).hasSize(4);
        assertThat(tags.get(0).path("spend").asDouble()).as("highest first").isCloseTo(4.0, within(1e-9));
        JsonNode claude = find(tags, "name", "User-Agent: claude-cli");
        assertThat(claude.path("spend").asDouble()).isCloseTo(3.0, within(1e-9));
        assertThat(claude.path("log_count").asLong()).isEqualTo(2);
        assertThat(find(tags, "name", "User-Agent: " + CLAUDE).path("log_count").asLong()).isEqualTo(2);
        JsonNode only = get("/global/spend/tags?start_date=2026-01-10&end_date=2026-01-11&tags=User-Agent:%20curl").path("spend_per_tag");
        assertThat(only).hasSize(1);
        assertThat(only.get(0).path("log_count").asLong()).isEqualTo(1);
    }

    @Test
    void onlyAdminAndReadOnlyKeysAndBoundedInput() {
        String normal = ModelTestSupport.insertKey(gw, "default");
        String readOnly = ModelTestSupport.insertKey(gw, "read_only");
        for (String path : new String[]{"/global/spend", "/global/spend/report?start_date=2026-01-10&end_date=2026-01-11",
                "/global/spend/keys", "/global/spend/models", "/global/spend/logs", "/global/spend/end_users", "/global/spend/tags"}) {
            HttpResponse<String> r = gw.get(path, normal);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(TestGateway.json(r).path("error").path("type").asText()).isEqualTo("permission_error");
            assertThat(gw.get(path, readOnly).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(gw.post("/global/spend/end_users", "{}", normal).statusCode()).isEqualTo(403);
        assertThat(gw.get("/global/spend", null).statusCode()).isEqualTo(401);
        badRequest("/global/spend/report?start_date=2026-01-10&end_date=2026-01-11&group_by=model", "group_by");
        badRequest("/global/spend/report?start_date=2026-01-10", "end_date");
        badRequest("/global/spend/report?start_date=2024-01-01&end_date=2026-01-11", "start_date");
        badRequest("/global/spend/report?start_date=2026-01-12&end_date=2026-01-11", "start_date");
        badRequest("/global/spend/report?start_date=yesterday&end_date=2026-01-11", "start_date");
        badRequest("/global/spend/keys?limit=0", "limit");
        badRequest("/global/spend/models?limit=100000", "limit");
        HttpResponse<String> notJson = gw.post("/global/spend/end_users", "[1, 2]", M);
        assertThat(notJson.statusCode()).isEqualTo(400);
    }

    void badRequest(String path, String param) {
        HttpResponse<String> r = gw.get(path, M);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
        assertThat(TestGateway.json(r).path("error").path("param").asText()).as(path).isEqualTo(param);
    }
}
