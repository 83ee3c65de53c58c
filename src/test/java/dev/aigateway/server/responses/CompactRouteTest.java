package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.CompactedResponse;
import com.openai.models.responses.ResponseCompactParams;
import com.openai.models.responses.ResponseOutputItem;
import dev.aigateway.core.Json;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code POST /v1/responses/compact} through a real gateway: passed through to an {@code openai/} deployment (the body
 * the fake received and the bytes it answered compared with what the client sent and got), read by OpenAI's Java SDK
 * ({@code responses().compact}), accounted, bound by a key's models and routes, at Azure's path, and refused with a
 * 400 on a deployment that does not speak the Responses API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompactRouteTest {
    static final String OPENAI_KEY = "sk-openai-compact-key-0123456789";

    /** A compaction request as Codex CLI sends one (codex-api's CompactionInput), plus a gateway routing field. */
    static final String CODEX_COMPACT = """
            {"model":"gpt","input":[
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Fix the bug"}]},
              {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAAB-opaque"},
              {"type":"function_call","call_id":"call_1","name":"shell","arguments":"{\\"command\\":[\\"ls\\"]}"},
              {"type":"function_call_output","call_id":"call_1","output":"main.py"},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Fixed."}]}],
             "instructions":"You are Codex.",
             "tools":[{"type":"function","name":"shell","description":"Runs a command","strict":false,
                       "parameters":{"type":"object","properties":{"command":{"type":"array","items":{"type":"string"}}}}}],
             "parallel_tool_calls":false,"reasoning":{"effort":"high","summary":"auto"},"prompt_cache_key":"conv-7",
             "text":{"verbosity":"low"},"num_retries":0}""";

    static final String COMPACTED_JSON = """
            {"id":"resp_cmp_1","object":"response.compaction","created_at":1764967971,
             "output":[{"id":"msg_u","type":"message","status":"completed","role":"user","content":[{"type":"input_text","text":"Fix the bug"}]},
                       {"id":"cmp_1","type":"compaction","encrypted_content":"gAAAAB-compacted"}],
             "usage":{"input_tokens":1400,"input_tokens_details":{"cached_tokens":1000},"output_tokens":90,
                      "output_tokens_details":{"reasoning_tokens":64},"total_tokens":1490}}""";

    FakeOpenAi openAi;
    FakeAnthropic anthropic;
    TestGateway gw;
    OpenAIClient sdk;

    @BeforeAll
    void start() {
        openAi = new FakeOpenAi(OPENAI_KEY);
        anthropic = new FakeAnthropic();
        gw = TestGateway.start("""
                model_list:
                  - model_name: gpt
                    litellm_params: {model: openai/gpt-5-codex, api_base: "%s", api_key: "%s"}
                    model_info: {id: dep-gpt, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "%s", api_key: "%s"}
                  - model_name: openai-chat-only
                    litellm_params: {model: openai/local-model, api_base: "%s", api_key: "%s"}
                    model_info: {supported_endpoints: ["/v1/chat/completions"]}
                router_settings:
                  num_retries: 0
                  allowed_fails: 100000
                """.formatted(openAi.openAiBase(), OPENAI_KEY, anthropic.host(), FakeAnthropic.KEY, openAi.openAiBase(), OPENAI_KEY));
        sdk = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl() + "/v1").maxRetries(0).build();
    }

    @AfterAll
    void stop() {
        if (sdk != null) sdk.close();
        if (gw != null) gw.close();
        openAi.close();
        anthropic.close();
    }

    @BeforeEach
    void reset() {
        openAi.reset();
        anthropic.reset();
    }

    HttpResponse<String> post(String path, String body, String key, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return TestGateway.send(b.build());
    }

    JsonNode spendRow(String clientRequestId) {
        return gw.spendRowOf(clientRequestId);
    }

    @Test
    void theClientsBodyReachesTheUpstreamsCompactEndpointWithOnlyTheModelRewrittenAndItsAnswerComesBackUnchanged() {
        openAi.replayCompaction(COMPACTED_JSON);

        HttpResponse<String> r = post("/v1/responses/compact", CODEX_COMPACT, TestGateway.MASTER_KEY,
                Map.of("x-request-id", "t-compact-native", "x-codex-beta-features", "remote_compaction_v2"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.parse(r.body())).isEqualTo(Json.parse(COMPACTED_JSON));
        FakeOpenAi.Call call = openAi.lastCall();
        assertThat(call.path()).isEqualTo("/v1/responses/compact");
        assertThat(call.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        ObjectNode expected = (ObjectNode) Json.parse(CODEX_COMPACT);
        expected.put("model", "gpt-5-codex");
        expected.remove("num_retries"); // the gateway's routing field, not OpenAI's
        assertThat(call.json()).isEqualTo(expected);
        assertThat(ResponsesRouteTest.names(call.json())).as("field order kept").isEqualTo(ResponsesRouteTest.names(expected));
        assertThat(call.json().has("max_output_tokens")).as("compaction takes no output limit").isFalse();

        JsonNode row = spendRow("t-compact-native");
        assertThat(row.path("call_type").asText()).isEqualTo("responses_compact");
        assertThat(row.path("model_id").asText()).isEqualTo("dep-gpt");
        assertThat(row.path("prompt_tokens").asLong()).isEqualTo(1400);
        assertThat(row.path("completion_tokens").asLong()).isEqualTo(90);
        assertThat(row.path("spend").asDouble()).as("priced like /v1/responses: cached input tokens cost less")
                .isGreaterThan(0).isLessThan(1400 * 0.000001 + 90 * 0.000002);
    }

    @Test
    void theSdksCompactReadsTheAnswerAndThePathWithoutV1AnswersToo() {
        CompactedResponse c = sdk.responses().compact(ResponseCompactParams.builder().model("gpt").input("Summarise our work so far").build());
        assertThat(c.id()).startsWith("resp_cmp_fake");
        assertThat(c.output()).anyMatch(ResponseOutputItem::isCompaction);
        assertThat(c.usage().inputTokens()).isEqualTo(FakeOpenAi.DEFAULT_PROMPT_TOKENS);
        assertThat(openAi.lastCall().json().path("model").asText()).isEqualTo("gpt-5-codex");

        HttpResponse<String> bare = post("/responses/compact", "{\"model\":\"gpt\",\"input\":\"x\"}", TestGateway.MASTER_KEY, Map.of());
        assertThat(bare.statusCode()).as(bare.body()).isEqualTo(200);
        assertThat(Json.parse(bare.body()).path("object").asText()).isEqualTo("response.compaction");
    }

    @Test
    void anUpstreamErrorKeepsOpenAisShapeAndStatus() {
        HttpResponse<String> r = post("/v1/responses/compact", "{\"model\":\"gpt\",\"input\":\"x\",\"stream\":true}", TestGateway.MASTER_KEY, Map.of());
        assertThat(r.statusCode()).as("stream passes through, and OpenAI refuses it on compaction").isEqualTo(400);
        JsonNode err = Json.parse(r.body()).path("error");
        assertThat(err.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.path("message").asText()).contains("stream");
    }

    @Test
    void aDeploymentThatDoesNotSpeakTheResponsesApiIsAClear400AndNoUpstreamIsCalled() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> sdk.responses().compact(ResponseCompactParams.builder().model("claude").input("x").build()));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.getMessage()).contains("Responses API");
        assertThat(e.body().toString()).contains("param=model");
        assertThat(anthropic.requests()).isEmpty();

        HttpResponse<String> chatOnly = post("/v1/responses/compact", "{\"model\":\"openai-chat-only\",\"input\":\"x\"}", TestGateway.MASTER_KEY, Map.of());
        assertThat(chatOnly.statusCode()).isEqualTo(400);
        assertThat(openAi.calls()).as("a compatible server without the Responses API is not asked").isEmpty();
    }

    /** Codex's remote_compaction_v2: a /v1/responses whose input ends with a compaction_trigger item. */
    @Test
    void compactionV2ThroughResponsesPassesThroughNativelyAndIsA400WhereTranslated() {
        String v2 = "{\"model\":\"%s\",\"input\":[{\"role\":\"user\",\"content\":\"Fix the bug\"},{\"type\":\"compaction_trigger\"}]}";
        HttpResponse<String> nat = post("/v1/responses", v2.formatted("gpt"), TestGateway.MASTER_KEY, Map.of());
        assertThat(nat.statusCode()).as(nat.body()).isEqualTo(200);
        assertThat(openAi.lastCall().json().path("input").get(1).path("type").asText()).isEqualTo("compaction_trigger");

        HttpResponse<String> translated = post("/v1/responses", v2.formatted("claude"), TestGateway.MASTER_KEY, Map.of());
        ResponsesRouteTest.assertBad(translated, "input");
        assertThat(Json.parse(translated.body()).path("error").path("message").asText()).contains("compaction_trigger");
        assertThat(anthropic.requests()).isEmpty();
    }

    @Test
    void badRequestsAre400sNamingTheField() {
        ResponsesRouteTest.assertBad(post("/v1/responses/compact", "{\"model\":\"gpt\",\"input\":5}", TestGateway.MASTER_KEY, Map.of()), "input");
        ResponsesRouteTest.assertBad(post("/v1/responses/compact", "{\"model\":\"gpt\",\"input\":\"x\",\"instructions\":7}", TestGateway.MASTER_KEY, Map.of()), "instructions");
        assertThat(openAi.calls()).isEmpty();
    }

    @Test
    void aKeysModelsAndAllowedRoutesBindCompactionLikeAnyResponsesCall() {
        String claudeOnly = generate("{\"models\": [\"claude\"]}");
        HttpResponse<String> denied = post("/v1/responses/compact", "{\"model\":\"gpt\",\"input\":\"x\"}", claudeOnly, Map.of());
        assertThat(denied.statusCode()).as(denied.body()).isIn(401, 403);
        assertThat(openAi.calls()).isEmpty();

        String chatRoute = generate("{\"allowed_routes\": [\"/chat/completions\"]}");
        HttpResponse<String> wrongRoute = post("/v1/responses/compact", "{\"model\":\"gpt\",\"input\":\"x\"}", chatRoute, Map.of());
        assertThat(wrongRoute.statusCode()).as(wrongRoute.body()).isEqualTo(403);
        assertThat(openAi.calls()).isEmpty();

        for (String allowed : new String[]{"openai_routes", "llm_api_routes", "/v1/responses/compact"}) {
            String key = generate("{\"allowed_routes\": [\"" + allowed + "\"]}");
            HttpResponse<String> ok = post("/v1/responses/compact", "{\"model\":\"gpt\",\"input\":\"x\"}", key, Map.of());
            assertThat(ok.statusCode()).as(allowed + ": " + ok.body()).isEqualTo(200);
        }
    }

    String generate(String json) {
        HttpResponse<String> r = gw.post("/key/generate", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r).path("key").asText();
    }

    @Test
    void anAzureDeploymentIsCompactedAtItsResponsesPath() {
        FakeOpenAi azure = new FakeOpenAi("azure-key-0123456789");
        try (TestGateway az = TestGateway.start("""
                model_list:
                  - model_name: az
                    litellm_params: {model: azure/my-gpt5, api_base: "%s", api_key: "azure-key-0123456789"}
                  - model_name: az-dated
                    litellm_params: {model: azure/my-gpt5, api_base: "%s", api_key: "azure-key-0123456789", api_version: "2025-04-01-preview"}
                """.formatted(azure.host(), azure.host()))) {
            for (String model : new String[]{"az", "az-dated"}) {
                HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(az.baseUrl() + "/v1/responses/compact"))
                        .header("content-type", "application/json").header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"input\":\"Hi\"}")).build());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(azure.lastCall().header("api-key")).isEqualTo("azure-key-0123456789");
                assertThat(azure.lastCall().json().path("model").asText()).as("the deployment's name").isEqualTo("my-gpt5");
            }
            assertThat(azure.calls().get(0).path()).isEqualTo("/openai/v1/responses/compact");
            assertThat(azure.calls().get(1).path()).isEqualTo("/openai/responses/compact");
            assertThat(azure.calls().get(1).apiVersion()).isEqualTo("2025-04-01-preview");
        } finally {
            azure.close();
        }
    }
}
