package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every answered request is billed once, through a real gateway on SQLite and PostgreSQL: a client that sends
 * the same {@code x-request-id} on every request still gets one spend row per request and the full spend on its
 * key, also after a restart (which is where budgets start from); and {@code /key/info} shows a request's cost
 * as soon as the request is answered, before the spend writer's batch reaches the database.
 */
class RequestSpendTest {
    static final double IN = 0.001, OUT = 0.002;
    static final String CONFIG = """
            model_list:
              - model_name: priced
                litellm_params: {model: mock/priced-1, mock_response: "a priced answer of several words"}
                model_info: {input_cost_per_token: 0.001, output_cost_per_token: 0.002}
            """;
    static final String BODY = "{\"model\":\"priced\",\"messages\":[{\"role\":\"user\",\"content\":\"what does it cost\"}]}";

    @TempDir
    Path dir;

    /** DATABASE_URL for the run, shared by both gateways of a test; null after dropping a skipped database. */
    private Map<String, String> database(String kind, String name) {
        if (kind.equals("sqlite")) return Map.of("DATABASE_URL", "sqlite:" + dir.resolve(name + ".db"));
        return Map.of("DATABASE_URL", SpendTestDatabases.gatewayUrl(SpendTestDatabases.createOrSkip(name)));
    }

    private static void dropIfPostgres(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        if (url.startsWith("postgresql://")) SpendTestDatabases.drop(url.substring(url.lastIndexOf('/') + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aReusedRequestIdGetsOneRowPerRequestAndTheFullSpendAlsoAfterARestart(String kind) {
        Map<String, String> env = database(kind, "gw_reused_id");
        try {
            String key;
            double expected = 0;
            Set<String> gatewayIds = new HashSet<>();
            int n = 49;
            try (TestGateway gw = TestGateway.start(CONFIG, env)) {
                key = TestGateway.json(gw.post("/key/generate", "{\"key_alias\": \"reuses-ids\"}")).path("key").asText();
                for (int i = 0; i < n; i++) {
                    HttpResponse<String> r = chat(gw, key, "fixed-id-from-a-client");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    assertThat(r.headers().firstValue("x-request-id")).as("the client's id is echoed for tracing")
                            .hasValue("fixed-id-from-a-client");
                    String own = r.headers().firstValue("x-gateway-request-id").orElseThrow();
                    assertThat(own).matches("req-[0-9a-f]{24}");
                    assertThat(gatewayIds.add(own)).as("each request has its own gateway id").isTrue();
                    expected += cost(TestGateway.json(r).path("usage"));
                }
                assertThat(expected).isGreaterThan(1.0);
            } // closing flushes the spend log

            try (TestGateway again = TestGateway.start(CONFIG, env)) {
                JsonNode rows = TestGateway.json(again.get("/spend/logs?page_size=100&request_id=fixed-id-from-a-client", TestGateway.MASTER_KEY));
                assertThat(rows).hasSize(n);
                Set<String> stored = new HashSet<>();
                double sum = 0;
                for (JsonNode row : rows) {
                    stored.add(row.path("request_id").asText());
                    assertThat(row.path("client_request_id").asText()).isEqualTo("fixed-id-from-a-client");
                    sum += row.path("spend").asDouble();
                }
                assertThat(stored).isEqualTo(gatewayIds);
                assertThat(sum).isCloseTo(expected, within(1e-9));
                String oneId = gatewayIds.iterator().next();
                assertThat(TestGateway.json(again.get("/spend/logs?request_id=" + oneId, TestGateway.MASTER_KEY))).hasSize(1);

                JsonNode info = keyInfo(again, key);
                assertThat(info.path("spend").asDouble()).as("the key's stored spend after a restart").isCloseTo(expected, within(1e-9));

                // Budgets start from the stored spend: a budget just under it refuses the next request.
                var update = again.post("/key/update", "{\"key\": \"" + key + "\", \"max_budget\": " + (expected - 0.01) + "}");
                assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
                HttpResponse<String> refused = chat(again, key, "fixed-id-from-a-client");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
                assertThat(TestGateway.json(refused).path("error").path("type").asText()).isEqualTo("budget_exceeded");
            }
        } finally {
            dropIfPostgres(env);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void keyInfoShowsTheSpendOfRequestsAnsweredAMomentAgo(String kind) {
        Map<String, String> env = database(kind, "gw_key_info_now");
        try (TestGateway gw = TestGateway.start(CONFIG, env)) {
            String key = TestGateway.json(gw.post("/key/generate", "{\"key_alias\": \"reads-at-once\"}")).path("key").asText();
            double expected = 0;
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> r = chat(gw, key, null);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    expected += cost(TestGateway.json(r).path("usage"));
                }
                // read at once, well inside the writer's 500 ms batch interval
                assertThat(keyInfo(gw, key).path("spend").asDouble()).as("round " + round + ", /key/info").isCloseTo(expected, within(1e-9));
                JsonNode listed = TestGateway.json(gw.get("/key/list?return_full_object=true&key_alias=reads-at-once", TestGateway.MASTER_KEY));
                assertThat(listed.path("keys").path(0).path("spend").asDouble()).as("round " + round + ", /key/list").isCloseTo(expected, within(1e-9));
            }
            gw.server().governance().spendLog().flush();
            assertThat(keyInfo(gw, key).path("spend").asDouble()).as("after the flush: stored, not counted twice").isCloseTo(expected, within(1e-9));
        } finally {
            dropIfPostgres(env);
        }
    }

    static HttpResponse<String> chat(TestGateway gw, String key, String requestId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (requestId != null) b.header("x-request-id", requestId);
        return TestGateway.send(b.build());
    }

    static JsonNode keyInfo(TestGateway gw, String key) {
        var r = gw.get("/key/info?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8), TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r).path("info");
    }

    static double cost(JsonNode usage) {
        return usage.path("prompt_tokens").asLong() * IN + usage.path("completion_tokens").asLong() * OUT;
    }
}
