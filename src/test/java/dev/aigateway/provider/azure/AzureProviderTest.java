package dev.aigateway.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.provider.openai.ProviderTestKit;
import dev.aigateway.testing.RecordingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static dev.aigateway.provider.openai.ProviderTestKit.await;
import static dev.aigateway.provider.openai.ProviderTestKit.deployment;
import static dev.aigateway.provider.openai.ProviderTestKit.eventually;
import static dev.aigateway.provider.openai.ProviderTestKit.failure;
import static dev.aigateway.provider.openai.ProviderTestKit.json;
import static dev.aigateway.provider.openai.ProviderTestKit.request;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class AzureProviderTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef"; // Azure keys are 32 hex characters
    private static final String HELLO = """
            {"model":"my-model","messages":[{"role":"user","content":"Hi"}]}""";

    private static FakeOpenAi fake;
    private static ProviderTestKit kit;
    private static Provider provider;

    @BeforeAll
    static void start() {
        fake = new FakeOpenAi(KEY);
        kit = new ProviderTestKit();
        provider = new AzureProvider(kit.upstream);
    }

    @AfterAll
    static void stop() {
        kit.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    /** An Azure deployment named "prod-gpt4o" on the fake "resource". */
    private static Deployment azure() {
        return azure(null, Duration.ofSeconds(5));
    }

    private static Deployment azure(String apiVersion, Duration timeout) {
        return deployment("azure", "prod-gpt4o", KEY, fake.host(), apiVersion, timeout, Json.object());
    }

    private static ObjectNode chat(Deployment d, String body) {
        return await(kit.onLoop(() -> provider.chat(request(d, body))));
    }

    private static RecordingSink stream(Deployment d, String body) {
        RecordingSink sink = new RecordingSink();
        await(kit.onLoop(() -> provider.chatStream(request(d, body), sink)));
        return sink;
    }

    @Test
    void chatGoesToTheDeploymentUrlWithApiKeyAndNoModelInTheBody() {
        fake.scenario(new Scenario.Text("Hello from Azure"));
        ObjectNode out = chat(azure(), HELLO);

        FakeOpenAi.Call call = fake.lastCall();
        assertThat(call.api()).isEqualTo(FakeOpenAi.Api.AZURE);
        assertThat(call.path()).isEqualTo("/openai/deployments/prod-gpt4o/chat/completions");
        assertThat(call.deployment()).isEqualTo("prod-gpt4o");
        assertThat(call.apiVersion()).isEqualTo(AzureProvider.DEFAULT_API_VERSION);
        assertThat(call.auth()).isEqualTo(FakeOpenAi.Auth.API_KEY);
        assertThat(call.header("api-key")).isEqualTo(KEY);
        assertThat(call.header("authorization")).isNull();
        assertThat(call.json().has("model")).isFalse();
        assertThat(call.json().has("stream")).isFalse();

        assertThat(out.at("/choices/0/message/content").asText()).isEqualTo("Hello from Azure");
        assertThat(out.at("/usage/total_tokens").asInt()).isEqualTo(FakeOpenAi.DEFAULT_PROMPT_TOKENS + FakeOpenAi.DEFAULT_COMPLETION_TOKENS);
    }

    @Test
    void configuredApiVersionAndTrailingSlashInApiBase() {
        Deployment d = deployment("azure", "prod-gpt4o", KEY, fake.host() + "/", "2025-01-01-preview", Duration.ofSeconds(5), Json.object());
        chat(d, HELLO);

        assertThat(fake.lastCall().path()).isEqualTo("/openai/deployments/prod-gpt4o/chat/completions");
        assertThat(fake.lastCall().request().query()).isEqualTo("api-version=2025-01-01-preview");
    }

    @Test
    void everyFieldButModelPassesThroughUntouched() {
        String body = """
                {"model":"my-model",
                 "messages":[{"role":"system","content":"Be brief."},
                   {"role":"user","content":[{"type":"text","text":"Describe"},
                     {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function",
                     "function":{"name":"lookup","arguments":"{}"}}]},
                   {"role":"tool","tool_call_id":"call_9","content":"nothing found"}],
                 "max_tokens":100,"temperature":0.5,"stop":"END","logprobs":true,"some_vendor_field":"kept",
                 "data_sources":[{"type":"azure_search","parameters":{"endpoint":"https://search.example"}}]}""";
        ProviderRequest req = request(azure(), body);
        await(kit.onLoop(() -> provider.chat(req)));

        ObjectNode expected = json(body);
        expected.remove("model");
        assertThat(fake.lastCall().json()).isEqualTo(expected);
        assertThat(req.body().path("model").asText()).isEqualTo("my-model");
    }

    @Test
    void streamDropsAzuresPromptFilterChunkAndKeepsUsage() {
        fake.scenario(new Scenario.Text("Streaming from Azure"));
        RecordingSink sink = stream(azure(), """
                {"model":"my-model","messages":[{"role":"user","content":"Go"}],"stream":true}""").awaitEnd();

        assertThat(fake.lastCall().json().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(fake.lastCall().json().has("model")).isFalse();
        assertThat(sink.chunks()).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.has("prompt_filter_results")).isFalse();
        });
        assertThat(sink.chunks().get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(sink.text()).isEqualTo("Streaming from Azure");
        assertThat(sink.finishReasons()).containsExactly("stop");
        assertThat(sink.last().path("choices")).isEmpty();
        assertThat(sink.last().at("/usage/prompt_tokens").asInt()).isEqualTo(FakeOpenAi.DEFAULT_PROMPT_TOKENS);
    }

    @Test
    void toolCallStreamArgumentsReassemble() {
        String args = "{\"query\":\"weather in Oslo\",\"limit\":3}";
        fake.scenario(new Scenario.ToolCall("search", args));
        RecordingSink sink = stream(azure(), """
                {"model":"my-model","messages":[{"role":"user","content":"Search"}],"stream":true,
                 "tools":[{"type":"function","function":{"name":"search","parameters":{"type":"object"}}}]}""").awaitEnd();

        assertThat(Json.parse(sink.toolArguments(0))).isEqualTo(Json.parse(args));
        assertThat(sink.finishReasons()).containsExactly("tool_calls");
    }

    @Test
    void toolCallNonStream() {
        fake.scenario(new Scenario.ToolCall("search", "{\"query\":\"x\"}"));
        ObjectNode out = chat(azure(), HELLO);

        assertThat(out.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("search");
        assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void embeddingsAsFloatsAndAsBase64() {
        ObjectNode floats = await(kit.onLoop(() -> provider.embeddings(request(azure(), """
                {"model":"my-model","input":["a","b","c"],"dimensions":3}"""))));
        assertThat(fake.lastCall().path()).isEqualTo("/openai/deployments/prod-gpt4o/embeddings");
        assertThat(fake.lastCall().json().has("model")).isFalse();
        assertThat(floats.path("data")).hasSize(3);
        JsonNode third = floats.at("/data/2/embedding");
        float[] expected = FakeOpenAi.vector(2, 3);
        for (int i = 0; i < 3; i++) assertThat(third.get(i).floatValue()).isEqualTo(expected[i]);

        ObjectNode b64 = await(kit.onLoop(() -> provider.embeddings(request(azure(), """
                {"model":"my-model","input":"a","encoding_format":"base64"}"""))));
        assertThat(b64.at("/data/0/embedding").asText()).isEqualTo(FakeOpenAi.base64(FakeOpenAi.vector(0, FakeOpenAi.DEFAULT_DIMENSIONS)));
    }

    @Test
    void textCompletionHitsTheDeploymentsCompletionsRoute() {
        fake.scenario(new Scenario.Text("completed text"));
        ObjectNode out = await(kit.onLoop(() -> provider.textCompletion(request(azure(), """
                {"model":"my-model","prompt":"Complete this","stream":false}"""))));

        assertThat(fake.lastCall().path()).isEqualTo("/openai/deployments/prod-gpt4o/completions");
        assertThat(fake.lastCall().apiVersion()).isEqualTo(AzureProvider.DEFAULT_API_VERSION);
        assertThat(out.at("/choices/0/text").asText()).isEqualTo("completed text");
    }

    @Test
    void deploymentWithoutApiBaseIsRefusedBeforeAnyCall() {
        Deployment d = deployment("azure", "prod-gpt4o", KEY, null);
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(d, HELLO))));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("api_base");
        // a failed future, not a throw: callers that only look at the future still see it
        assertThat(provider.chat(request(d, HELLO)).failed()).isTrue();
        assertThat(provider.chatStream(request(d, HELLO), new RecordingSink()).failed()).isTrue();
        assertThat(fake.requests()).isEmpty();
    }

    // ---- errors ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
    @CsvSource(nullValues = "null", value = {
            "400, null,           400, invalid_request_error, invalid_type",
            "400, context_length, 400, invalid_request_error, context_length_exceeded",
            "400, content_policy, 400, invalid_request_error, content_policy_violation",
            "401, null,           401, authentication_error,  invalid_api_key",
            "403, null,           403, permission_error,      access_denied",
            "404, null,           404, invalid_request_error, model_not_found",
            "429, null,           429, rate_limit_error,      rate_limit_exceeded",
            "500, null,           502, api_error,             upstream_error",
            "503, null,           503, service_unavailable,   service_unavailable"})
    void azureErrorsMapToTheGatewayTable(int status, String kind, int expectedStatus, String type, String code) {
        fake.scenario(new Scenario.Error(status, kind));
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(azure(), HELLO))));

        assertThat(e.status()).isEqualTo(expectedStatus);
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).startsWith("azure returned " + status + ": ");
        if (status == 404) assertThat(e.getMessage()).contains("API deployment for this resource does not exist");
        if (status == 429) assertThat(e.headers()).containsEntry("Retry-After", FakeOpenAi.RETRY_AFTER_SECONDS);
        if ("content_policy".equals(kind)) assertThat(e.getMessage()).contains("content management policy");
    }

    @Test
    void wrongKeyIsAzuresAccessDenied() {
        Deployment d = deployment("azure", "prod-gpt4o", "ffffffffffffffffffffffffffffffff", fake.host());
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(d, HELLO))));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("Access denied due to invalid subscription key");
        assertThat(fake.lastCall().auth()).isEqualTo(FakeOpenAi.Auth.API_KEY);
    }

    @Test
    void streamCutMidAnswerFailsTheSink() {
        fake.scenario(new Scenario.CutStream(3));
        RecordingSink sink = stream(azure(), HELLO);
        GatewayException e = sink.awaitFailure();

        assertThat(e.status()).isEqualTo(502);
        assertThat(sink.text()).isEqualTo("Hello from the");
    }

    @Test
    void hangingDeploymentTimesOut() {
        fake.scenario(new Scenario.Hang());
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(azure(null, Duration.ofMillis(300)), HELLO))));

        assertThat(e.status()).isEqualTo(408);
        assertThat(e.getMessage()).contains("azure");
    }

    @Test
    void cancellingDisconnectsFromAzure() {
        fake.scenario(new Scenario.Hang());
        ProviderRequest req = request(azure(), HELLO);
        RecordingSink sink = new RecordingSink();
        var started = kit.onLoop(() -> provider.chatStream(req, sink));
        eventually(() -> fake.requests().size() == 1, "the fake received the request");
        int before = fake.disconnects();

        kit.cancel(req.cancel());

        eventually(() -> fake.disconnects() > before, "the fake saw the connection close");
        assertThat(failure(started).isClientClosed()).isTrue();
        assertThat(sink.chunks()).isEmpty();
    }
}
