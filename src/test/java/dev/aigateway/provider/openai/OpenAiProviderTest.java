package dev.aigateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
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
class OpenAiProviderTest {
    private static final String KEY = "sk-test-0123456789abcdefWXYZ";
    private static final String HELLO = """
            {"model":"my-model","messages":[{"role":"user","content":"Hi"}]}""";

    private static FakeOpenAi fake;
    private static ProviderTestKit kit;
    private static Provider provider;

    @BeforeAll
    static void start() {
        fake = new FakeOpenAi(KEY);
        kit = new ProviderTestKit();
        provider = new OpenAiProvider(kit.upstream);
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

    private static Deployment openai() {
        return deployment("openai", "gpt-4o-mini", KEY, fake.openAiBase());
    }

    private static ObjectNode chat(Deployment d, String body) {
        return await(kit.onLoop(() -> provider.chat(request(d, body))));
    }

    private static RecordingSink stream(Deployment d, String body) {
        RecordingSink sink = new RecordingSink();
        await(kit.onLoop(() -> provider.chatStream(request(d, body), sink)));
        return sink;
    }

    // ---- chat ------------------------------------------------------------------------------------------------

    @Test
    void nonStreamTextComesBackAsOpenAiSentIt() {
        fake.scenario(new Scenario.Text("Hello there, friend."));
        ObjectNode out = chat(openai(), """
                {"model":"my-model","messages":[{"role":"user","content":"Hi"}],"stream":false}""");

        assertThat(out.path("object").asText()).isEqualTo("chat.completion");
        assertThat(out.at("/choices/0/message/content").asText()).isEqualTo("Hello there, friend.");
        assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(out.at("/usage/prompt_tokens").asInt()).isEqualTo(FakeOpenAi.DEFAULT_PROMPT_TOKENS);
        assertThat(out.at("/usage/total_tokens").asInt()).isEqualTo(FakeOpenAi.DEFAULT_PROMPT_TOKENS + FakeOpenAi.DEFAULT_COMPLETION_TOKENS);

        FakeOpenAi.Call call = fake.lastCall();
        assertThat(call.api()).isEqualTo(FakeOpenAi.Api.OPENAI);
        assertThat(call.path()).isEqualTo("/v1/chat/completions");
        assertThat(call.auth()).isEqualTo(FakeOpenAi.Auth.BEARER);
        assertThat(call.header("authorization")).isEqualTo("Bearer " + KEY);
        assertThat(call.header("content-type")).startsWith("application/json");
        assertThat(call.json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(call.json().has("stream")).isFalse();
        assertThat(call.json().has("stream_options")).isFalse();
    }

    @Test
    void everyFieldButModelPassesThroughUntouched() {
        String body = """
                {"model":"my-model",
                 "messages":[
                   {"role":"system","content":"You are terse."},
                   {"role":"user","content":[{"type":"text","text":"What is this?"},
                     {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}}]},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_1","content":"18C and sunny"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
                 "tool_choice":"auto","stop":["\\n\\n"],"max_tokens":64,"temperature":0.2,"top_p":0.9,"seed":7,
                 "response_format":{"type":"json_object"},"logprobs":true,"top_logprobs":2,
                 "some_vendor_field":{"nested":[1,2,3]}}""";
        ProviderRequest req = request(openai(), body);
        await(kit.onLoop(() -> provider.chat(req)));

        ObjectNode expected = json(body);
        expected.put("model", "gpt-4o-mini");
        assertThat(fake.lastCall().json()).isEqualTo(expected);
        assertThat(req.body().path("model").asText()).as("the client's body is not mutated").isEqualTo("my-model");
    }

    @Test
    void streamAlwaysAsksForUsageAndRelaysEveryChunk() {
        fake.scenario(new Scenario.Text("One two three"));
        RecordingSink sink = stream(openai(), """
                {"model":"my-model","messages":[{"role":"user","content":"Count"}],"stream":true}""").awaitEnd();

        ObjectNode sent = fake.lastCall().json();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();

        assertThat(sink.chunks().get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(sink.text()).isEqualTo("One two three");
        assertThat(sink.finishReasons()).containsExactly("stop");
        ObjectNode usage = sink.last();
        assertThat(usage.path("choices").isArray()).isTrue();
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.at("/usage/total_tokens").asInt()).isEqualTo(FakeOpenAi.DEFAULT_PROMPT_TOKENS + FakeOpenAi.DEFAULT_COMPLETION_TOKENS);
        assertThat(sink.chunks()).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
    }

    @Test
    void streamKeepsTheClientsOtherStreamOptions() {
        stream(openai(), """
                {"model":"my-model","messages":[{"role":"user","content":"Hi"}],"stream":true,
                 "stream_options":{"include_usage":false,"include_obfuscation":false}}""").awaitEnd();

        ObjectNode options = (ObjectNode) fake.lastCall().json().get("stream_options");
        assertThat(options.path("include_usage").asBoolean()).isTrue();
        assertThat(options.has("include_obfuscation")).isTrue();
        assertThat(options.path("include_obfuscation").asBoolean(true)).isFalse();
    }

    @Test
    void toolCallNonStream() {
        fake.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        ObjectNode out = chat(openai(), """
                {"model":"my-model","messages":[{"role":"user","content":"Weather in Paris?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}""");

        JsonNode call = out.at("/choices/0/message/tool_calls/0");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("id").asText()).startsWith("call_");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(Json.parse(call.at("/function/arguments").asText())).isEqualTo(Json.parse("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void toolCallStreamArgumentsReassemble() {
        String args = "{\"city\":\"Paris\",\"days\":[1,2,3],\"unit\":\"celsius\"}";
        fake.scenario(new Scenario.ToolCall("get_weather", args));
        RecordingSink sink = stream(openai(), """
                {"model":"my-model","messages":[{"role":"user","content":"Weather?"}],"stream":true,
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}""").awaitEnd();

        assertThat(sink.chunks().get(0).at("/choices/0/delta/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(sink.chunks().size()).as("arguments arrive in several deltas").isGreaterThan(4);
        assertThat(Json.parse(sink.toolArguments(0))).isEqualTo(Json.parse(args));
        assertThat(sink.finishReasons()).containsExactly("tool_calls");
        assertThat(sink.last().has("usage")).isTrue();
    }

    // ---- other endpoints ---------------------------------------------------------------------------------------

    @Test
    void embeddingsAsFloats() {
        ObjectNode out = await(kit.onLoop(() -> provider.embeddings(request(openai(), """
                {"model":"my-model","input":["first","second"]}"""))));

        FakeOpenAi.Call call = fake.lastCall();
        assertThat(call.path()).isEqualTo("/v1/embeddings");
        assertThat(call.json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(call.json().has("encoding_format")).isFalse();
        assertThat(out.path("data")).hasSize(2);
        float[] expected = FakeOpenAi.vector(1, FakeOpenAi.DEFAULT_DIMENSIONS);
        JsonNode second = out.at("/data/1/embedding");
        assertThat(second).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat(second.get(i).floatValue()).isEqualTo(expected[i]);
    }

    @Test
    void embeddingsAsBase64PassThrough() {
        ObjectNode out = await(kit.onLoop(() -> provider.embeddings(request(openai(), """
                {"model":"my-model","input":"only one","encoding_format":"base64","dimensions":4}"""))));

        assertThat(fake.lastCall().json().path("encoding_format").asText()).isEqualTo("base64");
        assertThat(out.at("/data/0/embedding").asText()).isEqualTo(FakeOpenAi.base64(FakeOpenAi.vector(0, 4)));
    }

    @Test
    void textCompletionHitsTheCompletionsEndpoint() {
        fake.scenario(new Scenario.Text("Once upon a time"));
        ObjectNode out = await(kit.onLoop(() -> provider.textCompletion(request(openai(), """
                {"model":"my-model","prompt":"Tell me a story","max_tokens":5,"stream":false,
                 "stream_options":{"include_usage":true}}"""))));

        assertThat(fake.lastCall().path()).isEqualTo("/v1/completions");
        assertThat(fake.lastCall().json().path("prompt").asText()).isEqualTo("Tell me a story");
        assertThat(fake.lastCall().json().has("stream_options")).as("OpenAI refuses stream_options without stream").isFalse();
        assertThat(out.path("object").asText()).isEqualTo("text_completion");
        assertThat(out.at("/choices/0/text").asText()).isEqualTo("Once upon a time");
    }

    @Test
    void organizationHeaderAndTrailingSlashInApiBase() {
        ObjectNode params = Json.object().put("organization", "org-abc");
        Deployment d = deployment("openai", "gpt-4o-mini", KEY, fake.openAiBase() + "/", null, Duration.ofSeconds(5), params);
        chat(d, HELLO);

        assertThat(fake.lastCall().path()).isEqualTo("/v1/chat/completions");
        assertThat(fake.lastCall().header("openai-organization")).isEqualTo("org-abc");
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
            "429, quota,          429, rate_limit_error,      rate_limit_exceeded",
            "500, null,           502, api_error,             upstream_error",
            "502, null,           502, api_error,             upstream_error",
            "503, null,           503, service_unavailable,   service_unavailable"})
    void upstreamErrorsMapToTheGatewayTable(int status, String kind, int expectedStatus, String type, String code) {
        fake.scenario(new Scenario.Error(status, kind));
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(openai(), HELLO))));

        assertThat(e.status()).isEqualTo(expectedStatus);
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).startsWith("openai returned " + status + ": ");
        if (status == 404) {
            assertThat(e.param()).isEqualTo("model");
            assertThat(e.getMessage()).contains("The model `gpt-4o-mini` does not exist");
        }
        if (status == 429) assertThat(e.headers()).containsEntry("Retry-After", FakeOpenAi.RETRY_AFTER_SECONDS);
        if (status == 502) assertThat(e.getMessage()).contains("502 Bad Gateway");
    }

    @Test
    void refusedStreamFailsTheFutureAndLeavesTheSinkUntouched() {
        fake.scenario(new Scenario.Error(429));
        RecordingSink sink = new RecordingSink();
        GatewayException e = failure(kit.onLoop(() -> provider.chatStream(request(openai(), HELLO), sink)));

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.headers()).containsEntry("Retry-After", FakeOpenAi.RETRY_AFTER_SECONDS);
        assertThat(sink.chunks()).isEmpty();
        assertThat(sink.ends() + sink.fails()).isZero();
    }

