package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** LiteLLM's batch completion: {@code model: "a,b"} on /chat/completions, through a real gateway. */
class BatchCompletionTest {
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: fast
                    litellm_params:
                      model: mock/fast
                      mock_response: from fast
                    model_info: {id: fast-1, input_cost_per_token: 0.001, output_cost_per_token: 0.002}
                  - model_name: slow
                    litellm_params:
                      model: mock/slow
                      mock_response: from slow
                      mock_latency_ms: 1500
                    model_info: {id: slow-1, input_cost_per_token: 0.001, output_cost_per_token: 0.002}
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static HttpResponse<String> chat(String model, String extra, String key, String requestId) {
        return TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + key).header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}")).build());
    }

    static String content(JsonNode completion) {
        return completion.path("choices").get(0).path("message").path("content").asText();
    }

    /** The spend rows of the requests a client sent with {@code x-request-id: clientId} (polled until {@code n} are there). */
    static JsonNode rowsOf(String clientId, int n) throws InterruptedException {
        JsonNode rows = Json.array();
        for (int i = 0; i < 100 && rows.size() < n; i++) {
            gw.server().governance().spendLog().flush();
            rows = TestGateway.json(gw.get("/spend/logs?request_id=" + clientId, TestGateway.MASTER_KEY));
            if (rows.size() < n) Thread.sleep(50);
        }
        return rows;
    }

    @Test
    void everyModelsAnswerInTheOrderNamedEachBilledOnItsOwn() throws InterruptedException {
        HttpResponse<String> r = chat("slow, fast", "", TestGateway.MASTER_KEY, "batch-list");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answers = TestGateway.json(r);
        assertThat(answers.isArray()).isTrue();
        assertThat(answers).hasSize(2);
        assertThat(content(answers.get(0))).isEqualTo("from slow");
        assertThat(content(answers.get(1))).isEqualTo("from fast");
        JsonNode rows = rowsOf("batch-list", 2);
        assertThat(rows).hasSize(2);
        assertThat(rows.findValuesAsText("model_group")).containsExactlyInAnyOrder("slow", "fast");
        assertThat(rows.findValuesAsText("status")).containsOnly("success");
        double billed = rows.get(0).path("spend").asDouble() + rows.get(1).path("spend").asDouble();
        assertThat(billed).isPositive();
        assertThat(Double.parseDouble(r.headers().firstValue("x-litellm-response-cost").orElseThrow()))
                .as("the answer's cost is every model's").isCloseTo(billed, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void fastestResponseAnswersWithTheFirst() {
        long t0 = System.nanoTime();
        HttpResponse<String> r = chat("slow,fast", ",\"fastest_response\":true", TestGateway.MASTER_KEY, "batch-fastest");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(content(TestGateway.json(r))).isEqualTo("from fast");
        assertThat(ms).as("slow answers after 1.5 s").isLessThan(1_400L);
        assertThat(r.headers().firstValue("x-litellm-fastest_response_batch_completion")).contains("true");
        assertThat(r.headers().firstValue("x-litellm-model-id")).contains("fast-1");
    }

    @Test
    void aModelThatFailsHasItsErrorInItsPlace() {
        String key = TestGateway.json(gw.post("/key/generate", "{\"models\":[\"fast\"]}")).path("key").asText();
        HttpResponse<String> r = chat("fast,slow,nope", "", key, "batch-partial");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answers = TestGateway.json(r);
        assertThat(content(answers.get(0))).isEqualTo("from fast");
        assertThat(answers.get(1).path("error").path("type").asText()).as("the key may not use slow").isEqualTo("permission_error");
        assertThat(answers.get(2).path("error").path("message").asText()).contains("nope");
        HttpResponse<String> none = chat("nope1,nope2", "", TestGateway.MASTER_KEY, "batch-none");
        assertThat(none.statusCode()).as(none.body()).isIn(400, 404);
        assertThat(TestGateway.json(none).path("error").path("message").asText()).contains("nope1");
    }

    @Test
    void badListsAreRefused() {
        String eleven = "fast,".repeat(10) + "fast";
        for (String[] bad : new String[][] {{eleven, ""}, {"fast,", ""}, {",fast", ""}, {"fast,slow", ",\"stream\":true"},
                {"fast,slow", ",\"fastest_response\":\"yes\""}}) {
            HttpResponse<String> r = chat(bad[0], bad[1], TestGateway.MASTER_KEY, "batch-bad");
            assertThat(r.statusCode()).as(bad[0] + bad[1] + " " + r.body()).isEqualTo(400);
        }
    }

    @Test
    void oneModelIgnoresFastestResponse() {
        HttpResponse<String> r = chat("fast", ",\"fastest_response\":true", TestGateway.MASTER_KEY, "batch-one");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(content(TestGateway.json(r))).isEqualTo("from fast");
    }
}
