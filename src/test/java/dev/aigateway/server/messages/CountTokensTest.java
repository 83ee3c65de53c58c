package dev.aigateway.server.messages;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.governance.spend.CostEstimator;
import dev.aigateway.governance.spend.Tokenizer;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.anthropic.MessagesApi;
import dev.aigateway.server.chat.ChatRequestValidator;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code POST /v1/messages/count_tokens} through a real gateway: an {@code anthropic/} deployment's count comes from
 * the upstream (a fake that records what it was sent), any other deployment's is the gateway's o200k estimate, which
 * is never below what a budget reserves for the same request. Also {@code ?beta=true} on both Anthropic routes, the
 * official SDK's {@code countTokens}, errors in Anthropic's shape, and that counting bills nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CountTokensTest {
    private static final String DEPLOYMENT_KEY = "sk-ant-deployment-credential-4f9e2a";
    private static final String BODY = """
            {"model": "claude", "system": "You are terse.",
             "messages": [{"role": "user", "content": "how many tokens is this"}],
             "thinking": {"type": "enabled", "budget_tokens": 2048},
             "tools": [{"name": "get_weather", "description": "Weather of a city",
                        "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]}""";

    FakeAnthropic anthropic;
    TestGateway gw;

    @BeforeAll
    void start() {
        anthropic = new FakeAnthropic(DEPLOYMENT_KEY);
        gw = TestGateway.start("""
                model_list:
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "%s", api_key: "%s"}
                  - model_name: local
                    litellm_params: {model: mock/local, mock_response: "ok"}
                router_settings: {num_retries: 0}
                """.formatted(anthropic.host(), DEPLOYMENT_KEY));
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
        if (anthropic != null) anthropic.close();
    }

    @BeforeEach
    void resetFake() {
        anthropic.reset();
    }

    @Test
    void anAnthropicDeploymentsCountComesFromTheUpstreamWithTheClientsHeaders() {
        for (String path : new String[]{"/v1/messages/count_tokens?beta=true", "/messages/count_tokens", "/v1/messages/count_tokens/"}) {
            anthropic.reset();
            HttpResponse<String> r = post(path, BODY, TestGateway.MASTER_KEY,
                    Map.of("anthropic-version", "2023-06-01", "anthropic-beta", "token-counting-2024-11-01,some-future-beta-2099"));
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            JsonNode answer = TestGateway.json(r);
            assertThat(answer.path("input_tokens").asLong()).as("the upstream's count").isGreaterThan(FakeAnthropic.COUNT_BASE);

            assertThat(anthropic.requests()).hasSize(1);
            FakeUpstream.Recorded sent = anthropic.last();
            assertThat(sent.path()).isEqualTo("/v1/messages/count_tokens");
            assertThat(sent.headers().get("x-api-key")).as("the deployment's key, not the caller's").isEqualTo(DEPLOYMENT_KEY);
            assertThat(sent.headers().get("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(sent.headers().get("anthropic-beta")).isEqualTo("token-counting-2024-11-01,some-future-beta-2099");
            ObjectNode expected = (ObjectNode) Json.parse(BODY);
            expected.put("model", "claude-sonnet-4-5");
            assertThat(sent.json()).as("only model is rewritten; nothing is added (no max_tokens)").isEqualTo(expected);
        }
    }

    @Test
    void blocksNoTranslationKnowsReachTheUpstreamUnchangedAndRoutingFieldsAndUnsignedThinkingDoNot() {
        String rich = """
                {"model": "claude", "fallbacks": ["local"], "num_retries": 2,
                 "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
                 "messages": [
                   {"role": "user", "content": [{"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "A doc."},
                                                 "citations": {"enabled": true}}, {"type": "text", "text": "Summarise"}]},
                   {"role": "assistant", "content": [{"type": "redacted_thinking", "data": "EmwKAhgBEgy"},
                                                      {"type": "thinking", "thinking": "hmm", "signature": "sig-1"},
                                                      {"type": "thinking", "thinking": "another model's", "signature": ""},
                                                      {"type": "some_future_block", "payload": {"x": 1}},
                                                      {"type": "text", "text": "Done."}]},
                   {"role": "user", "content": "again"}],
                 "tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 3}],
                 "context_management": {"edits": [{"type": "clear_tool_uses_20250919"}]}}""";
        HttpResponse<String> r = post("/v1/messages/count_tokens?beta=true", rich, TestGateway.MASTER_KEY,
                Map.of("anthropic-version", "2023-06-01", "anthropic-beta", "context-management-2025-06-27"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ObjectNode expected = (ObjectNode) Json.parse(rich);
        expected.put("model", "claude-sonnet-4-5");
        expected.remove(java.util.List.of("fallbacks", "num_retries"));
        // an unsigned thinking block (another provider's reasoning) is left out, as /v1/messages leaves it out
        ((com.fasterxml.jackson.databind.node.ArrayNode) expected.get("messages").get(1).get("content")).remove(2);
        assertThat(anthropic.last().json()).isEqualTo(expected);
    }

    @Test
    void withoutClientHeadersTheGatewaysApiVersionIsSentAndNoBeta() {
        HttpResponse<String> r = post("/v1/messages/count_tokens", BODY, TestGateway.MASTER_KEY, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(anthropic.last().headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(anthropic.last().headers().get("anthropic-beta")).isNull();
    }

    @Test
    void otherDeploymentsGetTheLocalEstimateNeverBelowTheBudgetReservation() {
        String body = BODY.replace("\"claude\"", "\"local\"");
        HttpResponse<String> r = post("/v1/messages/count_tokens?beta=true", body, TestGateway.MASTER_KEY, Map.of("anthropic-version", "2023-06-01"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        long estimate = TestGateway.json(r).path("input_tokens").asLong();
        assertThat(anthropic.requests()).as("no upstream is asked").isEmpty();

        // What a budget reserves for the same request on /v1/messages: its translation, counted by CostEstimator.
        Tokenizer.load();
        ObjectNode asMessages = (ObjectNode) Json.parse(body);
        asMessages.put("max_tokens", 100);
        ObjectNode chat = ChatRequestValidator.validate(MessagesApi.toOpenAiRequest(asMessages));
        long reserved = CostEstimator.billedPromptTokens(chat);
        assertThat(reserved).as("the prompt, system and tools are counted").isGreaterThan(20);
        assertThat(estimate).isGreaterThanOrEqualTo(reserved);
        // and it is an o200k count, not the byte-length bound used while the tokenizer loads
        assertThat(estimate).isLessThan(body.length() / 2);
    }

    @Test
    void theOfficialSdkCountsThroughTheGateway() {
        AnthropicClient client = sdk(TestGateway.MASTER_KEY);
        try {
            MessageCountTokensParams params = MessageCountTokensParams.builder()
                    .model("claude").system("You are terse.").addUserMessage("how many tokens is this")
                    .addTool(Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder().build()).build())
                    .build();
            long upstream = client.messages().countTokens(params).inputTokens();
            assertThat(upstream).isGreaterThan(FakeAnthropic.COUNT_BASE);
            assertThat(anthropic.last().path()).isEqualTo("/v1/messages/count_tokens");
            assertThat(anthropic.last().headers().get("anthropic-version")).as("the SDK's version reaches the upstream").isNotNull();

            long local = client.messages().countTokens(params.toBuilder().model("local").build()).inputTokens();
            assertThat(local).isBetween(5L, 200L);

            // the SDK's beta service, with its anthropic-beta header
            var beta = client.beta().messages().countTokens(com.anthropic.models.beta.messages.MessageCountTokensParams.builder()
                    .model("claude").addUserMessage("hello there").addBeta("context-management-2025-06-27").build());
            assertThat(beta.inputTokens()).isGreaterThan(FakeAnthropic.COUNT_BASE);
            assertThat(anthropic.last().headers().get("anthropic-beta")).contains("context-management-2025-06-27");
        } finally {
            client.close();
        }
    }

    @Test
    void upstreamErrorsComeBackInAnthropicsShapeWithTheKeyRedacted() {
        anthropic.scenario(new Scenario.Error(401, "echo_key"));
        try {
            HttpResponse<String> r = post("/v1/messages/count_tokens", BODY, TestGateway.MASTER_KEY, Map.of("anthropic-version", "2023-06-01"));
            assertThat(r.statusCode()).isEqualTo(401);
            JsonNode e = TestGateway.json(r);
            assertThat(e.path("type").asText()).isEqualTo("error");
            assertThat(e.path("error").path("type").asText()).isEqualTo("authentication_error");
            assertThat(e.path("error").path("message").asText()).contains("invalid x-api-key").contains("[redacted]");
            assertThat(r.body()).doesNotContain(DEPLOYMENT_KEY);

            anthropic.scenario(new Scenario.Error(529, "overloaded"));
            HttpResponse<String> overloaded = post("/v1/messages/count_tokens", BODY, TestGateway.MASTER_KEY, Map.of());
            // Anthropic's status and type, as on /v1/messages
            assertThat(overloaded.statusCode()).isEqualTo(529);
            assertThat(TestGateway.json(overloaded).path("error").path("type").asText()).isEqualTo("overloaded_error");
            AnthropicClient client = sdk(TestGateway.MASTER_KEY);
            try {
                assertThatThrownBy(() -> client.messages().countTokens(MessageCountTokensParams.builder()
                        .model("claude").addUserMessage("hi").build()))
                        .isInstanceOfSatisfying(AnthropicServiceException.class, ex -> assertThat(ex.statusCode()).isEqualTo(529));
            } finally {
                client.close();
            }
        } finally {
            anthropic.scenario(new Scenario.Text("ok"));
        }
    }

    @Test
    void callersAreCheckedAsOnMessagesAndErrorsAreAnthropicShaped() {
        String onlyLocal = TestGateway.json(gw.post("/key/generate", "{\"models\": [\"local\"]}")).path("key").asText();
        HttpResponse<String> notAllowed = post("/v1/messages/count_tokens", BODY, onlyLocal, Map.of());
        assertThat(notAllowed.statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(notAllowed).path("error").path("type").asText()).isEqualTo("permission_error");
        assertThat(anthropic.requests()).isEmpty();

        String chatOnly = TestGateway.json(gw.post("/key/generate", "{\"allowed_routes\": [\"/chat/completions\"]}")).path("key").asText();
        assertThat(post("/v1/messages/count_tokens", BODY, chatOnly, Map.of()).statusCode()).isEqualTo(403);
        String anthropicRoutes = TestGateway.json(gw.post("/key/generate", "{\"allowed_routes\": [\"anthropic_routes\"]}")).path("key").asText();
        assertThat(post("/v1/messages/count_tokens", BODY, anthropicRoutes, Map.of()).statusCode()).isEqualTo(200);

        assertThat(post("/v1/messages/count_tokens", BODY, "sk-wrong-key-000", Map.of()).statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = post("/v1/messages/count_tokens", BODY.replace("\"claude\"", "\"nope\""), TestGateway.MASTER_KEY, Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestGateway.json(unknown).path("error").path("type").asText()).isEqualTo("not_found_error");
        HttpResponse<String> noMessages = post("/v1/messages/count_tokens", "{\"model\": \"local\"}", TestGateway.MASTER_KEY, Map.of());
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(noMessages).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(post("/v1/messages/count_tokens", "not json", TestGateway.MASTER_KEY, Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void countingWritesNoSpendRowAndUsesNoRateLimit() {
        String key = TestGateway.json(gw.post("/key/generate", "{\"rpm_limit\": 1}")).path("key").asText();
        for (String model : new String[]{"claude", "local", "claude"}) {
            HttpResponse<String> r = post("/v1/messages/count_tokens", BODY.replace("\"claude\"", "\"" + model + "\""), key,
                    Map.of("x-request-id", "count-tokens-" + model));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        // the key's one request a minute is still there
        HttpResponse<String> message = post("/v1/messages?beta=true", """
                {"model": "local", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}""", key,
                Map.of("x-request-id", "real-message", "anthropic-version", "2023-06-01"));
        assertThat(message.statusCode()).as("?beta=true on /v1/messages: " + message.body()).isEqualTo(200);
        assertThat(TestGateway.json(message).path("type").asText()).isEqualTo("message");

        gw.server().governance().spendLog().flush();
        assertThat(TestGateway.json(gw.get("/spend/logs?request_id=real-message", TestGateway.MASTER_KEY))).hasSize(1);
        for (String model : new String[]{"claude", "local"}) {
            assertThat(TestGateway.json(gw.get("/spend/logs?request_id=count-tokens-" + model, TestGateway.MASTER_KEY))).isEmpty();
        }
    }

    private AnthropicClient sdk(String key) {
        return AnthropicOkHttpClient.builder().apiKey(key).baseUrl(gw.baseUrl()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    private HttpResponse<String> post(String path, String body, String key, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return TestGateway.send(b.build());
    }
}