    @Test
    void wrongKeyIsOpenAisAuthErrorWithoutEchoingTheKey() {
        String wrong = "sk-wrong-key-9876543210QRST";
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(deployment("openai", "gpt-4o-mini", wrong, fake.openAiBase()), HELLO))));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).isEqualTo("invalid_api_key");
        assertThat(e.getMessage()).contains("Incorrect API key provided").doesNotContain("QRST").doesNotContain("sk-wro");
        assertThat(fake.lastCall().header("authorization")).isEqualTo("Bearer " + wrong);
    }

    @Test
    void deploymentWithoutKeySendsNoAuthorization() {
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(deployment("openai", "gpt-4o-mini", null, fake.openAiBase()), HELLO))));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("You didn't provide an API key");
        assertThat(fake.lastCall().auth()).isEqualTo(FakeOpenAi.Auth.NONE);
    }

    @Test
    void compatibleProvidersAreNamedInTheirErrors() {
        Provider groq = new OpenAiProvider(kit.upstream, "groq", "https://api.groq.com/openai/v1");
        fake.scenario(new Scenario.Error(503));
        GatewayException e = failure(kit.onLoop(() -> groq.chat(request(deployment("groq", "llama-3.3-70b", KEY, fake.openAiBase()), HELLO))));

        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).startsWith("groq returned 503");
    }

    @Test
    void errorEventInsideTheStreamFailsTheSink() {
        fake.scenario(new Scenario.Error(500, "in_stream"));
        RecordingSink sink = stream(openai(), HELLO);
        GatewayException e = sink.awaitFailure();

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).contains("openai stream error").contains("The server had an error");
        assertThat(sink.text()).isEqualTo("Hel");
    }

    @Test
    void streamCutMidAnswerFailsTheSinkAndNeverEndsIt() {
        fake.scenario(new Scenario.CutStream(2));
        RecordingSink sink = stream(openai(), HELLO);
        GatewayException e = sink.awaitFailure();

        assertThat(e.type()).isEqualTo("api_error");
        assertThat(sink.text()).isEqualTo("Hello from");
        assertThat(sink.finishReasons()).isEmpty();
    }

    @Test
    void unreachableUpstreamIsA502NamingTheProvider() {
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(deployment("openai", "gpt-4o-mini", KEY, "http://127.0.0.1:1/v1"), HELLO))));

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).contains("openai").contains("127.0.0.1:1");
    }

    // ---- timeouts and cancellation --------------------------------------------------------------------------

    @Test
    void hangingUpstreamTimesOutWith408() {
        fake.scenario(new Scenario.Hang());
        Deployment d = deployment("openai", "gpt-4o-mini", KEY, fake.openAiBase(), null, Duration.ofMillis(300), Json.object());

        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(d, HELLO))));
        assertThat(e.status()).isEqualTo(408);
        assertThat(e.type()).isEqualTo("timeout");

        RecordingSink sink = new RecordingSink();
        GatewayException s = failure(kit.onLoop(() -> provider.chatStream(request(d, HELLO), sink)));
        assertThat(s.status()).isEqualTo(408);
        assertThat(sink.chunks()).isEmpty();
    }

    @Test
    void streamThatGoesSilentTimesOut() {
        fake.scenario(new Scenario.SlowStream("a b c", 2_000));
        Deployment d = deployment("openai", "gpt-4o-mini", KEY, fake.openAiBase(), null, Duration.ofMillis(400), Json.object());
        RecordingSink sink = stream(d, HELLO);

        GatewayException e = sink.awaitFailure();
        assertThat(e.status()).isEqualTo(408);
    }

    @Test
    void slowButSteadyStreamCompletes() {
        fake.scenario(new Scenario.SlowStream("a b c d", 50));
        RecordingSink sink = stream(openai(), HELLO).awaitEnd();
        assertThat(sink.text()).isEqualTo("a b c d");
    }

    @Test
    void cancellingTheRequestDisconnectsFromUpstream() {
        fake.scenario(new Scenario.Hang());
        ProviderRequest req = request(openai(), HELLO);
        var result = kit.onLoop(() -> provider.chat(req));
        eventually(() -> fake.requests().size() == 1, "the fake received the request");
        int before = fake.disconnects();

        kit.cancel(req.cancel());

        eventually(() -> fake.disconnects() > before, "the fake saw the connection close");
        assertThat(failure(result).isClientClosed()).isTrue();
    }

    @Test
    void cancellingAStreamDisconnectsFromUpstream() {
        fake.scenario(new Scenario.SlowStream("one two three four five six seven eight", 300));
        ProviderRequest req = request(openai(), HELLO);
        RecordingSink sink = new RecordingSink();
        await(kit.onLoop(() -> provider.chatStream(req, sink)));
        int before = fake.disconnects();

        kit.cancel(req.cancel());

        eventually(() -> fake.disconnects() > before, "the fake saw the connection close");
        assertThat(sink.ends()).isZero();
    }
}
