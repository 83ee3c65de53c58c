package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.azure.AzureProvider;
import dev.aigateway.provider.gemini.GeminiProvider;
import dev.aigateway.provider.ollama.OllamaProvider;
import dev.aigateway.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MessagesApiTest {

    private static ObjectNode obj(String json) {
        return (ObjectNode) Json.parse(json);
    }

    /** Jackson's equality tells IntNode from LongNode: compare what the JSON says. */
    private static JsonNode norm(JsonNode n) {
        return Json.parse(n.toString());
    }

    // ---- Anthropic request -> OpenAI request

    @Test
    void simpleRequestTranslates() {
        ObjectNode out = MessagesApi.toOpenAiRequest(obj("""
                {"model":"claude-x","max_tokens":256,"system":"Be brief.","stop_sequences":["END"],
                 "temperature":0.5,"top_p":0.9,"top_k":40,"metadata":{"user_id":"u-1"},
                 "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},
                             {"role":"user","content":[{"type":"text","text":"How are you?"}]}]}"""));
        assertThat(norm(out)).isEqualTo(Json.parse("""
                {"model":"claude-x",
                 "messages":[{"role":"system","content":"Be brief."},
                             {"role":"user","content":"Hi"},
                             {"role":"assistant","content":"Hello"},
                             {"role":"user","content":"How are you?"}],
                 "max_tokens":256,"stop":["END"],"temperature":0.5,"top_p":0.9,"user":"u-1"}"""));
    }

    /** Claude Code puts a system message inside messages for models it does not know: it stays a system message. */
    @Test
    void aSystemMessageInsideMessagesStaysASystemMessageWhereItStands() {
        ObjectNode out = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"},
                 {"role":"system","content":[{"type":"text","text":"Answer in one word."}]}]}"""));
        assertThat(out.path("messages").get(1).path("role").asText()).isEqualTo("system");
        assertThat(out.path("messages").get(1).path("content").asText()).isEqualTo("Answer in one word.");
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> MessagesApi.toOpenAiRequest(obj(
                "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}")));
        assertThat(e.getMessage()).isEqualTo("messages.0.role: Input should be 'user' or 'assistant'");
    }

    @Test
    void streamAsksForUsage() {
        ObjectNode out = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        assertThat(out.path("stream").asBoolean()).isTrue();
        assertThat(out.path("stream_options").path("include_usage").asBoolean()).isTrue();
        ObjectNode nonStream = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":5,"stream":false,"messages":[{"role":"user","content":"Hi"}]}"""));
        assertThat(nonStream.has("stream_options")).isFalse();
    }

    @Test
    void systemBlocksKeepCacheControl() {
        ObjectNode out = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":5,"system":[{"type":"text","text":"A"},
                   {"type":"text","text":"B","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":"Hi"}]}"""));
        assertThat(out.path("messages").get(0)).isEqualTo(Json.parse("""
                {"role":"system","content":[{"type":"text","text":"A"},{"type":"text","text":"B","cache_control":{"type":"ephemeral"}}]}"""));
    }

    @Test
    void imagesAndDocumentsBecomeOpenAiParts() {
        ObjectNode out = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
                   {"type":"text","text":"Look"},
                   {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
                   {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
                   {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]}"""));
        assertThat(out.path("messages").get(0).path("content")).isEqualTo(Json.parse("""
                [{"type":"text","text":"Look"},
                 {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
                 {"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
                 {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}}]"""));
    }

    @Test
    void toolUseAndToolResultsBecomeToolCallsAndToolMessages() {
        ObjectNode out = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":5,"messages":[
                  {"role":"user","content":"Weather?"},
                  {"role":"assistant","content":[
                     {"type":"thinking","thinking":"hmm","signature":"s"},
                     {"type":"text","text":"Checking."},
                     {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                     {"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}]},
                  {"role":"user","content":[
                     {"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
                     {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"noon"},
                        {"type":"image","source":{"type":"url","url":"https://example.com/clock.png"}}]},
                     {"type":"text","text":"Thanks, and?"}]}]}"""));
        assertThat(out.path("messages")).isEqualTo(Json.parse("""
                [{"role":"user","content":"Weather?"},
                 {"role":"assistant","content":"Checking.","tool_calls":[
                    {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"toolu_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
                 {"role":"tool","tool_call_id":"toolu_2","content":"noon"},
                 {"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/clock.png"}},
                                           {"type":"text","text":"Thanks, and?"}]}]"""));
    }

    @Test
    void toolOnlyAssistantTurnHasNullContentAndToolOnlyUserTurnHasNoUserMessage() {
        ObjectNode out = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":5,"messages":[
                  {"role":"user","content":"go"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"done"}]}]}"""));
        JsonNode msgs = out.path("messages");
        assertThat(msgs).hasSize(3);
        assertThat(msgs.get(1).get("content").isNull()).isTrue();
        assertThat(msgs.get(2)).isEqualTo(Json.parse("{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"done\"}"));
    }

    @Test
    void toolsAndToolChoiceTranslate() {
        String base = """
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],
                 "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}},
                           "cache_control":{"type":"ephemeral"}},
                          {"type":"web_search_20250305","name":"web_search","max_uses":2}],
                 "tool_choice":%s}""";
        ObjectNode out = MessagesApi.toOpenAiRequest(obj(base.formatted("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}")));
        assertThat(out.path("tools")).isEqualTo(Json.parse("""
                [{"type":"function","function":{"name":"get_weather","description":"Weather",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}},"cache_control":{"type":"ephemeral"}},
                 {"type":"web_search_20250305","name":"web_search","max_uses":2}]"""));
        assertThat(out.path("tool_choice").asText()).isEqualTo("auto");
        assertThat(out.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(MessagesApi.toOpenAiRequest(obj(base.formatted("{\"type\":\"any\"}"))).path("tool_choice").asText()).isEqualTo("required");
        assertThat(MessagesApi.toOpenAiRequest(obj(base.formatted("{\"type\":\"none\"}"))).path("tool_choice").asText()).isEqualTo("none");
        assertThat(MessagesApi.toOpenAiRequest(obj(base.formatted("{\"type\":\"tool\",\"name\":\"get_weather\"}"))).path("tool_choice"))
                .isEqualTo(Json.parse("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));
        assertThat(MessagesApi.toOpenAiRequest(obj(base.formatted("{\"type\":\"auto\"}"))).has("parallel_tool_calls")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"max_tokens\":5}                                                  | messages",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":\"hi\"}                              | messages",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}                                  | messages",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}              | max_tokens",
            "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}   | max_tokens",
            "{\"model\":\"m\",\"max_tokens\":\"9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | max_tokens",
            "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]} | messages"})
    void invalidRequestsAreBadRequestsNamingTheField(String json, String field) {
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> MessagesApi.toOpenAiRequest(obj(json)));
        assertThat(e).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("invalid_request_error");
        assertThat(e.param()).isEqualTo(field);
        assertThat(e.getMessage()).contains(field);
    }

    // ---- OpenAI completion -> Anthropic message

    @Test
    void textCompletionBecomesAMessage() {
        ObjectNode out = MessagesApi.toAnthropicResponse(obj("""
                {"id":"chatcmpl-abc123","object":"chat.completion","created":1,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":30,"completion_tokens":4,"total_tokens":34,"prompt_tokens_details":{"cached_tokens":20}}}"""),
                "claude-sonnet");
        assertThat(norm(out)).isEqualTo(Json.parse("""
                {"id":"msg_abc123","type":"message","role":"assistant","model":"claude-sonnet",
                 "content":[{"type":"text","text":"Hi there"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":10,"output_tokens":4,"cache_read_input_tokens":20,"cache_creation_input_tokens":0}}"""));
    }

    @Test
    void toolCallsBecomeToolUseBlocks() {
        ObjectNode out = MessagesApi.toAnthropicResponse(obj("""
                {"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                   {"id":"call_10","type":"function","function":{"name":"broken","arguments":"{nope"}}]},
                 "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":6}}"""), "m");
        assertThat(out.path("content")).isEqualTo(Json.parse("""
                [{"type":"tool_use","id":"call_9","name":"get_weather","input":{"city":"Paris"}},
                 {"type":"tool_use","id":"call_10","name":"broken","input":{}}]"""));
        assertThat(out.path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "stop, end_turn", "length, max_tokens", "tool_calls, tool_use", "content_filter, refusal", "null, end_turn"})
    void finishReasonsMapToStopReasons(String finish, String stop) {
        ObjectNode c = obj("{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"a\"}}]}");
        ((ObjectNode) c.path("choices").get(0)).put("finish_reason", finish);
        assertThat(MessagesApi.toAnthropicResponse(c, "m").path("stop_reason").asText()).isEqualTo(stop);
    }

    @Test
    void aKnownStopSequenceIsReportedAsSuch() {
        ObjectNode out = MessagesApi.toAnthropicResponse(obj("""
                {"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop","stop_reason":"END"}]}"""), "m");
        assertThat(out.path("stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(out.path("stop_sequence").asText()).isEqualTo("END");
    }

    @Test
    void emptyAnswerStillHasATextBlock() {
        ObjectNode out = MessagesApi.toAnthropicResponse(obj("""
                {"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"length"}]}"""), "m");
        assertThat(out.path("content")).isEqualTo(Json.parse("[{\"type\":\"text\",\"text\":\"\"}]"));
        assertThat(out.path("usage").path("input_tokens").asInt()).isZero();
    }

    // ---- errors

    @ParameterizedTest
    @CsvSource({
            "400, invalid_request_error", "401, authentication_error", "403, permission_error", "404, not_found_error",
            "408, timeout_error", "413, request_too_large", "429, rate_limit_error", "500, api_error", "502, api_error",
            "503, overloaded_error"})
    void errorBodyUsesAnthropicTypesAndKeepsOpenAiFields(int status, String type) {
        GatewayException e = new GatewayException(status, "whatever", "some_code", "model", "It broke.");
        ObjectNode body = MessagesApi.errorBody(e);
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo(type);
        assertThat(body.path("error").path("message").asText()).isEqualTo("It broke.");
        assertThat(body.path("error").path("param").asText()).isEqualTo("model");
        assertThat(body.path("error").path("code").asText()).isEqualTo("some_code");
    }

    // ---- round trip: Anthropic -> OpenAI -> (the Anthropic provider's translator) -> Anthropic

    @Test
    void roundTripPreservesSystemMessagesToolsAndParameters() {
        ObjectNode original = obj("""
                {"model":"claude-client-name","max_tokens":700,
                 "system":[{"type":"text","text":"You are terse."},{"type":"text","text":"Cite sources.","cache_control":{"type":"ephemeral"}}],
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"Weather in Paris?"},
                       {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
                   {"role":"assistant","content":[{"type":"text","text":"Checking."},
                       {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris","days":[1,2]}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
                       {"type":"text","text":"And tomorrow?","cache_control":{"type":"ephemeral"}}]},
                   {"role":"assistant","content":"It will be"}],
                 "tools":[{"name":"get_weather","description":"Weather by city",
                           "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                 "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
                 "stop_sequences":["END","STOP"],"temperature":0.2,"top_p":0.8,"metadata":{"user_id":"u-7"}}""");
        ObjectNode openAi = MessagesApi.toOpenAiRequest(original);
        Deployment d = new Deployment("d1", "claude-client-name", "anthropic", "claude-sonnet-4-5", "k", null, null,
                Duration.ofSeconds(5), null, 1, 0, Json.object(), Json.object(), true);
        ObjectNode back = AnthropicRequestTranslator.translate(openAi, d, false);

        ObjectNode expected = original.deepCopy();
        expected.put("model", "claude-sonnet-4-5");
        assertThat(norm(back)).isEqualTo(norm(expected));
    }

    @Test
    void roundTripOfAStreamedSimpleRequest() {
        ObjectNode original = obj("""
                {"model":"m","max_tokens":10,"stream":true,"system":"Hi","messages":[{"role":"user","content":"Hello"}]}""");
        Deployment d = new Deployment("d1", "m", "anthropic", "claude", "k", null, null,
                Duration.ofSeconds(5), null, 1, 0, Json.object(), Json.object(), true);
        ObjectNode back = AnthropicRequestTranslator.translate(MessagesApi.toOpenAiRequest(original), d, true);
        assertThat(norm(back)).isEqualTo(Json.parse("""
                {"model":"claude","max_tokens":10,"system":"Hi","messages":[{"role":"user","content":"Hello"}],"stream":true}"""));
    }

    // ---- thinking

    /** An attempt on a reasoning model (o3-mini: supports_reasoning in the price map). */
    private static ProviderRequest attempt(ObjectNode body) {
        return attempt(body, "o3-mini", Json.object());
    }

    private static ProviderRequest attempt(ObjectNode body, String model, ObjectNode modelInfo) {
        Deployment d = new Deployment("d1", "m", "openai", model, "k", null, null,
                Duration.ofSeconds(5), null, 1, 0, Json.object(), modelInfo, true);
        return new ProviderRequest(d, body, null);
    }

    /** Claude Code's thinking: the budget stays for providers that read it; the others get LiteLLM's effort. */
    @Test
    void thinkingBecomesAReasoningEffortForProvidersThatTakeOne() {
        ObjectNode openAi = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":31999},
                 "messages":[{"role":"user","content":"Hi"}]}"""));
        assertThat(openAi.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(norm(openAi.path("thinking"))).isEqualTo(Json.parse("{\"type\":\"enabled\",\"budget_tokens\":31999}"));

        for (Provider p : new Provider[] {new OpenAiProvider(null), new AzureProvider(null), new OllamaProvider(null)}) {
            ObjectNode sent = MessagesApi.forProvider(p, attempt(openAi)).body();
            assertThat(sent.has("thinking")).as(p.name()).isFalse();
            assertThat(sent.path("reasoning_effort").asText()).as(p.name()).isEqualTo("high");
        }
        for (Provider p : new Provider[] {new GeminiProvider(null), new AnthropicProvider(null)}) {
            ObjectNode sent = MessagesApi.forProvider(p, attempt(openAi)).body();
            assertThat(sent.path("thinking").path("budget_tokens").asInt()).as(p.name()).isEqualTo(31999);
            assertThat(sent.has("reasoning_effort")).as(p.name()).isFalse();
        }
        assertThat(openAi.has("thinking")).isTrue(); // the routed request is not changed: a failover may need it
        assertThat(openAi.has("reasoning_effort")).isTrue();
    }

    /**
     * A model that does not reason (gpt-4o, or one the price map does not know) refuses reasoning_effort: the thinking
     * request is dropped for it, whatever the provider, unless its model_info says it reasons; model_info can also
     * turn a known reasoning model off.
     */
    @Test
    void thinkingIsDroppedForModelsThatDoNotReason() {
        ObjectNode openAi = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":31999},
                 "messages":[{"role":"user","content":"Hi"}]}"""));
        for (Provider p : new Provider[] {new OpenAiProvider(null), new OllamaProvider(null), new GeminiProvider(null)}) {
            for (String model : new String[] {"gpt-4o", "my-local-model"}) {
                ObjectNode sent = MessagesApi.forProvider(p, attempt(openAi, model, Json.object())).body();
                assertThat(sent.has("thinking")).as(p.name() + " " + model).isFalse();
                assertThat(sent.has("reasoning_effort")).as(p.name() + " " + model).isFalse();
                assertThat(sent.path("messages")).isSameAs(openAi.path("messages"));
            }
        }
        ObjectNode said = Json.object().put("supports_reasoning", true);
        assertThat(MessagesApi.forProvider(new OpenAiProvider(null), attempt(openAi, "my-local-model", said)).body()
                .path("reasoning_effort").asText()).isEqualTo("high");
        ObjectNode off = Json.object().put("supports_reasoning", false);
        assertThat(MessagesApi.forProvider(new OpenAiProvider(null), attempt(openAi, "o3-mini", off)).body()
                .has("reasoning_effort")).isFalse();
    }

    @Test
    void adaptiveThinkingTakesItsEffortAndDisabledThinkingAsksForNone() {
        ObjectNode adaptive = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":100,"thinking":{"type":"adaptive"},"output_config":{"effort":"low"},
                 "messages":[{"role":"user","content":"Hi"}]}"""));
        assertThat(adaptive.path("reasoning_effort").asText()).isEqualTo("low");

        ObjectNode disabled = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":100,"thinking":{"type":"disabled"},"messages":[{"role":"user","content":"Hi"}]}"""));
        assertThat(disabled.has("reasoning_effort")).isFalse();
        ObjectNode toOpenAi = MessagesApi.forProvider(new OpenAiProvider(null), attempt(disabled)).body();
        assertThat(toOpenAi.has("thinking")).isFalse();
        assertThat(toOpenAi.has("reasoning_effort")).isFalse();

        ObjectNode none = MessagesApi.toOpenAiRequest(obj("""
                {"model":"m","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}"""));
        ProviderRequest r = attempt(none);
        assertThat(MessagesApi.forProvider(new OpenAiProvider(null), r)).isSameAs(r);
    }

    @Test
    void reasoningComesBackAsAThinkingBlockBeforeTheText() {
        for (String field : new String[] {"reasoning_content", "reasoning"}) {
            ObjectNode m = MessagesApi.toAnthropicResponse(obj("""
                    {"id":"c1","model":"deepseek-reasoner","choices":[{"index":0,"finish_reason":"tool_calls","message":{
                      "role":"assistant","content":"Let me check.","%s":"The user wants the weather.",
                      "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]}}],
                     "usage":{"prompt_tokens":10,"completion_tokens":20}}""".formatted(field)), "claude");
            assertThat(norm(m.path("content"))).as(field).isEqualTo(Json.parse("""
                    [{"type":"thinking","thinking":"The user wants the weather.","signature":""},
                     {"type":"text","text":"Let me check."},
                     {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}}]"""));
        }
    }

    /** LiteLLM's thinking_blocks (an Anthropic answer on the translated path) keep their signatures. */
    @Test
    void signedThinkingBlocksComeBackAsTheyAre() {
        ObjectNode m = MessagesApi.toAnthropicResponse(obj("""
                {"id":"c1","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"4",
                  "reasoning_content":"2+2","thinking_blocks":[{"type":"thinking","thinking":"2+2","signature":"sig=="},
                                                               {"type":"redacted_thinking","data":"abc"}]}}],
                 "usage":{"prompt_tokens":1,"completion_tokens":2}}"""), "claude");
        assertThat(norm(m.path("content"))).isEqualTo(Json.parse("""
                [{"type":"thinking","thinking":"2+2","signature":"sig=="},{"type":"redacted_thinking","data":"abc"},
                 {"type":"text","text":"4"}]"""));
    }
}
