package dev.aigateway.provider.gemini;

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

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GeminiProviderTest {
    private static final String MODEL = "gemini-2.5-flash";
    private static FakeGemini fake;
    private static Vertx vertx;
    private static Upstream upstream;
    private static Provider provider;

    @BeforeAll
    static void start() {
        fake = new FakeGemini();
        vertx = Vertx.vertx();
        upstream = new Upstream(vertx);
        provider = new GeminiProvider(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        upstream.close().await(5, SECONDS);
        vertx.close().await(5, SECONDS);
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    // ---- helpers ----

    private static Deployment deployment(String key, String base, Duration timeout) {
        return new Deployment("d1", "my-model", "gemini", MODEL, key, base, null, timeout, null, 1, 0,
                Json.object(), Json.object(), true);
    }

    private static Deployment deployment() {
        return deployment(FakeGemini.KEY, fake.host(), Duration.ofSeconds(5));
    }

    private static ProviderRequest request(String json) {
        return request(deployment(), json);
    }

    private static ProviderRequest request(Deployment d, String json) {
        return new ProviderRequest(d, (ObjectNode) Json.parse(json), new Cancellation());
    }

    private static final String HELLO = """
            {"model":"my-model","messages":[{"role":"user","content":"Hi"}]}""";

    private static final String WEATHER_TOOLS = """
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],
                            "additionalProperties":false}}}]""";

    private static GatewayException failure(Future<?> f) {
        return catchThrowableOfType(GatewayException.class, () -> f.await(5, SECONDS));
    }

    // ---- non-streamed chat ----

    @Test
    void textCompletionWithUsageAndWhatTheFakeReceived() throws Exception {
        fake.scenario(new Scenario.Text("Hello there, friend"));
        ObjectNode out = provider.chat(request(HELLO)).await(5, SECONDS);

        assertThat(out.path("object").asText()).isEqualTo("chat.completion");
        assertThat(out.path("id").asText()).isEqualTo("fake-response-id");
        assertThat(out.path("model").asText()).isEqualTo(MODEL);
        JsonNode choice = out.path("choices").get(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Hello there, friend");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        int text = FakeGemini.tokens("Hello there, friend");
        JsonNode usage = out.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(11);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(text + 5); // thoughts are billed as output
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(11 + text + 5);
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(5);

        Recorded r = fake.last();
        assertThat(r.path()).isEqualTo("/v1beta/models/" + MODEL + ":generateContent");
        assertThat(r.query()).isNull(); // the key never goes into the URL
        assertThat(r.headers().get("x-goog-api-key")).isEqualTo(FakeGemini.KEY);
        assertThat(r.headers().get("authorization")).isNull();
        assertThat(r.json()).isEqualTo(Json.parse("""
                {"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"""));
    }

    @Test
    void systemPromptStopMaxTokensTemperatureAndCandidates() throws Exception {
        ObjectNode out = provider.chat(request("""
                {"model":"m","messages":[{"role":"system","content":"Be brief."},
                  {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
                  {"role":"user","content":"Hi"}],
                 "stop":["END","STOP"],"max_tokens":50,"temperature":0.3,"top_p":0.9,"n":2,"seed":7}""")).await(5, SECONDS);

        JsonNode body = fake.last().json();
        assertThat(body.path("systemInstruction")).isEqualTo(Json.parse("""
                {"parts":[{"text":"Be brief."},{"text":"Answer in French."}]}"""));
        assertThat(body.path("contents")).isEqualTo(Json.parse("""
                [{"role":"user","parts":[{"text":"Hi"}]}]"""));
        assertThat(body.path("generationConfig")).isEqualTo(Json.parse("""
                {"temperature":0.3,"topP":0.9,"seed":7,"candidateCount":2,"maxOutputTokens":50,"stopSequences":["END","STOP"]}"""));
        assertThat(out.path("choices")).hasSize(2);
        assertThat(out.path("choices").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(out.path("choices").get(1).path("message").path("content").asText()).endsWith("#1");
    }

    @Test
    void imagePartsBecomeInlineDataAndFileData() throws Exception {
        provider.chat(request("""
                {"model":"m","messages":[{"role":"user","content":[
                  {"type":"text","text":"What is in these?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.webp?size=large","detail":"high"}},
                  {"type":"image_url","image_url":"https://example.com/photo"}]}]}""")).await(5, SECONDS);

        assertThat(fake.last().json().path("contents").get(0).path("parts")).isEqualTo(Json.parse("""
                [{"text":"What is in these?"},
                 {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
                 {"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/cat.webp?size=large"}},
                 {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/photo"}}]"""));
    }

    @Test
    void toolCallNonStreamed() throws Exception {
        fake.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\",\"days\":2}"));
        ObjectNode out = provider.chat(request("""
                {"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}],
                 "tool_choice":"required",""" + WEATHER_TOOLS + "}")).await(5, SECONDS);

        JsonNode choice = out.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").isNull()).isTrue();
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("id").asText()).startsWith("call_").endsWith("__thought__" + FakeGemini.THOUGHT_SIGNATURE);
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(Json.parse(call.path("function").path("arguments").asText()))
                .isEqualTo(Json.parse("{\"city\":\"Paris\",\"days\":2}"));

        JsonNode body = fake.last().json();
        assertThat(body.path("tools")).isEqualTo(Json.parse("""
                [{"functionDeclarations":[{"name":"get_weather","description":"Weather in a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}]"""));
        assertThat(body.path("toolConfig")).isEqualTo(Json.parse("""
                {"functionCallingConfig":{"mode":"ANY"}}"""));
    }

    @Test
    void multiTurnWithToolResultsIsTranslatedForGemini() throws Exception {
        String id1 = "call_aaa__thought__" + FakeGemini.THOUGHT_SIGNATURE;
        provider.chat(request("""
                {"model":"m","messages":[
                  {"role":"system","content":"You are a weather bot."},
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"%s","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_bbb","type":"function","function":{"name":"get_time","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"%s","content":"{\\"temp_c\\":21}"},
                  {"role":"tool","tool_call_id":"call_bbb","content":"It is noon."},
                  {"role":"user","content":"Thanks!"}],
                 """.formatted(id1, id1) + WEATHER_TOOLS + "}")).await(5, SECONDS);

        JsonNode body = fake.last().json();
        assertThat(body.path("systemInstruction").path("parts").get(0).path("text").asText()).isEqualTo("You are a weather bot.");
        // Both tool results and the next user message are one user turn: Gemini wants strict alternation.
        assertThat(body.path("contents")).isEqualTo(Json.parse("""
                [{"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
                 {"role":"model","parts":[
                   {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"%s"},
                   {"functionCall":{"name":"get_time","args":{"city":"Rome"}}}]},
                 {"role":"user","parts":[
                   {"functionResponse":{"name":"get_weather","response":{"temp_c":21}}},
                   {"functionResponse":{"name":"get_time","response":{"content":"It is noon."}}},
                   {"text":"Thanks!"}]}]""".formatted(FakeGemini.THOUGHT_SIGNATURE)));
    }

    // ---- streamed chat ----

    @Test
    void streamTextWithUsage() throws Exception {
        fake.scenario(new Scenario.Text("Hello there, friend"));
        RecordingSink sink = new RecordingSink();
        provider.chatStream(request(HELLO), sink).await(5, SECONDS);
        sink.awaitTerminal();

        assertThat(sink.ends()).isEqualTo(1);
        assertThat(sink.fails()).isZero();
        List<ObjectNode> chunks = sink.chunks();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("id").asText()).isEqualTo("fake-response-id");
            assertThat(c.path("model").asText()).isEqualTo(MODEL);
        });
        assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        assertThat(sink.text(0)).isEqualTo("Hello there, friend");
        assertThat(chunks.stream().filter(c -> c.path("choices").size() == 1
                && c.path("choices").get(0).path("delta").has("content")).count()).isEqualTo(4); // role + 3 words
        assertThat(sink.finishReasons()).containsExactly("stop");
        ObjectNode last = chunks.get(chunks.size() - 1);
        assertThat(last.path("choices")).isEmpty();
        int text = FakeGemini.tokens("Hello there, friend");
        assertThat(last.path("usage")).isEqualTo(Json.parse("""
                {"prompt_tokens":11,"completion_tokens":%d,"total_tokens":%d,"completion_tokens_details":{"reasoning_tokens":5}}"""
                .formatted(text + 5, 11 + text + 5)));
        // The finish chunk comes before the usage chunk and after all content.
        ObjectNode beforeLast = chunks.get(chunks.size() - 2);
        assertThat(beforeLast.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");

        Recorded r = fake.last();
        assertThat(r.path()).isEqualTo("/v1beta/models/" + MODEL + ":streamGenerateContent");
        assertThat(r.query()).isEqualTo("alt=sse");
        assertThat(r.headers().get("x-goog-api-key")).isEqualTo(FakeGemini.KEY);
    }

    @Test
    void slowStreamArrivesWhole() throws Exception {
        fake.scenario(new Scenario.SlowStream("one two three", 30));
        RecordingSink sink = new RecordingSink();
        provider.chatStream(request(HELLO), sink).await(5, SECONDS);
        sink.awaitTerminal();
        assertThat(sink.ends()).isEqualTo(1);
        assertThat(sink.text(0)).isEqualTo("one two three");
    }

    @Test
    void toolCallStreamed() throws Exception {
        fake.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\",\"units\":{\"temp\":\"C\"}}"));
        RecordingSink sink = new RecordingSink();
        provider.chatStream(request("""
                {"model":"m","stream":true,"messages":[{"role":"user","content":"Weather?"}],
                 "tool_choice":{"type":"function","function":{"name":"get_weather"}},""" + WEATHER_TOOLS + "}"), sink)
                .await(5, SECONDS);
        sink.awaitTerminal();

        assertThat(sink.ends()).isEqualTo(1);
        StringBuilder args = new StringBuilder();
        String name = null;
        String id = null;
        for (ObjectNode c : sink.chunks()) {
            for (JsonNode call : c.path("choices").path(0).path("delta").path("tool_calls")) {
                assertThat(call.path("index").asInt()).isZero();
                if (call.has("id")) id = call.get("id").asText();
                if (call.path("function").has("name")) name = call.path("function").get("name").asText();
                args.append(call.path("function").path("arguments").asText(""));
            }
        }
        assertThat(name).isEqualTo("get_weather");
        assertThat(id).startsWith("call_");
        assertThat(Json.parse(args.toString())).isEqualTo(Json.parse("{\"city\":\"Paris\",\"units\":{\"temp\":\"C\"}}"));
        assertThat(sink.finishReasons()).containsExactly("tool_calls");
        assertThat(sink.last().path("usage").path("prompt_tokens").asInt()).isEqualTo(11);
        assertThat(fake.last().json().path("toolConfig")).isEqualTo(Json.parse("""
                {"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}"""));
    }

    @Test
    void streamCutMidwayFailsTheSinkAndNeverEndsIt() throws Exception {
        fake.scenario(new Scenario.CutStream(2));
        RecordingSink sink = new RecordingSink();
        provider.chatStream(request(HELLO), sink).await(5, SECONDS);
        sink.awaitTerminal();

        assertThat(sink.ends()).isZero();
        assertThat(sink.fails()).isEqualTo(1);
        assertThat(sink.failure()).isInstanceOf(GatewayException.class);
        assertThat(sink.failure().status()).isGreaterThanOrEqualTo(500);
        assertThat(sink.text(0)).isEqualTo("part0 part1 ");
        assertThat(sink.finishReasons()).isEmpty();
    }

    @Test
    void streamRefusedBeforeStartingFailsTheFutureAndWritesNothing() throws Exception {
        fake.scenario(new Scenario.Error(429));
        RecordingSink sink = new RecordingSink();
        GatewayException e = failure(provider.chatStream(request(HELLO), sink));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("rate_limit_error");
        Thread.sleep(50);
        assertThat(sink.chunks()).isEmpty();
        assertThat(sink.ends() + sink.fails()).isZero();
    }

    // ---- errors ----

    @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
    @CsvSource(nullValues = "null", value = {
            "400, null,                400, invalid_request_error, invalid_argument",
            "400, context_length,      400, invalid_request_error, context_length_exceeded",
            "400, failed_precondition, 400, invalid_request_error, failed_precondition",
            "400, bad_key,             401, authentication_error,  invalid_api_key",
            "403, null,                403, permission_error,      access_denied",
            "404, null,                404, invalid_request_error, model_not_found",
            "429, null,                429, rate_limit_error,      rate_limit_exceeded",
            "500, null,                502, api_error,             upstream_error",
            "503, null,                503, service_unavailable,   service_unavailable",
            "504, null,                408, timeout,               timeout"})
    void geminiErrorsMapToTheGatewayTable(int upstreamStatus, String kind, int status, String type, String code) {
        fake.scenario(new Scenario.Error(upstreamStatus, kind));
        GatewayException e = failure(provider.chat(request(HELLO)));
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).startsWith("gemini returned ");
        if (status == 404) assertThat(e.param()).isEqualTo("model");
        if (status == 429) assertThat(e.headers()).containsEntry("Retry-After", "26"); // from RetryInfo.retryDelay
    }

    @Test
    void wrongKeyIsA401EvenThoughGeminiSays400() {
        GatewayException e = failure(provider.chat(request(deployment("wrong-key", fake.host(), Duration.ofSeconds(5)), HELLO)));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).isEqualTo("invalid_api_key");
        assertThat(e.getMessage()).contains("gemini").contains("API key not valid").doesNotContain("wrong-key");
        assertThat(fake.last().headers().get("x-goog-api-key")).isEqualTo("wrong-key");
    }

    @Test
    void missingKeyIsGeminisPermissionDenied() {
        GatewayException e = failure(provider.chat(request(deployment(null, fake.host(), Duration.ofSeconds(5)), HELLO)));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.type()).isEqualTo("permission_error");
        assertThat(fake.last().headers().contains("x-goog-api-key")).isFalse();
    }

    @Test
    void hangingUpstreamTimesOutWith408() {
        fake.scenario(new Scenario.Hang());
        Deployment d = deployment(FakeGemini.KEY, fake.host(), Duration.ofMillis(300));
        GatewayException e = failure(provider.chat(request(d, HELLO)));
        assertThat(e.status()).isEqualTo(408);
        assertThat(e.type()).isEqualTo("timeout");
    }

    @Test
    void cancellingTheRequestDisconnectsFromGemini() throws Exception {
        fake.scenario(new Scenario.Hang());
        ProviderRequest req = request(HELLO);
        RecordingSink sink = new RecordingSink();
        Future<Void> started = provider.chatStream(req, sink);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fake.requests().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(fake.requests()).hasSize(1);
        vertx.runOnContext(v -> req.cancel().cancel());
        while (fake.abandoned() == 0 && fake.disconnects() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(fake.abandoned() + fake.disconnects()).as("fake saw the call abandoned (" + fake.lastHttpVersion() + ")").isPositive();
        assertThat(failure(started)).isNotNull();
    }

    @Test
    void apiBaseWithTrailingSlashAndAVersionAreBothAccepted() throws Exception {
        provider.chat(request(deployment(FakeGemini.KEY, fake.host() + "/", Duration.ofSeconds(5)), HELLO)).await(5, SECONDS);
        assertThat(fake.last().path()).isEqualTo("/v1beta/models/" + MODEL + ":generateContent");
        provider.chat(request(deployment(FakeGemini.KEY, fake.host() + "/v1beta", Duration.ofSeconds(5)), HELLO)).await(5, SECONDS);
        assertThat(fake.last().path()).isEqualTo("/v1beta/models/" + MODEL + ":generateContent");
    }

    @Test
    void badRequestIsRefusedBeforeCallingGemini() {
        GatewayException e = failure(provider.chat(request("""
                {"model":"m","messages":[{"role":"tool","tool_call_id":"nope","content":"x"}]}""")));
        assertThat(e.status()).isEqualTo(400);
        assertThat(fake.requests()).isEmpty();
    }

    // ---- embeddings ----

    @Test
    void embeddingsThroughBatchEmbedContents() throws Exception {
        Deployment d = new Deployment("e1", "emb", "gemini", "text-embedding-004", FakeGemini.KEY, fake.host(), null,
                Duration.ofSeconds(5), null, 1, 0, Json.object(), Json.object(), true);
        ObjectNode out = provider.embeddings(new ProviderRequest(d, (ObjectNode) Json.parse("""
                {"model":"emb","input":["hello world","second text"],"dimensions":4}"""), new Cancellation()))
                .await(5, SECONDS);

        assertThat(out.path("object").asText()).isEqualTo("list");
        assertThat(out.path("model").asText()).isEqualTo("text-embedding-004");
        assertThat(out.path("data")).hasSize(2);
        assertThat(out.path("data").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(out.path("data").get(1).path("object").asText()).isEqualTo("embedding");
        assertThat(out.path("data").get(1).path("embedding")).hasSize(4);
        assertThat(out.path("data").get(1).path("embedding").get(0).asDouble()).isEqualTo(0.5);
        assertThat(out.path("usage").path("prompt_tokens").asInt()).isEqualTo(3 + 3);
        assertThat(out.path("usage").path("total_tokens").asInt()).isEqualTo(6);

        Recorded r = fake.last();
        assertThat(r.path()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
        assertThat(r.headers().get("x-goog-api-key")).isEqualTo(FakeGemini.KEY);
        assertThat(r.json()).isEqualTo(Json.parse("""
                {"requests":[
                  {"model":"models/text-embedding-004","content":{"parts":[{"text":"hello world"}]},"outputDimensionality":4},
                  {"model":"models/text-embedding-004","content":{"parts":[{"text":"second text"}]},"outputDimensionality":4}]}"""));
    }

    @Test
    void embeddingsOfOneString() throws Exception {
        Deployment d = new Deployment("e1", "emb", "gemini", "text-embedding-004", FakeGemini.KEY, fake.host(), null,
                Duration.ofSeconds(5), null, 1, 0, Json.object(), Json.object(), true);
        ObjectNode out = provider.embeddings(new ProviderRequest(d, (ObjectNode) Json.parse("""
                {"model":"emb","input":"just one"}"""), new Cancellation())).await(5, SECONDS);
        assertThat(out.path("data")).hasSize(1);
        assertThat(out.path("data").get(0).path("embedding")).hasSize(3);
        assertThat(fake.last().json().path("requests").get(0).has("outputDimensionality")).isFalse();
    }
}
