package dev.aigateway.server.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.pricing.PriceTable;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * LiteLLM's wildcard model_list entries through the real gateway, with in-process fakes of Anthropic and OpenAI: the
 * upstream receives the concrete model (chat and /v1/messages), exact names win over patterns and the most specific
 * pattern over the others, key allow-lists, /v1/models, the spend row and price of the concrete model, fallbacks to and
 * from wildcard-served names, and the entry's own rpm.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WildcardModelsTest {
    static final String OPENAI_KEY = "sk-openai-wildcard-key-0123456789";

    FakeAnthropic anthropic;
    FakeOpenAi openAi;
    TestGateway gw;

    @BeforeAll
    void start() {
        anthropic = new FakeAnthropic();
        openAi = new FakeOpenAi(OPENAI_KEY);
        String a = "api_base: \"" + anthropic.host() + "\", api_key: \"" + FakeAnthropic.KEY + "\"";
        String o = "api_base: \"" + openAi.openAiBase() + "\", api_key: \"" + OPENAI_KEY + "\"";
        gw = TestGateway.start("""
                model_list:
                  - model_name: "*"
                    litellm_params: {model: "openai/*", %2$s}
                    model_info: {id: any-openai}
                  - model_name: "anthropic/*"
                    litellm_params: {model: "anthropic/*", %1$s}
                    model_info: {id: anthropic-wild}
                  - model_name: "claude-*"
                    litellm_params: {model: "anthropic/claude-*", %1$s}
                    model_info: {id: claude-wild}
                  - model_name: "groq/*"
                    litellm_params: {model: "groq/*", %2$s, rpm: 2}
                    model_info: {id: groq-wild}
                  - model_name: claude-haiku-4-5
                    litellm_params: {model: "anthropic/claude-3-5-haiku-20241022", %1$s}
                    model_info: {id: haiku-exact}
                  - model_name: gpt-exact
                    litellm_params: {model: "openai/gpt-4o-mini", %2$s}
                    model_info: {id: gpt-exact}
                router_settings:
                  num_retries: 0
                  allowed_fails: 100000
                  fallbacks: [{"claude-*": ["gpt-exact"]}]
                """.formatted(a, o));
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
        anthropic.close();
        openAi.close();
    }

    @BeforeEach
    void reset() {
        anthropic.reset();
        openAi.reset();
    }

    static String chat(String model) {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    }

    HttpResponse<String> post(String path, String body, String key, String requestId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) b.header("x-request-id", requestId);
        return TestGateway.send(b.build());
    }

    /** The request's spend row; its accounting runs when the response has ended, so it may land a moment after. */
    JsonNode spendRow(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            gw.server().governance().spendLog().flush();
            JsonNode rows = TestGateway.json(gw.get("/spend/logs?request_id=" + requestId, TestGateway.MASTER_KEY));
            if (!rows.isEmpty() || System.nanoTime() > deadline) {
                assertThat(rows).hasSize(1);
                return rows.get(0);
            }
            Thread.sleep(20);
        }
    }

    String key(String models) {
        HttpResponse<String> r = gw.post("/key/generate", "{\"models\": " + models + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r).path("key").asText();
    }

    @Test
    void chatThroughAClaudePatternSendsTheRequestedModelAndBillsIt() throws InterruptedException {
        HttpResponse<String> r = post("/v1/chat/completions", chat("claude-opus-4-1"), TestGateway.MASTER_KEY, "wc-chat");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(anthropic.last().json().path("model").asText()).isEqualTo("claude-opus-4-1");
        assertThat(r.headers().firstValue("x-gateway-model-id")).contains("claude-wild");
        JsonNode row = spendRow("wc-chat");
        assertThat(row.path("model").asText()).as("the concrete model, not the pattern").isEqualTo("claude-opus-4-1");
        assertThat(row.path("model_group").asText()).isEqualTo("claude-opus-4-1");
        assertThat(row.path("model_id").asText()).isEqualTo("claude-wild");
        ModelPrice price = PriceTable.bundled().lookup("anthropic", "claude-opus-4-1");
        assertThat(price.inputCostPerToken()).as("the bundled table prices it").isNotNull();
        double expected = FakeAnthropic.INPUT_TOKENS * price.inputCostPerToken()
                + FakeAnthropic.CACHE_READ * price.cacheReadInputTokenCost()
                + FakeAnthropic.CACHE_CREATION * price.cacheCreationInputTokenCost()
                + row.path("completion_tokens").asLong() * price.outputCostPerToken();
        assertThat(row.path("spend").asDouble()).isPositive().isCloseTo(expected, within(1e-12));
    }

    @Test
    void messagesThroughAProviderPatternSendTheModelWithoutItsPrefix() throws InterruptedException {
        HttpResponse<String> r = post("/v1/messages", """
                {"model": "anthropic/claude-sonnet-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": "hi"}]}""",
                TestGateway.MASTER_KEY, "wc-messages");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(anthropic.last().path()).isEqualTo("/v1/messages");
        assertThat(anthropic.last().json().path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(r.headers().firstValue("x-gateway-model-id")).contains("anthropic-wild");
        assertThat(spendRow("wc-messages").path("model").asText()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void anExactNameWinsOverEveryPatternAndTheCatchAllTakesTheRest() {
        post("/v1/chat/completions", chat("claude-haiku-4-5"), TestGateway.MASTER_KEY, null);
        assertThat(anthropic.last().json().path("model").asText()).as("the exact entry's model").isEqualTo("claude-3-5-haiku-20241022");

        OpenAIClient sdk = gw.openAi();
        ChatCompletion c = sdk.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4.1-nano")
                .addUserMessage("hi").build());
        assertThat(openAi.lastCall().json().path("model").asText()).isEqualTo("gpt-4.1-nano");
        assertThat(c.choices()).isNotEmpty();
    }

    @Test
    void aPatternItselfOrAnUnsafeNameIsNoModel() {
        HttpResponse<String> star = post("/v1/chat/completions", chat("anthropic/*"), TestGateway.MASTER_KEY, null);
        assertThat(star.statusCode()).isEqualTo(404);
        String longName = "claude-" + "x".repeat(300);
        HttpResponse<String> tooLong = post("/v1/chat/completions", chat(longName), TestGateway.MASTER_KEY, null);
        assertThat(tooLong.statusCode()).isEqualTo(404);
        assertThat(tooLong.body()).as("the name is not echoed whole").doesNotContain(longName).contains("...");
        HttpResponse<String> control = post("/v1/chat/completions", chat("claude-a\\u0007b"), TestGateway.MASTER_KEY, null);
        assertThat(control.statusCode()).isEqualTo(404);
        assertThat(anthropic.requests()).isEmpty();
        assertThat(openAi.calls()).isEmpty();
    }

    @Test
    void keyAllowListsMatchTheRequestedName() {
        String provider = key("[\"anthropic/*\"]");
        assertThat(post("/v1/chat/completions", chat("anthropic/claude-opus-4-1"), provider, null).statusCode()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", chat("claude-opus-4-1"), provider, null).statusCode()).isEqualTo(403);
        assertThat(post("/v1/chat/completions", chat("gpt-4o"), provider, null).statusCode()).isEqualTo(403);

        String claude = key("[\"claude-*\"]");
        assertThat(post("/v1/chat/completions", chat("claude-opus-4-1"), claude, null).statusCode()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", chat("anthropic/claude-opus-4-1"), claude, null).statusCode()).isEqualTo(403);

        String one = key("[\"claude-sonnet-4-5\"]");
        HttpResponse<String> ok = post("/v1/chat/completions", chat("claude-sonnet-4-5"), one, null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(anthropic.last().json().path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(post("/v1/chat/completions", chat("claude-opus-4-1"), one, null).statusCode()).isEqualTo(403);

        JsonNode listed = TestGateway.json(gw.get("/v1/models", claude));
        List<String> ids = ids(listed);
        assertThat(ids).contains("claude-opus-4-1", "claude-sonnet-4-5").allMatch(id -> id.startsWith("claude-"));
        assertThat(gw.get("/v1/models/claude-opus-4-1", claude).statusCode()).isEqualTo(200);
        assertThat(gw.get("/v1/models/gpt-4o", claude).statusCode()).isEqualTo(404);
    }

    @Test
    void modelsListsTheKnownModelsOfEachPatternNotThePatterns() {
        HttpResponse<String> r = gw.get("/v1/models", TestGateway.MASTER_KEY);
        List<String> ids = ids(TestGateway.json(r));
        assertThat(ids).contains("gpt-exact", "claude-haiku-4-5", "anthropic/claude-sonnet-4-5", "claude-opus-4-1", "gpt-4o")
                .doesNotContain("*", "anthropic/*", "claude-*")
                .doesNotHaveDuplicates();
        assertThat(ids.stream().filter(id -> id.startsWith("groq/"))).isNotEmpty();
        assertThat(gw.get("/v1/models/anthropic/claude-opus-4-1", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);

        JsonNode info = TestGateway.json(gw.get("/model/info", TestGateway.MASTER_KEY));
        List<String> names = new ArrayList<>();
        info.path("data").forEach(m -> names.add(m.path("model_name").asText()));
        assertThat(names).as("the admin view shows the entries as configured").contains("*", "anthropic/*", "claude-*", "groq/*");
    }

    @Test
    void fallbacksReachAWildcardServedNameAndAPatternsFallbacksApplyToItsNames() {
        openAi.scenario(new Scenario.Error(500));
        HttpResponse<String> toPattern = post("/v1/chat/completions",
                "{\"model\": \"gpt-exact\", \"fallbacks\": [\"claude-opus-4-1\"], \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                TestGateway.MASTER_KEY, null);
        assertThat(toPattern.statusCode()).as(toPattern.body()).isEqualTo(200);
        assertThat(anthropic.last().json().path("model").asText()).isEqualTo("claude-opus-4-1");

        openAi.reset();
        anthropic.scenario(new Scenario.Error(500));
        HttpResponse<String> fromPattern = post("/v1/chat/completions", chat("claude-opus-4-1"), TestGateway.MASTER_KEY, null);
        assertThat(fromPattern.statusCode()).as("fallbacks configured for claude-*").isEqualTo(200);
        assertThat(openAi.lastCall().json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(fromPattern.headers().firstValue("x-gateway-model-id")).contains("gpt-exact");
    }

    @Test
    void theEntrysRpmCountsEveryNameItServes() {
        // the only test calling groq/*: its rpm of 2 is this test's
        HttpResponse<String> groq = post("/v1/chat/completions", chat("groq/llama-3.3-70b-versatile"), TestGateway.MASTER_KEY, null);
        assertThat(groq.statusCode()).as(groq.body()).isEqualTo(200);
        assertThat(openAi.lastCall().json().path("model").asText()).isEqualTo("llama-3.3-70b-versatile");
        assertThat(groq.headers().firstValue("x-gateway-model-id")).contains("groq-wild");
        assertThat(post("/v1/chat/completions", chat("groq/model-b"), TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(200);
        HttpResponse<String> third = post("/v1/chat/completions", chat("groq/model-c"), TestGateway.MASTER_KEY, null);
        assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
    }

    @Test
    void aRuntimeModelMayBeAWildcard() throws InterruptedException {
        HttpResponse<String> created = gw.post("/model/new", """
                {"model_name": "rt-mock-*", "litellm_params": {"model": "mock/echo-*"}, "model_info": {"id": "rt-wild"}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        try {
            HttpResponse<String> r = post("/v1/chat/completions", chat("rt-mock-abc"), TestGateway.MASTER_KEY, "wc-runtime");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-gateway-model-id")).contains("rt-wild");
            assertThat(spendRow("wc-runtime").path("model").asText()).isEqualTo("echo-abc");
            JsonNode untested = TestGateway.json(gw.post("/model/test", """
                    {"model_name": "rt-mock-*", "litellm_params": {"model": "mock/echo-*"}}"""));
            assertThat(untested.path("ok").asBoolean()).as("a wildcard entry has no model of its own to call").isFalse();
            assertThat(untested.path("error").path("message").asText()).contains("health_check_model");
            JsonNode tested = TestGateway.json(gw.post("/model/test", """
                    {"model_name": "rt-mock-*", "litellm_params": {"model": "mock/echo-*", "mock_error_status": 503},
                     "model_info": {"health_check_model": "mock/echo-x"}}"""));
            assertThat(tested.path("ok").asBoolean()).as("the health_check_model is called: " + tested).isFalse();
            assertThat(tested.path("error").path("status").asInt()).isEqualTo(503);
        } finally {
            gw.post("/model/delete", "{\"id\": \"rt-wild\"}");
        }
        assertThat(post("/v1/chat/completions", chat("rt-mock-abc"), TestGateway.MASTER_KEY, null).statusCode())
                .as("now the catch-all's").isEqualTo(200);
        assertThat(openAi.lastCall().json().path("model").asText()).isEqualTo("rt-mock-abc");
    }

    @Test
    void healthChecksSkipAWildcardEntryRatherThanCallTheModelStar() {
        JsonNode health = TestGateway.json(gw.get("/health", TestGateway.MASTER_KEY));
        assertThat(health.path("unhealthy_count").asInt()).as(health.toString()).isZero();
        List<String> skipped = new ArrayList<>();
        health.path("healthy_endpoints").forEach(e -> {
            if (e.path("health_check").asText().startsWith("skipped")) skipped.add(e.path("model_name").asText());
        });
        assertThat(skipped).containsExactlyInAnyOrder("*", "anthropic/*", "claude-*", "groq/*");
        assertThat(anthropic.requests()).extracting(r -> r.json().path("model").asText()).containsExactly("claude-3-5-haiku-20241022");
    }

    static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("data").forEach(m -> out.add(m.path("id").asText()));
        return out;
    }
}
