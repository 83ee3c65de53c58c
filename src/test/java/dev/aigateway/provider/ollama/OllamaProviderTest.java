package dev.aigateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.openai.ProviderTestKit;
import dev.aigateway.testing.RecordingSink;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static dev.aigateway.provider.openai.ProviderTestKit.await;
import static dev.aigateway.provider.openai.ProviderTestKit.deployment;
import static dev.aigateway.provider.openai.ProviderTestKit.eventually;
import static dev.aigateway.provider.openai.ProviderTestKit.failure;
import static dev.aigateway.provider.openai.ProviderTestKit.json;
import static dev.aigateway.provider.openai.ProviderTestKit.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class OllamaProviderTest {
    private static final String HELLO = """
            {"model":"my-model","messages":[{"role":"user","content":"Hi"}]}""";
    private static final String WEATHER_TOOL = """
            [{"type":"function","function":{"name":"get_weather","description":"Weather for a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

    private static FakeOllama fake;
    private static ProviderTestKit kit;
    private static Provider provider;

    @BeforeAll
    static void start() {
        fake = new FakeOllama();
        kit = new ProviderTestKit();
        provider = new OllamaProvider(kit.upstream);
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

    private static Deployment ollama() {
        return deployment("ollama", "llama3.2", null, fake.host());
    }

    private static ObjectNode chat(String body) {
        return await(kit.onLoop(() -> provider.chat(request(ollama(), body))));
    }

    private static RecordingSink stream(String body) {
        RecordingSink sink = new RecordingSink();
        await(kit.onLoop(() -> provider.chatStream(request(ollama(), body), sink)));
        return sink;
    }

    private static ObjectNode sent() {
        return (ObjectNode) fake.last().json();
    }

    // ---- chat ------------------------------------------------------------------------------------------------

    @Test
    void nonStreamTextBecomesAnOpenAiCompletion() {
        fake.scenario(new Scenario.Text("Hello from llama"));
        ObjectNode out = chat(HELLO);

        FakeUpstream.Recorded r = fake.last();
        assertThat(r.path()).isEqualTo("/api/chat");
        assertThat(r.headers().get("authorization")).isNull();
        assertThat(sent()).isEqualTo(json("""
                {"model":"llama3.2","messages":[{"role":"user","content":"Hi"}],"stream":false}"""));

        assertThat(out.path("id").asText()).startsWith("chatcmpl-");
        assertThat(out.path("object").asText()).isEqualTo("chat.completion");
        assertThat(out.path("model").asText()).isEqualTo("llama3.2");
        assertThat(out.path("created").asLong()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        assertThat(out.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(out.at("/choices/0/message/content").asText()).isEqualTo("Hello from llama");
        assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(out.path("usage")).isEqualTo(json("""
                {"prompt_tokens":26,"completion_tokens":11,"total_tokens":37}"""));
    }

    @Test
    void streamBecomesOpenAiChunksWithFinishAndUsage() {
        fake.scenario(new Scenario.Text("The sky is blue"));
        RecordingSink sink = stream("""
                {"model":"my-model","messages":[{"role":"user","content":"Why?"}],"stream":true,"stream_options":{"include_usage":true}}""").awaitEnd();

        assertThat(sent().path("stream").asBoolean()).isTrue();
        assertThat(sent().has("stream_options")).as("not an Ollama field").isFalse();
        assertThat(sink.chunks()).hasSize(4 + 2); // one per word, finish, usage
        assertThat(sink.chunks()).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("id").asText()).isEqualTo(sink.chunks().get(0).path("id").asText());
            assertThat(c.path("model").asText()).isEqualTo("llama3.2");
        });
        assertThat(sink.chunks().get(0).at("/choices/0/delta")).isEqualTo(json("""
                {"role":"assistant","content":"The"}"""));
        assertThat(sink.text()).isEqualTo("The sky is blue");
        assertThat(sink.finishReasons()).containsExactly("stop");
        assertThat(sink.chunks().get(4).at("/choices/0/delta")).isEmpty();
        ObjectNode usage = sink.last();
        assertThat(usage.path("choices").isArray()).isTrue();
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage")).isEqualTo(json("""
                {"prompt_tokens":26,"completion_tokens":11,"total_tokens":37}"""));
    }

    @Test
    void lengthDoneReasonIsFinishReasonLength() {
        fake.doneReason("length");
        assertThat(chat(HELLO).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(stream(HELLO).awaitEnd().finishReasons()).containsExactly("length");
    }

    @Test
    void thinkingBecomesReasoningContent() {
        fake.thinking("Let me think");
        fake.scenario(new Scenario.Text("Answer"));
        ObjectNode out = chat("""
                {"model":"my-model","messages":[{"role":"user","content":"Hard question"}],"reasoning_effort":"high"}""");
        assertThat(sent().path("think").asBoolean()).isTrue();
        assertThat(out.at("/choices/0/message/reasoning_content").asText()).isEqualTo("Let me think");
        assertThat(out.at("/choices/0/message/content").asText()).isEqualTo("Answer");

        RecordingSink sink = stream(HELLO).awaitEnd();
        StringBuilder reasoning = new StringBuilder();
        sink.chunks().forEach(c -> reasoning.append(c.at("/choices/0/delta/reasoning_content").asText("")));
        assertThat(reasoning.toString()).isEqualTo("Let me think");
        assertThat(sink.text()).isEqualTo("Answer");
    }

    // ---- tools -----------------------------------------------------------------------------------------------

    @Test
    void toolCallNonStream() {
        fake.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        ObjectNode out = chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],\"tools\":" + WEATHER_TOOL + "}");

        assertThat(sent().get("tools")).as("OpenAI's tool format is Ollama's").isEqualTo(Json.parse(WEATHER_TOOL));
        JsonNode msg = out.at("/choices/0/message");
        assertThat(msg.get("content").isNull()).isTrue();
        JsonNode call = msg.at("/tool_calls/0");
        assertThat(call.path("id").asText()).isEqualTo("call_0");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/function/arguments").isTextual()).isTrue();
        assertThat(Json.parse(call.at("/function/arguments").asText())).isEqualTo(json("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        assertThat(out.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void toolCallStream() {
        fake.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Oslo\",\"days\":[1,2]}"));
        RecordingSink sink = stream("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],\"tools\":" + WEATHER_TOOL + "}").awaitEnd();

        JsonNode call = sink.chunks().get(0).at("/choices/0/delta/tool_calls/0");
        assertThat(call.path("index").asInt()).isZero();
        assertThat(call.path("id").asText()).isEqualTo("call_0");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(Json.parse(sink.toolArguments(0))).isEqualTo(json("{\"city\":\"Oslo\",\"days\":[1,2]}"));
        assertThat(sink.finishReasons()).containsExactly("tool_calls");
        assertThat(sink.last().path("usage").path("total_tokens").asInt()).isEqualTo(37);
    }

    @Test
    void toolChoiceNoneWithholdsTheTools() {
        chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tool_choice\":\"none\",\"tools\":" + WEATHER_TOOL + "}");
        assertThat(sent().has("tools")).isFalse();
    }

    @Test
    void multiTurnToolConversationIsTranslated() {
        chat("""
                {"model":"my-model","messages":[
                  {"role":"system","content":"You are a weather bot."},
                  {"role":"developer","content":[{"type":"text","text":"Use celsius."}]},
                  {"role":"user","content":"Weather in Paris and Oslo?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_b","type":"function","function":{"name":"get_time","arguments":""}}]},
                  {"role":"tool","tool_call_id":"call_a","content":"18C"},
                  {"role":"tool","tool_call_id":"call_b","content":[{"type":"text","text":"12:00"}]},
                  {"role":"assistant","content":"Paris is 18C at noon."},
                  {"role":"user","content":"Thanks"}]}""");

        assertThat(sent().get("messages")).isEqualTo(Json.parse("""
                [{"role":"system","content":"You are a weather bot."},
                 {"role":"system","content":"Use celsius."},
                 {"role":"user","content":"Weather in Paris and Oslo?"},
                 {"role":"assistant","content":"","tool_calls":[
                   {"function":{"name":"get_weather","arguments":{"city":"Paris"}}},
                   {"function":{"name":"get_time","arguments":{}}}]},
                 {"role":"tool","content":"18C","tool_name":"get_weather"},
                 {"role":"tool","content":"12:00","tool_name":"get_time"},
                 {"role":"assistant","content":"Paris is 18C at noon."},
                 {"role":"user","content":"Thanks"}]"""));
    }

    // ---- parameters ------------------------------------------------------------------------------------------

    @Test
    void samplingParametersMoveIntoOptions() {
        chat("""
                {"model":"my-model","messages":[{"role":"user","content":"Hi"}],
                 "temperature":0.3,"top_p":0.8,"max_tokens":50,"stop":"END","seed":42,
                 "presence_penalty":0.1,"frequency_penalty":0.2,"top_k":40,"keep_alive":"10m",
                 "response_format":{"type":"json_object"},"user":"not-for-ollama"}""");

        ObjectNode sent = sent();
        assertThat(sent.get("options")).isEqualTo(json("""
                {"temperature":0.3,"top_p":0.8,"seed":42,"presence_penalty":0.1,"frequency_penalty":0.2,
                 "num_predict":50,"stop":["END"],"top_k":40}"""));
        assertThat(sent.path("format").asText()).isEqualTo("json");
        assertThat(sent.path("keep_alive").asText()).isEqualTo("10m");
        assertThat(sent.has("temperature")).isFalse();
        assertThat(sent.has("user")).isFalse();
    }

    @Test
    void maxCompletionTokensWinsAndStopListsStayLists() {
        chat("""
                {"model":"my-model","messages":[{"role":"user","content":"Hi"}],
                 "max_tokens":50,"max_completion_tokens":80,"stop":["a","b"]}""");
        assertThat(sent().at("/options/num_predict").asInt()).isEqualTo(80);
        assertThat(sent().at("/options/stop")).isEqualTo(Json.parse("[\"a\",\"b\"]"));
    }

    @Test
    void jsonSchemaResponseFormatBecomesTheFormatSchema() {
        String schema = "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}},\"required\":[\"age\"]}";
        chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Age?\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"person\",\"schema\":" + schema + "}}}");
        assertThat(sent().get("format")).isEqualTo(Json.parse(schema));
    }

    @Test
    void noOptionsWhenTheClientSetNone() {
        chat(HELLO);
        assertThat(sent().has("options")).isFalse();
        assertThat(sent().has("format")).isFalse();
        assertThat(sent().has("think")).isFalse();
    }

    @Test
    void reasoningEffortForGptOssIsALevel() {
        Deployment d = deployment("ollama", "gpt-oss:20b", null, fake.host());
        await(kit.onLoop(() -> provider.chat(request(d, """
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"medium"}"""))));
        assertThat(sent().path("think").asText()).isEqualTo("medium");

        await(kit.onLoop(() -> provider.chat(request(d, """
                {"model":"m","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"none"}"""))));
        assertThat(sent().path("think").isBoolean()).isTrue();
        assertThat(sent().path("think").asBoolean(true)).isFalse();
    }

    // ---- images ----------------------------------------------------------------------------------------------

    @Test
    void dataUrlImagesGoInlineAsBareBase64() {
        chat("""
                {"model":"my-model","messages":[{"role":"user","content":[
                  {"type":"text","text":"What is in these?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}},
                  {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRg==","detail":"high"}},
                  {"type":"text","text":"Be brief."}]}]}""");

        JsonNode msg = sent().at("/messages/0");
        assertThat(msg.path("content").asText()).isEqualTo("What is in these?\nBe brief.");
        assertThat(msg.get("images")).isEqualTo(Json.parse("[\"iVBORw0KGgoAAAANSUhEUg==\",\"/9j/4AAQSkZJRg==\"]"));
    }

    @Test
    void httpImageUrlsAreRefusedWithoutCallingOllama() {
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(ollama(), """
                {"model":"my-model","messages":[{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}"""))));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("invalid_request_error");
        assertThat(e.getMessage()).contains("https://example.com/cat.png").contains("base64");
        assertThat(fake.requests()).isEmpty();
    }

    // ---- embeddings ------------------------------------------------------------------------------------------

    @Test
    void embeddingsUseApiEmbedAndComeBackAsAnOpenAiList() {
        ObjectNode out = await(kit.onLoop(() -> provider.embeddings(request(deployment("ollama", "all-minilm", null, fake.host()), """
                {"model":"my-embedder","input":["first","second"],"dimensions":3}"""))));

        assertThat(fake.last().path()).isEqualTo("/api/embed");
        assertThat(sent()).isEqualTo(json("{\"model\":\"all-minilm\",\"input\":[\"first\",\"second\"],\"dimensions\":3}"));
        assertThat(out.path("object").asText()).isEqualTo("list");
        assertThat(out.path("model").asText()).isEqualTo("all-minilm");
        assertThat(out.path("data")).hasSize(2);
        JsonNode second = out.at("/data/1");
        assertThat(second.path("object").asText()).isEqualTo("embedding");
        assertThat(second.path("index").asInt()).isEqualTo(1);
        float[] expected = FakeOllama.vector(1, 3);
        for (int i = 0; i < 3; i++) assertThat(second.path("embedding").get(i).floatValue()).isEqualTo(expected[i]);
        assertThat(out.path("usage")).isEqualTo(json("{\"prompt_tokens\":26,\"total_tokens\":26}"));
    }

    @Test
    void embeddingsOfTokenIdsAreRefused() {
        GatewayException e = failure(kit.onLoop(() -> provider.embeddings(request(ollama(), """
                {"model":"m","input":[[1,2,3]]}"""))));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.param()).isEqualTo("input");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void textCompletionRunsAsChat() {
        assertThat(provider.textCompletion(request(ollama(), "{\"model\":\"m\",\"prompt\":\"x\"}"))).isNull();
    }

    // ---- auth and errors -------------------------------------------------------------------------------------

    @Test
    void configuredKeyIsSentAsBearerAndAWrongOneIs401() {
        try (FakeOllama guarded = new FakeOllama("ollama-cloud-key")) {
            Deployment good = deployment("ollama", "llama3.2", "ollama-cloud-key", guarded.host() + "/");
            await(kit.onLoop(() -> provider.chat(request(good, HELLO))));
            assertThat(guarded.last().path()).isEqualTo("/api/chat");
            assertThat(guarded.last().headers().get("authorization")).isEqualTo("Bearer ollama-cloud-key");

            Deployment bad = deployment("ollama", "llama3.2", "wrong", guarded.host());
            GatewayException e = failure(kit.onLoop(() -> provider.chat(request(bad, HELLO))));
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo("invalid_api_key");
            assertThat(e.getMessage()).isEqualTo("ollama returned 401: unauthorized");
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
    @CsvSource(nullValues = "null", value = {
            "400, null,           400, invalid_request_error, null",
            "400, context_length, 400, invalid_request_error, context_length_exceeded",
            "404, null,           404, invalid_request_error, model_not_found",
            "429, null,           429, rate_limit_error,      rate_limit_exceeded",
            "500, null,           502, api_error,             upstream_error",
            "503, null,           503, service_unavailable,   service_unavailable"})
    void ollamaErrorsMapToTheGatewayTable(int status, String kind, int expectedStatus, String type, String code) {
        fake.scenario(new Scenario.Error(status, kind));
        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(ollama(), HELLO))));

        assertThat(e.status()).isEqualTo(expectedStatus);
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).startsWith("ollama returned " + status + ": ");
        if (status == 404) {
            assertThat(e.param()).isEqualTo("model");
            assertThat(e.getMessage()).isEqualTo("ollama returned 404: model \"llama3.2\" not found, try pulling it first");
        }
        if (status == 400 && kind == null) assertThat(e.getMessage()).contains("does not support tools");
    }

    @Test
    void refusedStreamFailsTheFutureAndLeavesTheSinkUntouched() {
        fake.scenario(new Scenario.Error(404));
        RecordingSink sink = new RecordingSink();
        GatewayException e = failure(kit.onLoop(() -> provider.chatStream(request(ollama(), HELLO), sink)));

        assertThat(e.status()).isEqualTo(404);
        assertThat(sink.chunks()).isEmpty();
        assertThat(sink.ends() + sink.fails()).isZero();
    }

    @Test
    void errorLineInsideTheStreamFailsTheSink() {
        fake.scenario(new Scenario.Error(500, "in_stream"));
        RecordingSink sink = stream(HELLO);
        GatewayException e = sink.awaitFailure();

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).isEqualTo("ollama stream error: an error was encountered while running the model: unexpected EOF");
        assertThat(sink.text()).isEqualTo("Hel");
    }

    @Test
    void streamCutMidAnswerFailsTheSinkAndNeverEndsIt() {
        fake.scenario(new Scenario.CutStream(2));
        RecordingSink sink = stream(HELLO);
        GatewayException e = sink.awaitFailure();

        assertThat(e.type()).isEqualTo("api_error");
        assertThat(sink.text()).isEqualTo("Hello from");
        assertThat(sink.finishReasons()).isEmpty();
    }

    @Test
    void streamEndingCleanlyWithoutItsDoneLineIsAnError() {
        RecordingSink sink = new RecordingSink();
        OllamaStreamDecoder decoder = new OllamaStreamDecoder("llama3.2");
        decoder.feed(Buffer.buffer("{\"model\":\"llama3.2\",\"created_at\":\"2024-07-22T20:33:28.123648Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"), sink);

        assertThatThrownBy(() -> decoder.end(sink))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("done:true");
        assertThat(sink.text()).isEqualTo("Hi");
    }

    @Test
    void decoderSurvivesAnyTcpSplitIncludingInsideAMultiByteCharacter() {
        String lines = "{\"model\":\"m\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\"Grüße \"},\"done\":false}\n"
                + "{\"model\":\"m\",\"created_at\":\"2023-08-04T08:52:19.5-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\"日本\"},\"done\":false}\n"
                + "{\"model\":\"m\",\"created_at\":\"2023-08-04T08:52:20-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":2}";
        byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
        RecordingSink sink = new RecordingSink();
        OllamaStreamDecoder decoder = new OllamaStreamDecoder("m");
        for (int i = 0; i < bytes.length; i += 3) {
            decoder.feed(Buffer.buffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 3))), sink);
        }
        decoder.end(sink); // the last line has no newline: still complete

        assertThat(sink.text()).isEqualTo("Grüße 日本");
        assertThat(sink.finishReasons()).containsExactly("stop");
        assertThat(sink.last().at("/usage/total_tokens").asInt()).isEqualTo(5);
        assertThat(sink.chunks().get(0).path("created").asLong()).isEqualTo(1691164339L); // 2023-08-04T15:52:19Z
    }

    // ---- timeouts and cancellation ---------------------------------------------------------------------------

    @Test
    void hangingOllamaTimesOutWith408() {
        fake.scenario(new Scenario.Hang());
        Deployment d = deployment("ollama", "llama3.2", null, fake.host(), null, Duration.ofMillis(300), Json.object());

        GatewayException e = failure(kit.onLoop(() -> provider.chat(request(d, HELLO))));
        assertThat(e.status()).isEqualTo(408);
        assertThat(e.getMessage()).contains("ollama");

        RecordingSink sink = new RecordingSink();
        assertThat(failure(kit.onLoop(() -> provider.chatStream(request(d, HELLO), sink))).status()).isEqualTo(408);
        assertThat(sink.chunks()).isEmpty();
    }

    @Test
    void streamThatGoesSilentTimesOut() {
        fake.scenario(new Scenario.SlowStream("slow model", 2_000));
        Deployment d = deployment("ollama", "llama3.2", null, fake.host(), null, Duration.ofMillis(400), Json.object());
        RecordingSink sink = new RecordingSink();
        await(kit.onLoop(() -> provider.chatStream(request(d, HELLO), sink)));

        assertThat(sink.awaitFailure().status()).isEqualTo(408);
    }

    @Test
    void cancellingTheRequestDisconnectsFromOllama() {
        fake.scenario(new Scenario.Hang());
        ProviderRequest req = request(ollama(), HELLO);
        var result = kit.onLoop(() -> provider.chat(req));
        eventually(() -> fake.requests().size() == 1, "the fake received the request");
        int before = fake.disconnects();

        kit.cancel(req.cancel());

        eventually(() -> fake.disconnects() > before, "the fake saw the connection close");
        assertThat(failure(result).isClientClosed()).isTrue();
    }
}
