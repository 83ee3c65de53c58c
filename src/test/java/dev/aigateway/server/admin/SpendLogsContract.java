package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.Governance;
import dev.aigateway.governance.spend.SpendRetention;
import dev.aigateway.governance.spend.SpendStore;
import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Spend logging through a real gateway: chat, stream, embeddings and a failed call are logged with every
 * field, keys' spend and the daily aggregates follow, and /spend/logs and /spend/daily filter, page and
 * refuse bad input. Run against SQLite and PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpendLogsContract {
    static final double IN = 0.000001, OUT = 0.000002, EMBED_IN = 0.0000001;
    static final String KEY_A = "sk-spend-test-key-a-0123456789abcdefghijklmnop";
    static final String KEY_B = "sk-spend-test-key-b-0123456789abcdefghijklmnop";
    static final String HASH_A = Authenticator.hash(KEY_A);
    static final String HASH_B = Authenticator.hash(KEY_B);
    static final String CONFIG = """
            model_list:
              - model_name: chat-model
                litellm_params: {model: mock/chat-1, mock_response: "hello there my good friend"}
                model_info: {id: dep-chat, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}
              - model_name: embed-model
                litellm_params: {model: mock/embed-1}
                model_info: {id: dep-embed, input_cost_per_token: 0.0000001}
              - model_name: broken-model
                litellm_params: {model: mock/broken, mock_error_status: 429}
                model_info: {id: dep-broken, input_cost_per_token: 0.000001}
            general_settings:
              maximum_spend_logs_retention_period: 30d
            """;

    TestGateway gw;
    JsonNode chatUsage, embedUsage;
    String failType;

    /** Extra environment (DATABASE_URL) for the gateway under test. */
    abstract Map<String, String> databaseEnv();

    @BeforeAll
    void start() {
        gw = TestGateway.start(CONFIG, databaseEnv());
        Governance g = gw.server().governance();
        g.keyStore().insert(SpendTestDatabases.key(HASH_A, "spend-a", "user-a"));
        g.keyStore().insert(SpendTestDatabases.key(HASH_B, "spend-b", "user-b"));
        g.keys().reload(HASH_A);
        g.keys().reload(HASH_B);

        var chat = call("/v1/chat/completions", "t-chat", KEY_A, """
                {"model": "chat-model", "messages": [{"role": "user", "content": "say hello to everyone here"}]}""");
        assertThat(chat.statusCode()).isEqualTo(200);
        chatUsage = TestGateway.json(chat).path("usage");
        var stream = call("/v1/chat/completions", "t-stream", KEY_A, """
                {"model": "chat-model", "stream": true, "messages": [{"role": "user", "content": "stream it"}]}""");
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("data: [DONE]");
        var embed = call("/v1/embeddings", "t-embed", KEY_A, """
                {"model": "embed-model", "input": ["one text to embed", "and another one"]}""");
        assertThat(embed.statusCode()).isEqualTo(200);
        embedUsage = TestGateway.json(embed).path("usage");
        var fail = call("/v1/chat/completions", "t-fail", KEY_A, """
                {"model": "broken-model", "messages": [{"role": "user", "content": "fail please"}]}""");
        assertThat(fail.statusCode()).isEqualTo(429);
        failType = TestGateway.json(fail).path("error").path("type").asText();
        var other = call("/v1/chat/completions", "t-b-chat", KEY_B, """
                {"model": "chat-model", "messages": [{"role": "user", "content": "key b here"}]}""");
        assertThat(other.statusCode()).isEqualTo(200);
        g.spendLog().flush();
        assertThat(g.spendLog().queued()).isZero();
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    HttpResponse<String> call(String path, String requestId, String key, String body) {
        HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .header("authorization", "Bearer " + key).header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        sleep(5); // distinct start times, so "newest first" has one answer
        return r;
    }

    JsonNode logs(String query) {
        var r = gw.get("/spend/logs" + query, TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    /** The rows' client ids (the x-request-id each test request was sent with), else their ids (rows written directly). */
    static List<String> ids(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.path("client_request_id").isTextual() ? r.path("client_request_id").asText() : r.path("request_id").asText()));
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aChatRowCarriesEveryField() {
        JsonNode rows = logs("?request_id=t-chat");
        assertThat(rows).hasSize(1);
        JsonNode r = rows.get(0);
        assertThat(r.path("request_id").asText()).as("the gateway's own id keys the row").matches("req-[0-9a-f]{24}");
        assertThat(r.path("client_request_id").asText()).isEqualTo("t-chat");
        assertThat(ids(logs("?request_id=" + r.path("request_id").asText()))).as("found by the gateway's id too").containsExactly("t-chat");
        long prompt = chatUsage.path("prompt_tokens").asLong(), completion = chatUsage.path("completion_tokens").asLong();
        assertThat(prompt).isPositive();
        assertThat(completion).isPositive();
        assertThat(r.path("api_key").asText()).isEqualTo(HASH_A);
        assertThat(r.path("call_type").asText()).isEqualTo("acompletion");
        assertThat(r.path("model").asText()).isEqualTo("chat-1");
        assertThat(r.path("model_group").asText()).isEqualTo("chat-model");
        assertThat(r.path("model_id").asText()).isEqualTo("dep-chat");
        assertThat(r.path("custom_llm_provider").asText()).isEqualTo("mock");
        assertThat(r.path("prompt_tokens").asLong()).isEqualTo(prompt);
        assertThat(r.path("completion_tokens").asLong()).isEqualTo(completion);
        assertThat(r.path("total_tokens").asLong()).isEqualTo(prompt + completion);
        assertThat(r.path("spend").asDouble()).isCloseTo(prompt * IN + completion * OUT, within(1e-12));
        assertThat(r.path("user").asText()).isEqualTo("user-a");
        Instant start = Instant.parse(r.path("startTime").asText()), end = Instant.parse(r.path("endTime").asText());
        assertThat(start).isBetween(Instant.now().minusSeconds(120), Instant.now());
        assertThat(end).isAfterOrEqualTo(start);
        assertThat(r.path("completionStartTime").asText()).isEqualTo(r.path("endTime").asText());
        assertThat(r.path("status").asText()).isEqualTo("success");
        JsonNode m = r.path("metadata");
        assertThat(m.path("key_alias").asText()).isEqualTo("spend-a");
        assertThat(m.path("status").asText()).isEqualTo("success");
        assertThat(m.path("http_status").asInt()).isEqualTo(200);
        assertThat(m.path("error_type").isNull()).isTrue();
        assertThat(m.path("stream").asBoolean()).isFalse();
        assertThat(m.path("cached_tokens").asLong()).isZero();
        assertThat(m.path("time_to_first_token_ms").isNull()).isTrue();
    }

    @Test
    void aStreamRowHasItsUsageAndTimeToFirstToken() {
        JsonNode r = logs("?request_id=t-stream").get(0);
        assertThat(r.path("metadata").path("stream").asBoolean()).isTrue();
        assertThat(r.path("metadata").path("time_to_first_token_ms").isNumber()).isTrue();
        long prompt = r.path("prompt_tokens").asLong(), completion = r.path("completion_tokens").asLong();
        assertThat(prompt).isPositive();
        assertThat(completion).isPositive();
        assertThat(r.path("spend").asDouble()).isCloseTo(prompt * IN + completion * OUT, within(1e-12));
        Instant start = Instant.parse(r.path("startTime").asText());
        Instant first = Instant.parse(r.path("completionStartTime").asText());
        assertThat(Duration.between(start, first).toMillis()).isEqualTo(r.path("metadata").path("time_to_first_token_ms").asLong());
    }

    @Test
    void anEmbeddingRowCostsItsInputTokens() {
        JsonNode r = logs("?request_id=t-embed").get(0);
        long prompt = embedUsage.path("prompt_tokens").asLong();
        assertThat(prompt).isPositive();
        assertThat(r.path("call_type").asText()).isEqualTo("aembedding");
        assertThat(r.path("model_group").asText()).isEqualTo("embed-model");
        assertThat(r.path("prompt_tokens").asLong()).isEqualTo(prompt);
        assertThat(r.path("completion_tokens").asLong()).isZero();
        assertThat(r.path("spend").asDouble()).isCloseTo(prompt * EMBED_IN, within(1e-12));
    }

    @Test
    void aFailedCallIsAFailureRowWithItsErrorType() {
        JsonNode r = logs("?request_id=t-fail").get(0);
        assertThat(failType).isNotBlank();
        assertThat(r.path("status").asText()).isEqualTo("failure");
        assertThat(r.path("metadata").path("status").asText()).isEqualTo("failure");
        assertThat(r.path("metadata").path("http_status").asInt()).isEqualTo(429);
        assertThat(r.path("metadata").path("error_type").asText()).isEqualTo(failType);
        assertThat(r.path("model_group").asText()).isEqualTo("broken-model");
        assertThat(r.path("spend").asDouble()).isZero();
    }

    @Test
    void theKeysSpendIsTheSumOfItsRowsCosts() {
        double sum = 0;
        for (JsonNode r : logs("?api_key=" + enc(KEY_A))) sum += r.path("spend").asDouble();
        assertThat(sum).isPositive();
        Governance g = gw.server().governance();
        assertThat(g.keyStore().byHash(HASH_A).orElseThrow().spend()).isCloseTo(sum, within(1e-12));
        double b = logs("?api_key=" + HASH_B).get(0).path("spend").asDouble();
        assertThat(g.keyStore().byHash(HASH_B).orElseThrow().spend()).isCloseTo(b, within(1e-12));
    }

    @Test
    void dailyTotalsAggregatePerKeyAndModel() {
        var r = gw.get("/spend/daily?api_key=" + HASH_A, TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode rows = TestGateway.json(r);
        assertThat(rows).hasSize(3);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode chat = null, broken = null, embed = null;
        for (JsonNode d : rows) {
            assertThat(d.path("date").asText()).isEqualTo(today);
            assertThat(d.path("api_key").asText()).isEqualTo(HASH_A);
            assertThat(d.path("key_alias").asText()).isEqualTo("spend-a");
            switch (d.path("model").asText()) {
                case "chat-model" -> chat = d;
                case "broken-model" -> broken = d;
                case "embed-model" -> embed = d;
                default -> throw new AssertionError(d.toString());
            }
        }
        JsonNode chatRow = logs("?request_id=t-chat").get(0), streamRow = logs("?request_id=t-stream").get(0);
        assertThat(chat.path("requests").asLong()).isEqualTo(2);
        assertThat(chat.path("failures").asLong()).isZero();
        assertThat(chat.path("prompt_tokens").asLong())
                .isEqualTo(chatRow.path("prompt_tokens").asLong() + streamRow.path("prompt_tokens").asLong());
        assertThat(chat.path("completion_tokens").asLong())
                .isEqualTo(chatRow.path("completion_tokens").asLong() + streamRow.path("completion_tokens").asLong());
        assertThat(chat.path("spend").asDouble())
                .isCloseTo(chatRow.path("spend").asDouble() + streamRow.path("spend").asDouble(), within(1e-12));
        assertThat(broken.path("requests").asLong()).isEqualTo(1);
        assertThat(broken.path("failures").asLong()).isEqualTo(1);
        assertThat(embed.path("requests").asLong()).isEqualTo(1);

        JsonNode onlyEmbed = TestGateway.json(gw.get("/spend/daily?model=embed-model&start_date=" + today + "&end_date=" + today,
                TestGateway.MASTER_KEY));
        assertThat(onlyEmbed).hasSize(1);
        JsonNode all = TestGateway.json(gw.get("/spend/daily?start_date=" + today, TestGateway.MASTER_KEY));
        assertThat(all).hasSize(4); // key B's chat-model row too
        JsonNode yesterday = TestGateway.json(gw.get("/spend/daily?api_key=" + HASH_A + "&end_date=" + LocalDate.now(ZoneOffset.UTC).minusDays(1),
                TestGateway.MASTER_KEY));
        assertThat(yesterday).isEmpty();
    }

    @Test
    void logsFilterByKeyModelAliasUserStatusAndRequestIdNewestFirst() {
        String today = "?start_date=" + LocalDate.now(ZoneOffset.UTC); // the retention test adds older rows
        assertThat(ids(logs(today))).containsExactly("t-b-chat", "t-fail", "t-embed", "t-stream", "t-chat");
        assertThat(ids(logs("?api_key=" + enc(KEY_A)))).containsExactly("t-fail", "t-embed", "t-stream", "t-chat");
        assertThat(ids(logs("?api_key=" + HASH_A))).containsExactly("t-fail", "t-embed", "t-stream", "t-chat");
        assertThat(ids(logs("?model=embed-model"))).containsExactly("t-embed");
        assertThat(ids(logs("?model=chat-model"))).containsExactly("t-b-chat", "t-stream", "t-chat");
        assertThat(ids(logs("?model=chat-model&api_key=" + HASH_B))).containsExactly("t-b-chat");
        assertThat(ids(logs("?key_alias=spend-b"))).containsExactly("t-b-chat");
        assertThat(ids(logs("?user_id=user-b"))).containsExactly("t-b-chat");
        assertThat(ids(logs("?status=failure"))).containsExactly("t-fail");
        assertThat(ids(logs("?request_id=t-embed"))).containsExactly("t-embed");
        assertThat(ids(logs("?request_id=nope"))).isEmpty();
    }

    @Test
    void logsPage() {
        assertThat(ids(logs("?api_key=" + HASH_A + "&page_size=2"))).containsExactly("t-fail", "t-embed");
        assertThat(ids(logs("?api_key=" + HASH_A + "&page_size=2&page=2"))).containsExactly("t-stream", "t-chat");
        assertThat(ids(logs("?api_key=" + HASH_A + "&page_size=2&page=3"))).isEmpty();
        assertThat(ids(logs("?page_size=3&page=2&start_date=" + LocalDate.now(ZoneOffset.UTC)))).containsExactly("t-stream", "t-chat");
    }

    @Test
    void logsFilterByDateRange() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(logs("?start_date=" + today + "&end_date=" + today)).hasSize(5);
        assertThat(logs("?start_date=" + today.plusDays(1))).isEmpty();
        assertThat(logs("?api_key=" + HASH_A + "&end_date=" + today.minusDays(1))).isEmpty();
        String streamStart = logs("?request_id=t-stream").get(0).path("startTime").asText();
        String embedStart = logs("?request_id=t-embed").get(0).path("startTime").asText();
        assertThat(ids(logs("?start_date=" + enc(streamStart) + "&end_date=" + enc(embedStart))))
                .as("ISO instants, both ends inclusive").containsExactly("t-embed", "t-stream");
        String spaced = streamStart.replace('T', ' ').replace("Z", "");
        assertThat(ids(logs("?api_key=" + HASH_A + "&start_date=" + enc(spaced)))).containsExactly("t-fail", "t-embed", "t-stream");
    }

    @Test
    void badParametersAre400sNamingTheParameter() {
        Map<String, String> bad = Map.of(
                "?start_date=2025-13-01", "start_date",
                "?end_date=yesterday", "end_date",
                "?page=0", "page",
                "?page=two", "page",
                "?page_size=1001", "page_size",
                "?page_size=0", "page_size",
                "?status=maybe", "status",
                "?start_date=2025-02-01&end_date=2025-01-01", "start_date");
        bad.forEach((q, param) -> {
            var r = gw.get("/spend/logs" + q, TestGateway.MASTER_KEY);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(TestGateway.json(r).path("error").path("param").asText()).as(q).isEqualTo(param);
            assertThat(TestGateway.json(r).path("error").path("message").asText()).as(q).contains(param);
        });
        var d = gw.get("/spend/daily?start_date=01/02/2025", TestGateway.MASTER_KEY);
        assertThat(d.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(d).path("error").path("param").asText()).isEqualTo("start_date");
    }

    @Test
    void extremeDatesAndPagesAre400sNotServerErrors() {
        Map<String, String> bad = Map.ofEntries(
                Map.entry("?start_date=99999-01-01", "start_date"),
                Map.entry("?end_date=-1", "end_date"),
                Map.entry("?start_date=" + enc("+999999999-12-31T23:59:59Z"), "start_date"),
                Map.entry("?end_date=" + enc("-999999999-01-01T00:00:00Z"), "end_date"),
                Map.entry("?end_date=" + enc("+10000-01-01T00:00:00Z"), "end_date"),
                Map.entry("?start_date=1969-12-31", "start_date"),
                Map.entry("?end_date=" + enc("+999999999-12-31T23:59:59"), "end_date"),
                Map.entry("?page=1000001", "page"),
                Map.entry("?page=99999999999999999999", "page"),
                Map.entry("?page_size=" + "9".repeat(500), "page_size"));
        for (String route : new String[]{"/spend/logs", "/spend/daily"}) {
            bad.forEach((q, param) -> {
                if (route.equals("/spend/daily") && param.startsWith("page")) return;
                var r = gw.get(route + q, TestGateway.MASTER_KEY);
                assertThat(r.statusCode()).as(route + q + ": " + r.body()).isEqualTo(400);
                JsonNode e = TestGateway.json(r).path("error");
                assertThat(e.path("param").asText()).as(route + q).isEqualTo(param);
                assertThat(e.path("message").asText()).as(route + q).contains(param).hasSizeLessThan(300);
            });
        }
        assertThat(gw.get("/spend/logs?start_date=1970-01-01&end_date=9999-12-31&page=1000000", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
        assertThat(gw.get("/spend/daily?start_date=1970-01-01&end_date=" + enc("9999-12-31T23:59:59Z"), TestGateway.MASTER_KEY).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aNormalKeySeesOnlyItsOwnSpend() {
        assertThat(gw.get("/spend/logs", null).statusCode()).isEqualTo(401);
        var mine = gw.get("/spend/logs", KEY_B);
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        assertThat(ids(TestGateway.json(mine))).containsExactly("t-b-chat");
        assertThat(ids(TestGateway.json(gw.get("/spend/logs?model=chat-model", KEY_B)))).containsExactly("t-b-chat");
        assertThat(ids(TestGateway.json(gw.get("/spend/logs?api_key=" + HASH_B, KEY_B)))).containsExactly("t-b-chat");
        assertThat(gw.get("/spend/logs?api_key=" + HASH_A, KEY_B).statusCode()).isEqualTo(403);
        JsonNode daily = TestGateway.json(gw.get("/spend/daily", KEY_B));
        assertThat(daily).hasSize(1);
        assertThat(daily.get(0).path("api_key").asText()).isEqualTo(HASH_B);
        assertThat(gw.get("/v1/spend/logs", KEY_B).statusCode()).isEqualTo(200);
    }

    @Test
    void readinessShowsTheEmptySpendQueue() {
        JsonNode r = TestGateway.json(gw.get("/health/readiness", null));
        assertThat(r.path("spend_queue").path("rows").asLong()).isZero();
        assertThat(r.path("spend_queue").path("oldest_age_ms").asLong()).isZero();
    }

    @Test
    void retentionDeletesOnlyRowsOlderThanThePeriodAndKeepsDailyTotals() throws Exception {
        SpendStore store = new SpendStore(gw.server().database());
        long now = System.currentTimeMillis();
        long day = Duration.ofDays(1).toMillis();
        String hash = "c".repeat(64);
        List<dev.aigateway.governance.spend.SpendRecord> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) rows.add(SpendTestDatabases.row("ret-old-" + i, hash, "ret-model", now - 40 * day - i, 0.01));
        rows.add(SpendTestDatabases.row("ret-edge", hash, "ret-model", now - 29 * day, 0.01));
        rows.add(SpendTestDatabases.row("ret-new", hash, "ret-model", now - day, 0.01));
        assertThat(store.write(rows)).isEqualTo(14);

        SpendRetention retention = new SpendRetention(store, new SpendRetention.Policy(Duration.ofDays(30), Duration.ofDays(1)),
                Clock.systemUTC());
        assertThat(retention.runOnce()).isEqualTo(12);
        assertThat(ids(logs("?api_key=" + hash))).containsExactly("ret-new", "ret-edge");
        assertThat(retention.runOnce()).isZero();
        String oldDay = SpendStore.day(now - 40 * day);
        try (Connection c = gw.server().database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT requests FROM daily_spend WHERE day = '" + oldDay + "' AND key_hash = '" + hash + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("daily totals outlive the rows").isEqualTo(12);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
