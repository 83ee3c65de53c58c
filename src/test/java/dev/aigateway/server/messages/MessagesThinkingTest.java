package dev.aigateway.server.messages;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.gemini.FakeGemini;
import dev.aigateway.testing.TestGateway;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thinking on {@code /v1/messages} to providers that are not Anthropic, with the Anthropic SDK against the real
 * gateway: the request's thinking reaches an OpenAI-wire server (DeepSeek-like, answering with
 * {@code reasoning_content}) as {@code reasoning_effort} and Gemini as its exact budget, for models that reason only
 * (gpt-4o gets neither); their reasoning comes back as a thinking block before the text, streamed and not; streamed
 * parallel tool calls whose arguments interleave over many chunks come out as whole tool_use inputs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagesThinkingTest {
    static final String KEY = "sk-deepseek-0123456789abcdef";
    static final String REASONING = "The user greets me. I should greet back.";
    static final String READ_A = "{\"file_path\":\"/work/src/Main.java\",\"offset\":10,\"limit\":200}";
    static final String READ_B = "{\"file_path\":\"/work/src/Other.java\"}";

    ReasoningOpenAi deepSeek;
    FakeGemini gemini;
    TestGateway gw;
    AnthropicClient sdk;

    @BeforeAll
    void start() {
        deepSeek = new ReasoningOpenAi();
        gemini = new FakeGemini();
        gw = TestGateway.start("""
                model_list:
                  - model_name: deepseek
                    litellm_params: {model: openai/deepseek-reasoner, api_base: "%s/v1", api_key: "%s"}
                  - model_name: gemini
                    litellm_params: {model: gemini/gemini-2.5-flash, api_base: "%s", api_key: "%s"}
                  - model_name: claude-sonnet-4-5
                    litellm_params: {model: openai/gpt-4o, api_base: "%s/v1", api_key: "%s"}
                  - model_name: o3
                    litellm_params: {model: openai/o3-mini, api_base: "%s/v1", api_key: "%s"}
                  - model_name: local
                    litellm_params: {model: openai/my-local-model, api_base: "%s/v1", api_key: "%s"}
                  - model_name: local-reasoner
                    litellm_params: {model: openai/my-local-reasoner, api_base: "%s/v1", api_key: "%s"}
                    model_info: {supports_reasoning: true}
                router_settings:
                  num_retries: 0
                """.formatted(deepSeek.host(), KEY, gemini.host(), FakeGemini.KEY, deepSeek.host(), KEY, deepSeek.host(), KEY,
                deepSeek.host(), KEY, deepSeek.host(), KEY));
        sdk = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl()).maxRetries(0).build();
    }

    @AfterAll
    void stop() {
        if (sdk != null) sdk.close();
        if (gw != null) gw.close();
        deepSeek.close();
        gemini.close();
    }

    @BeforeEach
    void reset() {
        deepSeek.reset();
        gemini.reset();
        deepSeek.tools = false;
    }

    /** Claude Code's request shape: a 31999-token thinking budget inside max_tokens 32000. */
    static MessageCreateParams params(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(32000).enabledThinking(31999)
                .addUserMessage("Hi")
                .addTool(Tool.builder().name("Read").description("Reads a file")
                        .inputSchema(Tool.InputSchema.builder()
                                .properties(JsonValue.from(Map.of("file_path", Map.of("type", "string"))))
                                .build())
                        .build())
                .build();
    }

    static Message streamed(AnthropicClient sdk, MessageCreateParams p) {
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = sdk.messages().createStreaming(p)) {
            s.stream().forEach(acc::accumulate);
        }
        Message m = acc.message();
        m.validate();
        return m;
    }

    @Test
    void anOpenAiWireProviderGetsAReasoningEffortAndItsReasoningComesBackAsThinking() {
        Message m = sdk.messages().create(params("deepseek"));
        m.validate();

        JsonNode sent = deepSeek.last().json();
        assertThat(sent.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(sent.has("thinking")).as("OpenAI refuses a parameter it does not know").isFalse();

        assertThat(m.content()).hasSize(2);
        assertThat(m.content().get(0).isThinking()).isTrue();
        assertThat(m.content().get(0).asThinking().thinking()).isEqualTo(REASONING);
        assertThat(m.content().get(0).asThinking().signature()).isEmpty();
        assertThat(m.content().get(1).asText().text()).isEqualTo("Hello there!");
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
    }

    /**
     * Claude Code asks for thinking on nearly every call: a model_name mapped to a model that does not reason (gpt-4o,
     * which answers 400 to reasoning_effort, or a model the price map does not know) gets neither thinking nor an
     * effort, streamed or not; a reasoning model (o3-mini) and one whose model_info says it reasons get the effort.
     */
    @Test
    void onlyAReasoningModelGetsAReasoningEffort() {
        for (String model : new String[] {"claude-sonnet-4-5", "local"}) {
            Message m = sdk.messages().create(params(model));
            m.validate();
            JsonNode sent = deepSeek.last().json();
            assertThat(sent.has("reasoning_effort")).as(model).isFalse();
            assertThat(sent.has("thinking")).as(model).isFalse();
            assertThat(m.content().get(m.content().size() - 1).asText().text()).isEqualTo("Hello there!");
        }
        streamed(sdk, params("claude-sonnet-4-5"));
        assertThat(deepSeek.last().json().has("reasoning_effort")).isFalse();

        for (String model : new String[] {"o3", "local-reasoner"}) {
            sdk.messages().create(params(model)).validate();
            assertThat(deepSeek.last().json().path("reasoning_effort").asText()).as(model).isEqualTo("high");
            assertThat(deepSeek.last().json().has("thinking")).as(model).isFalse();
        }
    }

    @Test
    void aStreamedAnswersReasoningIsAThinkingBlockBeforeTheText() {
        Message m = streamed(sdk, params("deepseek"));

        assertThat(deepSeek.last().json().path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(m.content()).hasSize(2);
        assertThat(m.content().get(0).asThinking().thinking()).isEqualTo(REASONING);
        assertThat(m.content().get(0).asThinking().signature()).isEmpty();
        assertThat(m.content().get(1).asText().text()).isEqualTo("Hello there!");
    }

    /** Parallel tool calls streamed with interleaved three-character argument pieces: each input arrives whole. */
    @Test
    void streamedParallelToolCallsWithInterleavedArgumentsComeOutWhole() {
        deepSeek.tools = true;
        Message m = streamed(sdk, params("deepseek"));

        List<ContentBlock> content = m.content();
        assertThat(content).hasSize(3);
        assertThat(content.get(0).asThinking().thinking()).isEqualTo(REASONING);
        assertThat(content.get(1).asToolUse().id()).isEqualTo("call_a");
        assertThat((JsonNode) Json.MAPPER.valueToTree(content.get(1).asToolUse()._input().convert(Map.class)))
                .isEqualTo(Json.parse(READ_A));
        assertThat(content.get(2).asToolUse().id()).isEqualTo("call_b");
        assertThat((JsonNode) Json.MAPPER.valueToTree(content.get(2).asToolUse()._input().convert(Map.class)))
                .isEqualTo(Json.parse(READ_B));
        assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    }

    /** Gemini reads the exact budget, and its thought parts come back as thinking, streamed and not. */
    @Test
    void geminiGetsTheExactBudgetAndItsThoughtsComeBackAsThinking() {
        Message m = sdk.messages().create(params("gemini"));
        m.validate();
        JsonNode config = gemini.last().json().path("generationConfig").path("thinkingConfig");
        assertThat(config.path("thinkingBudget").asInt()).isEqualTo(31999);
        assertThat(config.path("includeThoughts").asBoolean()).isTrue();
        assertThat(m.content().get(0).asThinking().thinking()).isEqualTo(FakeGemini.THOUGHT);
        assertThat(m.content().get(1).asText().text()).isNotEmpty();

        Message s = streamed(sdk, params("gemini"));
        assertThat(s.content().get(0).asThinking().thinking()).isEqualTo(FakeGemini.THOUGHT);
        assertThat(s.content().get(1).asText().text()).isEqualTo(m.content().get(1).asText().text());
    }

    /**
     * An OpenAI-compatible reasoning server (DeepSeek's API, vLLM with a reasoning parser): {@code reasoning_content}
     * beside the answer, streamed in pieces before it. With {@link #tools}, two parallel tool calls whose argument
     * pieces interleave (three characters a chunk).
     */
    static final class ReasoningOpenAi extends FakeUpstream {
        volatile boolean tools;

        @Override
        protected void handle(HttpServerRequest req, Recorded recorded, Scenario scenario) {
            HttpServerResponse resp = req.response();
            if (!("Bearer " + KEY).equals(recorded.headers().get("authorization")) || !req.path().equals("/v1/chat/completions")) {
                resp.setStatusCode(401).putHeader("content-type", "application/json").end("{\"error\":{\"message\":\"no\"}}");
                return;
            }
            ObjectNode body = (ObjectNode) recorded.json();
            if (body.path("model").asText().startsWith("gpt-4o") && body.has("reasoning_effort")) { // as OpenAI answers
                resp.setStatusCode(400).putHeader("content-type", "application/json").end("""
                        {"error":{"message":"Unsupported parameter: 'reasoning_effort' is not supported with this model.",\
                        "type":"invalid_request_error","param":"reasoning_effort","code":"unsupported_parameter"}}""");
                return;
            }
            if (!body.path("stream").asBoolean(false)) {
                resp.putHeader("content-type", "application/json").end(completion(body).toString());
                return;
            }
            resp.setChunked(true).putHeader("content-type", "text/event-stream");
            for (ObjectNode c : chunks(body)) resp.write("data: " + c + "\n\n");
            resp.end("data: [DONE]\n\n");
        }

        private ObjectNode completion(ObjectNode body) {
            ObjectNode out = Json.object().put("id", "chatcmpl-r1").put("object", "chat.completion").put("created", 1)
                    .put("model", body.path("model").asText());
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", "Hello there!").put("reasoning_content", REASONING);
            out.putObject("usage").put("prompt_tokens", 12).put("completion_tokens", 20).put("total_tokens", 32);
            return out;
        }

        private List<ObjectNode> chunks(ObjectNode body) {
            List<ObjectNode> out = new ArrayList<>();
            out.add(chunk(Json.object().put("role", "assistant").put("content", "").put("reasoning_content", ""), null));
            for (String piece : pieces(REASONING)) out.add(chunk(Json.object().putNull("content").put("reasoning_content", piece), null));
            if (tools) {
                ObjectNode first = Json.object();
                ArrayNode calls = first.putArray("tool_calls");
                calls.addObject().put("index", 0).put("id", "call_a").put("type", "function")
                        .putObject("function").put("name", "Read").put("arguments", "");
                calls.addObject().put("index", 1).put("id", "call_b").put("type", "function")
                        .putObject("function").put("name", "Read").put("arguments", "");
                out.add(chunk(first, null));
                List<String> a = pieces(READ_A);
                List<String> b = pieces(READ_B);
                for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                    if (i < a.size()) out.add(argumentPiece(0, a.get(i)));
                    if (i < b.size()) out.add(argumentPiece(1, b.get(i)));
                }
                out.add(chunk(Json.object(), "tool_calls"));
            } else {
                out.add(chunk(Json.object().put("content", "Hello"), null));
                out.add(chunk(Json.object().put("content", " there!"), null));
                out.add(chunk(Json.object(), "stop"));
            }
            ObjectNode usage = Json.object().put("id", "chatcmpl-r1").put("object", "chat.completion.chunk").put("created", 1)
                    .put("model", body.path("model").asText());
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", 12).put("completion_tokens", 20).put("total_tokens", 32);
            out.add(usage);
            return out;
        }

        private static ObjectNode argumentPiece(int index, String piece) {
            ObjectNode delta = Json.object();
            delta.putArray("tool_calls").addObject().put("index", index).putObject("function").put("arguments", piece);
            return chunk(delta, null);
        }

        private static ObjectNode chunk(ObjectNode delta, String finish) {
            ObjectNode c = Json.object().put("id", "chatcmpl-r1").put("object", "chat.completion.chunk").put("created", 1)
                    .put("model", "deepseek-reasoner");
            ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            if (finish == null) choice.putNull("finish_reason");
            else choice.put("finish_reason", finish);
            return c;
        }

        private static List<String> pieces(String s) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < s.length(); i += 3) out.add(s.substring(i, Math.min(i + 3, s.length())));
            return out;
        }
    }
}
