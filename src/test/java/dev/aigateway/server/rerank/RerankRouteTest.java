package dev.aigateway.server.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.provider.cohere.FakeCohere;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code /v1/rerank} ({@code /rerank}, {@code /v2/rerank}) in Cohere's shape through a real gateway, over raw HTTP (the
 * OpenAI SDK has no rerank): to Cohere ({@link FakeCohere}) and to an OpenAI-compatible rerank server (vLLM's shape,
 * {@link FakeOpenAi}); the answer in Cohere's shape either way, the spend row priced per query or per token.
 */
class RerankRouteTest {
    static final String KEY = "sk-fake-upstream";
    static FakeCohere cohere;
    static FakeOpenAi vllm;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        cohere = new FakeCohere(KEY);
        vllm = new FakeOpenAi(KEY);
        gw = TestGateway.start("""
                model_list:
                  - model_name: cohere-rerank
                    litellm_params: {model: cohere/rerank-v3.5, api_base: %1$s, api_key: %2$s}
                  - model_name: cohere-wrong-key
                    litellm_params: {model: cohere/rerank-v3.5, api_base: %1$s, api_key: sk-wrong-cohere-key-123}
                  - model_name: vllm-rerank
                    litellm_params: {model: hosted_vllm/BAAI/bge-reranker-v2-m3, api_base: %3$s, api_key: %2$s}
                    model_info: {mode: rerank, input_cost_per_token: 0.000001}
                """.formatted(cohere.host(), KEY, vllm.openAiBase()));
    }

    @AfterAll
    static void stop() {
        gw.close();
        cohere.close();
        vllm.close();
    }

    @BeforeEach
    void reset() {
        cohere.reset();
        vllm.reset();
    }

    static HttpResponse<String> rerank(String path, String body, String key, String requestId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) b.header("x-request-id", requestId);
        return TestGateway.send(b.build());
    }

    @Test
    void cohereRerankAnswersInCohereShapeWithTheDocumentsAndIsPricedPerQuery() {
        String id = "rerank-" + UUID.randomUUID();
        var r = rerank("/v1/rerank", """
                {"model":"cohere-rerank","query":"paris","top_n":2,
                 "documents":["Berlin is in Germany","Paris is in France",{"text":"Also paris"}]}""", TestGateway.MASTER_KEY, id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = Json.parse(r.body());
        assertThat(answer.path("id").asText()).isEqualTo("07734bd2-2473-4f07-94e1-0d9f0e6843cf");
        assertThat(answer.path("results")).hasSize(2);
        assertThat(answer.path("results").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(answer.path("results").get(0).path("document").path("text").asText()).isEqualTo("Paris is in France");
        assertThat(answer.path("results").get(1).path("document").path("text").asText()).isEqualTo("Also paris");
        assertThat(answer.path("results").get(0).path("relevance_score").asDouble()).isGreaterThan(0.5);
        assertThat(answer.path("meta").path("billed_units").path("search_units").asInt()).isEqualTo(1);

        JsonNode sent = cohere.last().json();
        assertThat(cohere.last().path()).isEqualTo("/v2/rerank");
        assertThat(sent.path("model").asText()).isEqualTo("rerank-v3.5");
        assertThat(sent.path("documents").get(2).asText()).as("an object document goes to Cohere v2 as its text").isEqualTo("Also paris");
        assertThat(sent.has("return_documents")).isFalse();

        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("arerank");
        assertThat(row.path("spend").asDouble()).isCloseTo(0.002, within(1e-12)); // rerank-v3.5: input_cost_per_query
    }

    @Test
    void theV2AndUnprefixedPathsServeRerankAndReturnDocumentsFalseLeavesThemOut() {
        for (String path : new String[]{"/v2/rerank", "/rerank"}) {
            var r = rerank(path, "{\"model\":\"cohere-rerank\",\"query\":\"q\",\"documents\":[\"a\",\"b\"],\"return_documents\":false}",
                    TestGateway.MASTER_KEY, null);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            assertThat(Json.parse(r.body()).path("results")).hasSize(2).allSatisfy(res -> assertThat(res.has("document")).isFalse());
        }
    }

    @Test
    void anOpenAiCompatibleRerankServerIsAnsweredInCohereShapeAndPricedPerToken() {
        String id = "rerank-" + UUID.randomUUID();
        var r = rerank("/rerank", "{\"model\":\"vllm-rerank\",\"query\":\"paris\",\"documents\":[\"Berlin\",\"paris\"]}", TestGateway.MASTER_KEY, id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = Json.parse(r.body());
        assertThat(answer.has("usage")).isFalse();
        assertThat(answer.path("results").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(answer.path("results").get(0).path("document").path("text").asText()).isEqualTo("paris");
        assertThat(answer.path("meta").path("billed_units").path("search_units").asInt()).isEqualTo(1);
        assertThat(vllm.lastCall().path()).isEqualTo("/v1/rerank");
        assertThat(vllm.lastCall().json().path("model").asText()).isEqualTo("BAAI/bge-reranker-v2-m3");
        // the fake counts length/4 + 1 tokens per text: "paris" 2, "Berlin" 2, "paris" 2
        JsonNode row = gw.spendRowOf(id);
        assertThat(row.path("call_type").asText()).isEqualTo("arerank");
        assertThat(row.path("prompt_tokens").asLong()).isEqualTo(6);
        assertThat(row.path("spend").asDouble()).isCloseTo(6 * 1e-6, within(1e-12));
    }

    @Test
    void boundsAndBadInputAre400BeforeAnyUpstreamCall() {
        StringBuilder docs = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) docs.append(i == 0 ? "" : ",").append("\"d\"");
        docs.append(']');
        assertParam(rerank("/v1/rerank", "{\"model\":\"cohere-rerank\",\"query\":\"q\",\"documents\":" + docs + "}", TestGateway.MASTER_KEY, null), "documents");
        assertParam(rerank("/v1/rerank", "{\"model\":\"cohere-rerank\",\"documents\":[\"a\"]}", TestGateway.MASTER_KEY, null), "query");
        assertParam(rerank("/v1/rerank", "{\"model\":\"cohere-rerank\",\"query\":\"q\",\"documents\":[\"a\"],\"top_n\":0}", TestGateway.MASTER_KEY, null), "top_n");
        assertParam(rerank("/v1/rerank", "{\"model\":\"cohere-rerank\",\"query\":\"q\",\"documents\":[1]}", TestGateway.MASTER_KEY, null), "documents");
        assertThat(cohere.requests()).isEmpty();
    }

    @Test
    void aKeyWithoutTheModelIsRefused() {
        String key = Json.parse(gw.post("/key/generate", "{\"models\":[\"cohere-rerank\"]}").body()).path("key").asText();
        var refused = rerank("/v1/rerank", "{\"model\":\"vllm-rerank\",\"query\":\"q\",\"documents\":[\"a\"]}", key, null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(vllm.calls()).isEmpty();
        assertThat(rerank("/v1/rerank", "{\"model\":\"cohere-rerank\",\"query\":\"q\",\"documents\":[\"a\"]}", key, null).statusCode()).isEqualTo(200);
    }

    @Test
    void cohereRefusingTheKeyIsAnOpenAiShapedErrorThatDoesNotShowTheKey() {
        var r = rerank("/v1/rerank", "{\"model\":\"cohere-wrong-key\",\"query\":\"q\",\"documents\":[\"a\"]}", TestGateway.MASTER_KEY, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        JsonNode error = Json.parse(r.body()).path("error");
        assertThat(error.path("message").asText()).contains("invalid api token");
        assertThat(r.body()).doesNotContain("sk-wrong-cohere-key-123");
    }

    @Test
    void healthChecksRerankModelsWithARerankCall() {
        JsonNode health = TestGateway.json(gw.get("/health", TestGateway.MASTER_KEY));
        assertThat(health.path("healthy_count").asInt()).as(health.toString()).isEqualTo(2);
        assertThat(health.path("unhealthy_count").asInt()).as("the wrong key: " + health).isEqualTo(1);
        assertThat(cohere.last().path()).isEqualTo("/v2/rerank");
        assertThat(vllm.lastCall().path()).isEqualTo("/v1/rerank");
    }

    static void assertParam(HttpResponse<String> r, String param) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Json.parse(r.body()).path("error").path("param").asText()).as(r.body()).isEqualTo(param);
    }
}
