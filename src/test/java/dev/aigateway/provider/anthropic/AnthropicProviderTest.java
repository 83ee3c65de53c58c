package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream.Recorded;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.testing.RecordingSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AnthropicProviderTest {
    /** Anthropic needs max_tokens: without one from the client, the price table's max output for the model is sent. */
    static final long TABLE_MAX_OUTPUT = dev.aigateway.pricing.PriceTable.bundled().lookup("anthropic", "claude-sonnet-4-5").maxOutputTokens();
    static Vertx vertx;
    static Upstream upstream;
    static Provider provider;
    static FakeAnthropic fake;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        upstream = new Upstream(vertx);
        provider = new AnthropicProvider(upstream);
        fake = new FakeAnthropic();
    }

    @AfterAll
    static void stop() throws Exception {
        fake.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    static Deployment deployment(String key, Duration timeout, ObjectNode params) {
        return new Deployment("d1", "my-model", "anthropic", "claude-sonnet-4-5", key, fake.host(), null,
                timeout, null, 1, 0, params, Json.object(), true);
    }

    static ProviderRequest request(String json) {
        return request(json, deployment(FakeAnthropic.KEY, Duration.ofSeconds(5), Json.object()));
    }

    static ProviderRequest request(String json, Deployment d) {
        return new ProviderRequest(d, (ObjectNode) Json.parse(json), new Cancellation());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.await(5, TimeUnit.SECONDS);
    }

    static GatewayException failure(Future<?> f) {
        return catchThrowableOfType(GatewayException.class, () -> await(f));
    }

    private static final String HELLO = """
            {"model":"my-model","messages":[{"role":"user","content":"Hi"}]}""";

    @Test
    void chatSendsTheMessagesCallAndTranslatesTheAnswer() throws Exception {
        fake.scenario(new Scenario.Text("Hello there friend"));
        ObjectNode out = await(provider.chat(request(HELLO)));

        Recorded r = fake.last();
        assertThat(r.path()).isEqualTo("/v1/messages");
        assertThat(r.headers().get("x-api-key")).isEqualTo("test-key");
        assertThat(r.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        assertThat(r.headers().get("authorization")).isNull();
        assertThat(r.json()).isEqualTo(Json.parse("""
                {"model":"claude-sonnet-4-5","max_tokens":%d,"messages":[{"role":"user","content":"Hi"}]}""".formatted(TABLE_MAX_OUTPUT)));

        assertThat(out.path("id").asText()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(out.path("object").asText()).isEqualTo("chat.completion");
        assertThat(out.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        JsonNode choice = out.path("choices").get(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Hello there friend");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.path("message").has("tool_calls")).isFalse();
        JsonNode usage = out.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(25 + 10 + 5);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(43);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(10);
        assertThat(usage.path("cache_creation_input_tokens").asInt()).isEqualTo(5);
        assertThat(usage.path("cache_read_input_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void defaultMaxTokensComesFromTheDeployment() throws Exception {
        ObjectNode params = Json.object().put("max_tokens", 1234);
        await(provider.chat(request(HELLO, deployment(FakeAnthropic.KEY, Duration.ofSeconds(5), params))));
        assertThat(fake.last().json().path("max_tokens").asInt()).isEqualTo(1234);
    }

    @Test
    void messagesUrlTreatsApiBaseAsTheHost() {
        assertThat(AnthropicProvider.messagesUrl(null)).isEqualTo("https://api.anthropic.com/v1/messages");
        assertThat(AnthropicProvider.messagesUrl("https://proxy.local/")).isEqualTo("https://proxy.local/v1/messages");
        assertThat(AnthropicProvider.messagesUrl("https://proxy.local/v1")).isEqualTo("https://proxy.local/v1/messages");
        assertThat(AnthropicProvider.messagesUrl("https://proxy.local/v1/")).isEqualTo("https://proxy.local/v1/messages");
        assertThat(AnthropicProvider.messagesUrl("http://h:8080/anthropic")).isEqualTo("http://h:8080/anthropic/v1/messages");
    }

    @Test
    void apiBaseEndingInV1IsNotDoubled() throws Exception {
        Deployment d = new Deployment("d1", "my-model", "anthropic", "claude-sonnet-4-5", FakeAnthropic.KEY, fake.host() + "/v1/",
                null, Duration.ofSeconds(5), null, 1, 0, Json.object(), Json.object(), true);
        await(provider.chat(request(HELLO, d)));
        assertThat(fake.last().path()).isEqualTo("/v1/messages");
    }

    @Test
    void streamTranslatesEventsIntoChunksEndingWithUsage() throws Exception {
        fake.scenario(new Scenario.Text("Hello there friend"));
        RecordingSink sink = new RecordingSink();
        await(provider.chatStream(request("""
                {"model":"my-model","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), sink));
        assertThat(sink.awaitTerminal()).isNull();
        assertThat(sink.terminalCalls()).isEqualTo(1);

        Recorded r = fake.last();
        assertThat(r.json().path("stream").asBoolean()).isTrue();
        assertThat(r.headers().get("accept")).isEqualTo("text/event-stream");

        List<ObjectNode> chunks = sink.chunks();
        ObjectNode first = chunks.get(0);
        assertThat(first.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.path("id").asText()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(first.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(first.path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        assertThat(sink.text()).isEqualTo("Hello there friend");

        ObjectNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        ObjectNode last = chunks.get(chunks.size() - 1);
        assertThat(last.path("choices").isArray()).isTrue();
        assertThat(last.path("choices")).isEmpty();
        assertThat(Json.parse(last.path("usage").toString())).isEqualTo(Json.parse("""
                {"prompt_tokens":40,"completion_tokens":3,"total_tokens":43,"prompt_tokens_details":{"cached_tokens":10},
                 "cache_read_input_tokens":10,"cache_creation_input_tokens":5}"""));
        // every chunk before the finish carries no finish_reason
        for (ObjectNode c : chunks.subList(0, chunks.size() - 2)) {
            assertThat(c.path("choices").get(0).path("finish_reason").isNull()).isTrue();
        }
    }

    private static final String TOOLS_REQUEST = """
            {"model":"my-model","messages":[{"role":"user","content":"Weather in Paris?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
             "tool_choice":"required","parallel_tool_calls":false%s}""";

    @Test
    void toolCallsNonStream() throws Exception {
        fake.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        ObjectNode out = await(provider.chat(request(TOOLS_REQUEST.formatted(""))));

        JsonNode sent = fake.last().json();
        assertThat(sent.path("tools")).isEqualTo(Json.parse("""
                [{"name":"get_weather","description":"Current weather",
                  "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]"""));
        assertThat(sent.path("tool_choice")).isEqualTo(Json.parse("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));

        JsonNode choice = out.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Let me check.");
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertThat(call.path("id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(Json.parse(call.path("function").path("arguments").asText()))
                .isEqualTo(Json.parse("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
    }

    @Test
    void toolCallsStreamReassembleArguments() throws Exception {
        fake.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        RecordingSink sink = new RecordingSink();
        await(provider.chatStream(request(TOOLS_REQUEST.formatted(",\"stream\":true")), sink));
        assertThat(sink.awaitTerminal()).isNull();

        assertThat(sink.text()).isEqualTo("Let me check.");
        JsonNode firstTool = sink.chunks().stream()
                .filter(c -> c.path("choices").path(0).path("delta").has("tool_calls")).findFirst().orElseThrow()
                .path("choices").get(0).path("delta").path("tool_calls").get(0);
        // the tool block is Anthropic's block 1, but OpenAI's tool call 0
        assertThat(firstTool).isEqualTo(Json.parse("""
                {"index":0,"id":"toolu_01A09q90qw90lq917835lq9","type":"function","function":{"name":"get_weather","arguments":""}}"""));
        assertThat(Json.parse(sink.toolArguments(0))).isEqualTo(Json.parse("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        ObjectNode finish = sink.chunks().get(sink.chunks().size() - 2);
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(sink.last().path("usage").path("completion_tokens").asInt()).isEqualTo(12);
    }

    @Test
    void multiTurnWithToolResultsIsTranslatedToAlternatingTurns() throws Exception {
        await(provider.chat(request("""
                {"model":"my-model","messages":[
                  {"role":"system","content":"You are terse."},
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":"Checking.","tool_calls":[
                     {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                     {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18C"},
                  {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"25C"}]},
                  {"role":"user","content":"Which is warmer?"},
                  {"role":"assistant","tool_calls":[{"id":"call_3","type":"function","function":{"name":"noop","arguments":""}}]},
                  {"role":"tool","tool_call_id":"call_3","content":"ok"}
                ]}""")));
        JsonNode sent = fake.last().json();
        assertThat(sent.path("system").asText()).isEqualTo("You are terse.");
        assertThat(sent.path("messages")).isEqualTo(Json.parse("""
                [{"role":"user","content":"Weather in Paris and Rome?"},
                 {"role":"assistant","content":[
                    {"type":"text","text":"Checking."},
                    {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"Rome"}}]},
                 {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"call_1","content":"18C"},
                    {"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"25C"}]},
                    {"type":"text","text":"Which is warmer?"}]},
                 {"role":"assistant","content":[{"type":"tool_use","id":"call_3","name":"noop","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_3","content":"ok"}]}]"""));
    }

    @Test
    void systemStopSamplingAndUserAreMapped() throws Exception {
        await(provider.chat(request("""
                {"model":"my-model","max_completion_tokens":300,"temperature":0.3,"top_p":0.9,"stop":"END","user":"u-42",
                 "seed":7,"n":1,"presence_penalty":0.5,
                 "messages":[{"role":"system","content":"Be brief."},
                             {"role":"developer","content":[{"type":"text","text":"Use French.","cache_control":{"type":"ephemeral"}}]},
                             {"role":"user","content":"Hi"}]}""")));
        JsonNode sent = fake.last().json();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent.path("stop_sequences")).isEqualTo(Json.parse("[\"END\"]"));
        assertThat(sent.path("metadata")).isEqualTo(Json.parse("{\"user_id\":\"u-42\"}"));
        assertThat(sent.path("system")).isEqualTo(Json.parse("""
                [{"type":"text","text":"Be brief."},
                 {"type":"text","text":"Use French.","cache_control":{"type":"ephemeral"}}]"""));
        assertThat(sent.has("seed")).isFalse();
        assertThat(sent.has("n")).isFalse();
        assertThat(sent.has("presence_penalty")).isFalse();
        assertThat(sent.has("stop")).isFalse();
        assertThat(sent.has("user")).isFalse();
    }

    @Test
    void stopListAndMaxTokensMapToStopSequencesAndLength() throws Exception {
        fake.scenario(new Scenario.Text("one two three four five"));
        ObjectNode out = await(provider.chat(request("""
                {"model":"m","max_tokens":2,"stop":["x","y"],"messages":[{"role":"user","content":"count"}]}""")));
        assertThat(fake.last().json().path("stop_sequences")).isEqualTo(Json.parse("[\"x\",\"y\"]"));
        assertThat(out.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(out.path("choices").get(0).path("message").path("content").asText()).isEqualTo("one two");
    }

    @Test
    void stopSequenceFinishesWithStopAndNamesTheSequence() throws Exception {
        fake.scenario(new Scenario.Text("one two END three"));
        ObjectNode out = await(provider.chat(request("""
                {"model":"m","stop":"END","messages":[{"role":"user","content":"count"}]}""")));
        JsonNode choice = out.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.path("stop_reason").asText()).isEqualTo("END");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("one two "); // as Anthropic: the text before the sequence
    }

    @Test
    void imagePartsBecomeImageBlocks() throws Exception {
        await(provider.chat(request("""
                {"model":"m","messages":[{"role":"user","content":[
                   {"type":"text","text":"Compare"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                   {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"}}]}]}""")));
        assertThat(fake.last().json().path("messages").get(0).path("content")).isEqualTo(Json.parse("""
                [{"type":"text","text":"Compare"},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                 {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]"""));
    }

    @Test
    void reasoningEffortEnablesThinkingAndReturnsReasoningContent() throws Exception {
        ObjectNode out = await(provider.chat(request("""
                {"model":"m","max_tokens":1000,"temperature":0.2,"reasoning_effort":"low",
                 "messages":[{"role":"user","content":"Think"}]}""")));
        JsonNode sent = fake.last().json();
        assertThat(sent.path("thinking")).isEqualTo(Json.parse("{\"type\":\"enabled\",\"budget_tokens\":1024}"));
        assertThat(sent.path("max_tokens").asInt()).isGreaterThan(1024);
        assertThat(sent.has("temperature")).isFalse();
        JsonNode msg = out.path("choices").get(0).path("message");
        assertThat(msg.path("reasoning_content").asText()).isEqualTo(FakeAnthropic.THINKING);
        assertThat(msg.path("thinking_blocks").get(0).path("signature").asText()).isEqualTo("sig-123");
        assertThat(msg.path("content").asText()).isEqualTo("Hello from the fake!");
    }

    @Test
    void reasoningStreamsAsReasoningContent() throws Exception {
        RecordingSink sink = new RecordingSink();
        await(provider.chatStream(request("""
                {"model":"m","stream":true,"reasoning_effort":"high","messages":[{"role":"user","content":"Think"}]}"""), sink));
        assertThat(sink.awaitTerminal()).isNull();
        assertThat(fake.last().json().path("thinking").path("budget_tokens").asInt()).isEqualTo(4096);
        // the default (the price table's max output) already leaves room for the thinking budget
        assertThat(fake.last().json().path("max_tokens").asLong()).isEqualTo(TABLE_MAX_OUTPUT);
        String reasoning = sink.chunks().stream()
                .map(c -> c.path("choices").path(0).path("delta").path("reasoning_content").asText(""))
                .reduce("", String::concat);
        assertThat(reasoning).isEqualTo(FakeAnthropic.THINKING);
        assertThat(sink.text()).isEqualTo("Hello from the fake!");
    }

    @Test
    void jsonModeBecomesASystemInstruction() throws Exception {
        await(provider.chat(request("""
                {"model":"m","response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","properties":{"a":{"type":"integer"}}}}},
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""")));
        String system = fake.last().json().path("system").asText();
        assertThat(system).startsWith("Be brief.\n\n").contains("JSON").contains("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "400, null,           400, invalid_request_error, invalid_request_error",
            "400, context_length, 400, invalid_request_error, context_length_exceeded",
            "401, null,           401, authentication_error,  invalid_api_key",
            "403, null,           403, permission_error,      access_denied",
            "404, null,           404, invalid_request_error, model_not_found",
            "413, null,           400, invalid_request_error, request_too_large",
            "429, null,           429, rate_limit_error,      rate_limit_exceeded",
            "500, null,           502, api_error,             upstream_error",
            "529, null,           503, service_unavailable,   service_unavailable"})
    void errorsAreMappedToTheGatewayTable(int status, String kind, int wantStatus, String wantType, String wantCode) {
        fake.scenario(new Scenario.Error(status, kind));
        GatewayException e = failure(provider.chat(request(HELLO)));
        assertThat(e.status()).isEqualTo(wantStatus);
        assertThat(e.type()).isEqualTo(wantType);
        assertThat(e.code()).isEqualTo(wantCode);
        assertThat(e.getMessage()).startsWith("anthropic returned " + status + ": ");
        if (status == 429) assertThat(e.headers()).containsEntry("Retry-After", "7");
        if ("context_length".equals(kind)) assertThat(e.getMessage()).contains("prompt is too long");
    }

    @Test
    void wrongKeyIsAnInvalidKeyError() {
        GatewayException e = failure(provider.chat(request(HELLO, deployment("wrong", Duration.ofSeconds(5), Json.object()))));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).isEqualTo("invalid_api_key");
        assertThat(e.getMessage()).contains("anthropic").contains("invalid x-api-key").doesNotContain("wrong");
    }

    @Test
    void streamRefusedBeforeStartingFailsTheFutureAndLeavesTheSinkAlone() throws Exception {
        fake.scenario(new Scenario.Error(529));
        RecordingSink sink = new RecordingSink();
        GatewayException e = failure(provider.chatStream(request("""
                {"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), sink));
        assertThat(e.status()).isEqualTo(503);
        Thread.sleep(50);
        assertThat(sink.chunks()).isEmpty();
        assertThat(sink.terminalCalls()).isZero();
    }

    @Test
    void errorEventInsideTheStreamFailsTheSinkLikeThatHttpError() throws Exception {
        fake.scenario(new Scenario.Error(529, "in_stream"));
        RecordingSink sink = new RecordingSink();
        await(provider.chatStream(request("""
                {"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), sink));
        GatewayException e = sink.awaitTerminal();
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("anthropic").contains("Overloaded");
        assertThat(sink.text()).isEqualTo("Hel");
        assertThat(sink.terminalCalls()).isEqualTo(1);
    }

    @Test
    void rateLimitErrorEventInsideTheStreamIs429() throws Exception {
        fake.scenario(new Scenario.Error(429, "in_stream"));
        RecordingSink sink = new RecordingSink();
        await(provider.chatStream(request("""
                {"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), sink));
        assertThat(sink.awaitTerminal().status()).isEqualTo(429);
    }

    @Test
    void cutStreamFailsTheSinkAndNeverEndsIt() throws Exception {
        fake.scenario(new Scenario.CutStream(3));
        RecordingSink sink = new RecordingSink();
        await(provider.chatStream(request("""
                {"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), sink));
        GatewayException e = sink.awaitTerminal();
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(502);
        assertThat(sink.text()).isEqualTo("word0 word1 word2 ");
        Thread.sleep(50);
        assertThat(sink.terminalCalls()).isEqualTo(1);
    }

    @Test
    void hangingUpstreamTimesOut() {
        fake.scenario(new Scenario.Hang());
        GatewayException e = failure(provider.chat(request(HELLO, deployment(FakeAnthropic.KEY, Duration.ofMillis(300), Json.object()))));
        assertThat(e.status()).isEqualTo(408);
        assertThat(e.getMessage()).contains("anthropic");
    }

    @Test
    void cancellationDisconnectsTheUpstream() throws Exception {
        fake.scenario(new Scenario.Hang());
        ProviderRequest req = request("""
                {"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        Future<Void> started = provider.chatStream(req, new RecordingSink());
        long deadline = System.currentTimeMillis() + 5000;
        while (fake.requests().isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(10);
        vertx.runOnContext(v -> req.cancel().cancel());
        // HTTP/1.1 closes the connection, HTTP/2 resets the stream: either way the fake's answer is abandoned
        while (fake.aborted() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertThat(fake.aborted()).isPositive();
        assertThatThrownBy(() -> await(started)).isInstanceOf(GatewayException.class);
    }

    @Test
    void invalidToolArgumentsAreRefusedBeforeCallingAnthropic() {
        GatewayException e = failure(provider.chat(request("""
                {"model":"m","messages":[{"role":"user","content":"x"},
                  {"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}""")));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("messages[1].tool_calls[0].function.arguments");
        assertThat(fake.requests()).isEmpty();
    }
}
