package dev.aigateway.provider.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official Anthropic Java SDK reads what MessagesApi and AnthropicEventWriter produce: a tiny server
 * translates the SDK's request to OpenAI, answers with canned OpenAI output translated back. (The full
 * gateway path is tested end to end elsewhere.)
 */
class MessagesApiSdkTest {
    enum Mode { TEXT, TOOL, BROKEN_STREAM, RATE_LIMITED }

    static Vertx vertx;
    static HttpServer server;
    static AnthropicClient client;
    static final AtomicReference<Mode> mode = new AtomicReference<>(Mode.TEXT);
    static final AtomicReference<ObjectNode> lastOpenAiRequest = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            HttpServerResponse resp = req.response();
            try {
                ObjectNode openAi = MessagesApi.toOpenAiRequest(Json.parseRequest(body));
                lastOpenAiRequest.set(openAi);
                answer(openAi, resp);
            } catch (GatewayException e) {
                resp.setStatusCode(e.status()).putHeader("content-type", "application/json").end(MessagesApi.errorBody(e).toString());
            }
        })).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
        client = AnthropicOkHttpClient.builder().apiKey("sk-test").baseUrl("http://127.0.0.1:" + server.actualPort())
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private static void answer(ObjectNode openAi, HttpServerResponse resp) {
        Mode m = mode.get();
        if (m == Mode.RATE_LIMITED) {
            GatewayException e = GatewayException.rateLimited("Rate limit reached for key.", 3);
            resp.setStatusCode(429).putHeader("retry-after", "3").putHeader("content-type", "application/json")
                    .end(MessagesApi.errorBody(e).toString());
            return;
        }
        if (!openAi.path("stream").asBoolean(false)) {
            resp.putHeader("content-type", "application/json")
                    .end(MessagesApi.toAnthropicResponse(completion(m), "claude-test").toString());
            return;
        }
        resp.setChunked(true).putHeader("content-type", "text/event-stream");
        AnthropicEventWriter w = new AnthropicEventWriter("claude-test", resp::write);
        for (String c : chunks(m)) w.chunk((ObjectNode) Json.parse(c));
        if (m == Mode.BROKEN_STREAM) w.fail(GatewayException.unavailable("openai returned 503: upstream overloaded"));
        else w.end();
        resp.end();
    }

    private static ObjectNode completion(Mode m) {
        String message = m == Mode.TOOL
                ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}"
                : "{\"role\":\"assistant\",\"content\":\"Hello there\"}";
        return (ObjectNode) Json.parse("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o",
                 "choices":[{"index":0,"message":%s,"finish_reason":"%s"}],
                 "usage":{"prompt_tokens":30,"completion_tokens":4,"total_tokens":34,"prompt_tokens_details":{"cached_tokens":20}}}"""
                .formatted(message, m == Mode.TOOL ? "tool_calls" : "stop"));
    }

    private static List<String> chunks(Mode m) {
        String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",";
        if (m == Mode.TOOL) {
            return List.of(
                    head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
                    head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
                    head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}",
                    head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}",
                    head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                    head + "\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":4,\"total_tokens\":34}}");
        }
        return List.of(
                head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
                head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}",
                head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":null}]}",
                head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                head + "\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":4,\"total_tokens\":34,\"prompt_tokens_details\":{\"cached_tokens\":20}}}");
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder()
                .model("claude-test")
                .maxTokens(100)
                .system("Be brief.")
                .addUserMessage("Weather in Paris?")
                .stopSequences(List.of("END"))
                .addTool(Tool.builder().name("get_weather").description("Weather by city")
                        .inputSchema(Tool.InputSchema.builder()
                                .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build())
                        .build())
                .build();
    }

    @Test
    void sdkRequestTranslatesToOpenAi() {
        mode.set(Mode.TEXT);
        client.messages().create(params());
        JsonNode sent = lastOpenAiRequest.get();
        assertThat(sent.path("model").asText()).isEqualTo("claude-test");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(100);
        assertThat(sent.path("stop")).isEqualTo(Json.parse("[\"END\"]"));
        assertThat(sent.path("messages")).isEqualTo(Json.parse("""
                [{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"}]"""));
        JsonNode fn = sent.path("tools").get(0).path("function");
        assertThat(fn.path("name").asText()).isEqualTo("get_weather");
        assertThat(fn.path("parameters").path("type").asText()).isEqualTo("object");
        assertThat(fn.path("parameters").path("properties").path("city").path("type").asText()).isEqualTo("string");
    }

    @Test
    void sdkReadsATextMessage() {
        mode.set(Mode.TEXT);
        Message m = client.messages().create(params());
        m.validate();
        assertThat(m.content()).hasSize(1);
        assertThat(m.content().get(0).asText().text()).isEqualTo("Hello there");
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
        assertThat(m.model().asString()).isEqualTo("claude-test");
        assertThat(m.usage().inputTokens()).isEqualTo(10);
        assertThat(m.usage().cacheReadInputTokens()).contains(20L);
        assertThat(m.usage().outputTokens()).isEqualTo(4);
    }

    @Test
    void sdkReadsAToolUseMessage() {
        mode.set(Mode.TOOL);
        Message m = client.messages().create(params());
        m.validate();
        ContentBlock block = m.content().get(0);
        assertThat(block.isToolUse()).isTrue();
        assertThat(block.asToolUse().name()).isEqualTo("get_weather");
        assertThat(block.asToolUse()._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
        assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    }

    @Test
    void sdkAccumulatesATextStream() {
        mode.set(Mode.TEXT);
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params())) {
            s.stream().forEach(acc::accumulate);
        }
        Message m = acc.message();
        m.validate();
        assertThat(m.content().get(0).asText().text()).isEqualTo("Hello there");
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
        assertThat(m.usage().outputTokens()).isEqualTo(4);
        assertThat(lastOpenAiRequest.get().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void sdkAccumulatesAToolStream() {
        mode.set(Mode.TOOL);
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params())) {
            s.stream().forEach(acc::accumulate);
        }
        Message m = acc.message();
        m.validate();
        assertThat(m.content().get(0).asToolUse().id()).isEqualTo("call_1");
        assertThat(m.content().get(0).asToolUse()._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
        assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    }

    @Test
    void sdkRaisesTheErrorEventOfABrokenStream() {
        mode.set(Mode.BROKEN_STREAM);
        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params())) {
                s.stream().forEach(e -> { });
            }
        }).isInstanceOf(AnthropicException.class).hasMessageContaining("upstream overloaded");
    }

    @Test
    void sdkReadsTheErrorBody() {
        mode.set(Mode.RATE_LIMITED);
        assertThatThrownBy(() -> client.messages().create(params()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.type().map(Object::toString)).contains("rate_limit_error");
                    assertThat(e.apiMessage()).contains("Rate limit reached for key.");
                });
    }

    @Test
    void sdkSeesMissingMaxTokensAsABadRequest() throws Exception {
        mode.set(Mode.TEXT);
        // the SDK always sends max_tokens, so send the raw request the way a hand-written client might
        var resp = vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.POST, server.actualPort(), "127.0.0.1", "/v1/messages")
                .compose(r -> r.send("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                        .compose(x -> x.body().map(b -> Map.entry(x.statusCode(), b.toString()))));
        var answer = resp.await(5, TimeUnit.SECONDS);
        assertThat(answer.getKey()).isEqualTo(400);
        JsonNode body = Json.parse(answer.getValue());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("param").asText()).isEqualTo("max_tokens");
    }
}
