package dev.aigateway.server.responses;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.Scenario;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code POST /v1/responses} through a real gateway, with OpenAI's own Java SDK as the client: passed through to an
 * {@code openai/} deployment (its body and bytes compared with what the fake received and sent), translated for an
 * {@code anthropic/} deployment and for an OpenAI-compatible one that speaks only chat (the answers and streams read
 * by the SDK and its stream accumulator).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponsesRouteTest {
    static final String OPENAI_KEY = "sk-openai-responses-key-0123456789";

    /** A Responses request as Codex sends one: instructions, a tool loop, a custom tool, reasoning, routing fields. */
    static final String CODEX_REQUEST = """
            {"model":"gpt","instructions":"You are Codex.","input":[
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Fix the bug"}]},
              {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAAB-opaque"},
              {"type":"function_call","call_id":"call_1","name":"shell","arguments":"{\\"command\\":[\\"ls\\"]}"},
              {"type":"function_call_output","call_id":"call_1","output":"main.py"}],
             "tools":[{"type":"function","name":"shell","description":"Runs a command","strict":false,
                       "parameters":{"type":"object","properties":{"command":{"type":"array","items":{"type":"string"}}}}},
                      {"type":"custom","name":"apply_patch","description":"Edit files","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
                      {"type":"web_search"}],
             "tool_choice":"auto","parallel_tool_calls":false,"reasoning":{"effort":"high","summary":"auto"},
             "store":false,"stream":false,"include":["reasoning.encrypted_content"],"prompt_cache_key":"conv-7",
             "future_field":{"x":[1]},"num_retries":0}""";

    static final String RESPONSE_JSON = """
            {"id":"resp_native_1","object":"response","created_at":1741476542,"status":"completed","background":false,"error":null,
             "incomplete_details":null,"instructions":"You are Codex.","max_output_tokens":null,"model":"gpt-5-codex",
             "output":[{"id":"rs_n","type":"reasoning","summary":[],"encrypted_content":"gAAAAB-next"},
                       {"id":"msg_n","type":"message","status":"completed","role":"assistant",
                        "content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Fixed."}]}],
             "parallel_tool_calls":false,"previous_response_id":null,"reasoning":{"effort":"high","summary":"auto"},"store":false,
             "temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[],"top_p":1.0,
             "truncation":"disabled","usage":{"input_tokens":120,"input_tokens_details":{"cached_tokens":100},"output_tokens":30,
             "output_tokens_details":{"reasoning_tokens":12},"total_tokens":150},"user":null,"metadata":{}}""";

    static String sse(String type, String data) {
        return "event: " + type + "\ndata: " + data.strip() + "\n\n";
    }

    static final String RESPONSE_EVENTS = String.join("",
            sse("response.created", """
                    {"type":"response.created","sequence_number":0,"response":{"id":"resp_native_2","object":"response","created_at":1741476542,"status":"in_progress","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-5-codex","output":[],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}}"""),
            sse("response.output_item.added", """
                    {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_s","type":"message","status":"in_progress","role":"assistant","content":[]}}"""),
            sse("response.content_part.added", """
                    {"type":"response.content_part.added","sequence_number":2,"item_id":"msg_s","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}"""),
            sse("response.output_text.delta", """
                    {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_s","output_index":0,"content_index":0,"delta":"Hi there","logprobs":[]}"""),
            sse("response.output_text.done", """
                    {"type":"response.output_text.done","sequence_number":4,"item_id":"msg_s","output_index":0,"content_index":0,"text":"Hi there","logprobs":[]}"""),
            sse("response.content_part.done", """
                    {"type":"response.content_part.done","sequence_number":5,"item_id":"msg_s","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Hi there"}}"""),
            sse("response.output_item.done", """
                    {"type":"response.output_item.done","sequence_number":6,"output_index":0,"item":{"id":"msg_s","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hi there"}]}}"""),
            sse("response.completed", """
                    {"type":"response.completed","sequence_number":7,"response":{"id":"resp_native_2","object":"response","created_at":1741476542,"status":"completed","error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-5-codex","output":[{"id":"msg_s","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hi there"}]}],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":{"input_tokens":40,"input_tokens_details":{"cached_tokens":0},"output_tokens":9,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":49},"user":null,"metadata":{}}}"""));

    FakeOpenAi openAi;
    FakeOpenAi chatOnly;
    FakeAnthropic anthropic;
    TestGateway gw;
    OpenAIClient sdk;

    @BeforeAll
    void start() {
        openAi = new FakeOpenAi(OPENAI_KEY);
        chatOnly = new FakeOpenAi(OPENAI_KEY);
        anthropic = new FakeAnthropic();
        gw = TestGateway.start("""
                model_list:
                  - model_name: gpt
                    litellm_params: {model: openai/gpt-5-codex, api_base: "%s", api_key: "%s"}
                    model_info: {id: dep-gpt, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "%s", api_key: "%s"}
                    model_info: {id: dep-claude, input_cost_per_token: 0.000003, output_cost_per_token: 0.000015}
                  - model_name: llama
                    litellm_params: {model: hosted_vllm/llama-3, api_base: "%s", api_key: "%s"}
                    model_info: {id: dep-llama, supports_reasoning: true}
                  - model_name: plain
                    litellm_params: {model: hosted_vllm/plain-model, api_base: "%s", api_key: "%s"}
                  - model_name: openai-chat-only
                    litellm_params: {model: openai/local-model, api_base: "%s", api_key: "%s"}
                    model_info: {supported_endpoints: ["/v1/chat/completions"]}
                  - model_name: vllm-responses
                    litellm_params: {model: hosted_vllm/gpt-oss, api_base: "%s", api_key: "%s"}
                    model_info: {id: dep-vllm-r, supported_endpoints: ["/v1/chat/completions", "/v1/responses"]}
                router_settings:
                  num_retries: 0
                  allowed_fails: 100000
                """.formatted(openAi.openAiBase(), OPENAI_KEY, anthropic.host(), FakeAnthropic.KEY,
                chatOnly.openAiBase(), OPENAI_KEY, chatOnly.openAiBase(), OPENAI_KEY, chatOnly.openAiBase(), OPENAI_KEY,
                chatOnly.openAiBase(), OPENAI_KEY));
        sdk = OpenAIOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl() + "/v1").maxRetries(0).build();
    }

    @AfterAll
    void stop() {
        if (sdk != null) sdk.close();
        if (gw != null) gw.close();
        openAi.close();
        chatOnly.close();
        anthropic.close();
    }

    @BeforeEach
    void reset() {
        openAi.reset();
        chatOnly.reset();
        anthropic.reset();
    }

    /** The SDK's request with every top-level field of {@code json} as it is. */
    static ResponseCreateParams params(String json) throws Exception {
        Map<String, Object> body = new ObjectMapper().readValue(json, new TypeReference<Map<String, Object>>() {});
        ResponseCreateParams.Builder b = ResponseCreateParams.builder().model((String) body.remove("model"));
        body.forEach((k, v) -> b.putAdditionalBodyProperty(k, JsonValue.from(v)));
        return b.build();
    }

    HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return TestGateway.send(b.build());
    }

    JsonNode spendRow(String clientRequestId) {
        return gw.spendRowOf(clientRequestId);
    }

    static Response accumulate(StreamResponse<ResponseStreamEvent> stream) {
        try (stream) {
            ResponseAccumulator acc = ResponseAccumulator.create();
            stream.stream().forEach(acc::accumulate);
            return acc.response();
        }
    }

    static String text(Response r) {
        StringBuilder b = new StringBuilder();
        for (ResponseOutputItem item : r.output()) {
            item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> b.append(t.text()))));
        }
        return b.toString();
    }

    static List<String> eventTypes(String sseBody) {
        List<String> types = new ArrayList<>();
        long expected = 0;
        for (String event : sseBody.split("\n\n")) {
            if (event.isBlank()) continue;
            String[] lines = event.split("\n");
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            JsonNode data = Json.parse(lines[1].substring("data: ".length()));
            assertThat(data.path("type").asText()).as("the data's type names the event").isEqualTo(lines[0].substring("event: ".length()));
            assertThat(data.path("sequence_number").asLong()).as("sequence numbers count up from 0").isEqualTo(expected++);
            types.add(data.path("type").asText());
        }
        return types;
    }

    // ---- passed through ------------------------------------------------------------------------------------

    @Test
    void anOpenAiDeploymentGetsTheClientsBodyWithOnlyTheModelRewrittenAndItsAnswerComesBackUnchanged() throws Exception {
        openAi.replayResponses("application/json", RESPONSE_JSON);

        HttpResponse<String> r = post("/v1/responses", CODEX_REQUEST, Map.of("x-request-id", "t-resp-native"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body())).isEqualTo(Json.parse(RESPONSE_JSON));
        FakeOpenAi.Call call = openAi.lastCall();
        assertThat(call.path()).isEqualTo("/v1/responses");
        assertThat(call.header("authorization")).isEqualTo("Bearer " + OPENAI_KEY);
        ObjectNode expected = (ObjectNode) Json.parse(CODEX_REQUEST);
        expected.put("model", "gpt-5-codex");
        expected.remove("num_retries"); // the gateway's routing field, not OpenAI's
        assertThat(call.json()).isEqualTo(expected);
        assertThat(names(call.json())).as("field order kept").isEqualTo(names(expected));

        JsonNode row = spendRow("t-resp-native");
        assertThat(row.path("call_type").asText()).isEqualTo("aresponses");
        assertThat(row.path("prompt_tokens").asLong()).isEqualTo(120);
        assertThat(row.path("completion_tokens").asLong()).isEqualTo(30);
        assertThat(row.path("spend").asDouble()).isGreaterThan(0);
    }

    static List<String> names(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theSdkReadsAPassedThroughAnswer() throws Exception {
        openAi.replayResponses("application/json", RESPONSE_JSON);
        Response r = sdk.responses().create(params(CODEX_REQUEST));
        assertThat(r.id()).isEqualTo("resp_native_1");
        assertThat(text(r)).isEqualTo("Fixed.");
        assertThat(r.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(100);
    }

    @Test
    void aPassedThroughStreamIsTheUpstreamsBytesAndItsUsageIsBooked() throws Exception {
        openAi.replayResponses("text/event-stream", RESPONSE_EVENTS);

        HttpResponse<String> r = post("/responses", "{\"model\":\"gpt\",\"input\":\"Hi\",\"stream\":true}", Map.of("x-request-id", "t-resp-native-sse"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(RESPONSE_EVENTS);
        assertThat(openAi.lastCall().json().path("stream").asBoolean()).isTrue();
        JsonNode row = spendRow("t-resp-native-sse");
        assertThat(row.path("prompt_tokens").asLong()).isEqualTo(40);
        assertThat(row.path("completion_tokens").asLong()).isEqualTo(9);

        openAi.replayResponses("text/event-stream", RESPONSE_EVENTS);
        Response accumulated = accumulate(sdk.responses().createStreaming(params("{\"model\":\"gpt\",\"input\":\"Hi\"}")));
        assertThat(text(accumulated)).isEqualTo("Hi there");
    }

    @Test
    void aPassedThroughStreamThatFailsKeepsOpenAisOwnErrorEventAndOneThatIsCutEndsWithOurs() {
        String failing = RESPONSE_EVENTS.substring(0, RESPONSE_EVENTS.indexOf("event: response.output_text.done"))
                + sse("error", "{\"type\":\"error\",\"sequence_number\":4,\"code\":\"server_error\",\"message\":\"The server had an error\",\"param\":null}");
        openAi.replayResponses("text/event-stream", failing);
        HttpResponse<String> r = post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"Hi\",\"stream\":true}", Map.of());
        assertThat(r.body()).as("OpenAI's own error event, and nothing after it").isEqualTo(failing);

        String cut = RESPONSE_EVENTS.substring(0, RESPONSE_EVENTS.indexOf("event: response.output_text.done"));
        openAi.replayResponses("text/event-stream", cut);
        HttpResponse<String> c = post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"Hi\",\"stream\":true}", Map.of());
        assertThat(c.body()).startsWith(cut);
        String added = c.body().substring(cut.length());
        assertThat(added).startsWith("event: error\ndata: ");
        assertThat(Json.parse(added.substring(added.indexOf('{'))).path("message").asText()).contains("cut");
    }

    @Test
    void aTranslatedStreamThatBreaksEndsWithResponseFailed() {
        chatOnly.scenario(new Scenario.Error(500, "in_stream"));
        HttpResponse<String> r = post("/v1/responses", "{\"model\":\"llama\",\"input\":\"Hi\",\"stream\":true}", Map.of());
        List<String> types = eventTypes(r.body());
        assertThat(types.get(types.size() - 1)).isEqualTo("response.failed");
        assertThat(types).contains("response.output_text.delta").doesNotContain("response.completed");
    }

    @Test
    void aCompatibleServerWhoseModelInfoListsTheResponsesApiIsPassedThrough() throws Exception {
        chatOnly.replayResponses("application/json", RESPONSE_JSON);
        Response r = sdk.responses().create(params("{\"model\":\"vllm-responses\",\"input\":\"Hi\"}"));
        assertThat(r.id()).isEqualTo("resp_native_1");
        assertThat(chatOnly.lastCall().path()).isEqualTo("/v1/responses");
        assertThat(chatOnly.lastCall().json().path("model").asText()).isEqualTo("gpt-oss");
    }

    @Test
    void anOpenAiEntryWhoseModelInfoListsOnlyChatIsTranslated() throws Exception {
        chatOnly.scenario(new Scenario.Text("From chat"));
        Response r = sdk.responses().create(params("{\"model\":\"openai-chat-only\",\"input\":\"Hi\"}"));
        assertThat(text(r)).isEqualTo("From chat");
        assertThat(chatOnly.lastCall().path()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void anUpstreamErrorKeepsOpenAisShapeAndStatus() throws Exception {
        openAi.scenario(new Scenario.Error(429));
        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> sdk.responses().create(params("{\"model\":\"gpt\",\"input\":\"Hi\"}")));
        assertThat(e.statusCode()).isEqualTo(429);

        openAi.scenario(new Scenario.Error(500));
        HttpResponse<String> r = post("/v1/responses", "{\"model\":\"gpt\",\"input\":\"Hi\"}", Map.of());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(Json.parse(r.body()).path("error").path("message").asText()).isNotEmpty();
    }

    // ---- translated ----------------------------------------------------------------------------------------

    @Test
    void anAnthropicDeploymentAnswersAsAResponse() throws Exception {
        anthropic.scenario(new Scenario.Text("Bonjour from Claude"));

        Response r = sdk.responses().create(params("""
                {"model":"claude","instructions":"Be brief.","input":"Say hi","max_output_tokens":321,"temperature":0.2,
                 "metadata":{"run":"7"}}"""));

        assertThat(r.id()).startsWith("resp_");
        assertThat(r.status()).contains(com.openai.models.responses.ResponseStatus.COMPLETED);
        assertThat(text(r)).isEqualTo("Bonjour from Claude");
        assertThat(r.usage().orElseThrow().inputTokens()).isPositive();
        assertThat(r.maxOutputTokens()).contains(321L);
        assertThat(r.instructions()).isPresent();
        JsonNode sent = anthropic.last().json();
        assertThat(sent.path("max_tokens").asLong()).isEqualTo(321);
        assertThat(sent.path("system").toString()).contains("Be brief.");
        assertThat(sent.path("messages").get(0).toString()).contains("Say hi");
    }

    @Test
    void aTranslatedStreamIsOpenAisEventSequenceAndTheAccumulatorAcceptsIt() throws Exception {
        anthropic.scenario(new Scenario.Text("Streaming from Claude now"));

        HttpResponse<String> raw = post("/v1/responses", "{\"model\":\"claude\",\"input\":\"Hi\",\"stream\":true}", Map.of("x-request-id", "t-resp-bridged-sse"));
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> types = eventTypes(raw.body());
        assertThat(types.subList(0, 4)).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added");
        assertThat(types).contains("response.output_text.delta");
        assertThat(types.subList(types.size() - 4, types.size())).containsExactly("response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        JsonNode row = spendRow("t-resp-bridged-sse");
        assertThat(row.path("call_type").asText()).isEqualTo("aresponses");
        assertThat(row.path("completion_tokens").asLong()).isPositive();

        anthropic.scenario(new Scenario.Text("Streaming from Claude now"));
        Response r = accumulate(sdk.responses().createStreaming(params("{\"model\":\"claude\",\"input\":\"Hi\"}")));
        assertThat(text(r)).isEqualTo("Streaming from Claude now");
        assertThat(r.usage().orElseThrow().outputTokens()).isPositive();
    }

    @Test
    void aFunctionToolRoundTripsThroughAnAnthropicDeployment() throws Exception {
        anthropic.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\"}"));
        String tools = """
                "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]""";

        Response first = sdk.responses().create(params("{\"model\":\"claude\",\"input\":\"Weather?\"," + tools + "}"));
        var call = first.output().stream().flatMap(i -> i.functionCall().stream()).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(Json.parse(call.arguments())).isEqualTo(Json.parse("{\"city\":\"Paris\"}"));
        assertThat(call.id()).hasValueSatisfying(id -> assertThat(id).startsWith("fc_"));

        anthropic.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\"}"));
        Response streamed = accumulate(sdk.responses().createStreaming(params("{\"model\":\"claude\",\"input\":\"Weather?\"," + tools + "}")));
        var streamedCall = streamed.output().stream().flatMap(i -> i.functionCall().stream()).findFirst().orElseThrow();
        assertThat(Json.parse(streamedCall.arguments())).isEqualTo(Json.parse("{\"city\":\"Paris\"}"));
        assertThat(streamedCall.callId()).isNotEmpty();

        anthropic.scenario(new Scenario.Text("It is 18C."));
        Response second = sdk.responses().create(params("""
                {"model":"claude","input":[{"role":"user","content":"Weather?"},
                  {"type":"function_call","call_id":"%s","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
                  {"type":"function_call_output","call_id":"%s","output":"18C"}],%s}""".formatted(call.callId(), call.callId(), tools)));
        assertThat(text(second)).isEqualTo("It is 18C.");
        String sent = anthropic.last().json().path("messages").toString();
        assertThat(sent).contains("\"tool_use\"").contains("\"tool_result\"").contains(call.callId()).contains("18C");
    }

    @Test
    void aCustomToolIsAOneStringFunctionForTheModelAndACustomToolCallForTheClient() throws Exception {
        String request = """
                {"model":"llama","input":"Patch it","tools":[{"type":"custom","name":"apply_patch","description":"Edit files",
                  "format":{"type":"grammar","syntax":"lark","definition":"start: BEGIN"}}]%s}""";
        chatOnly.scenario(new Scenario.ToolCall("apply_patch", "{\"input\":\"*** Begin Patch\\n*** End Patch\"}"));

        Response r = sdk.responses().create(params(request.formatted("")));
        var call = r.output().stream().flatMap(i -> i.customToolCall().stream()).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("apply_patch");
        assertThat(call.input()).isEqualTo("*** Begin Patch\n*** End Patch");
        JsonNode fn = chatOnly.lastCall().json().path("tools").get(0).path("function");
        assertThat(fn.path("parameters").path("required").get(0).asText()).isEqualTo("input");
        assertThat(fn.path("description").asText()).contains("start: BEGIN");

        chatOnly.scenario(new Scenario.ToolCall("apply_patch", "{\"input\":\"*** Begin Patch\\n*** End Patch\"}"));
        Response streamed = accumulate(sdk.responses().createStreaming(params(request.formatted(""))));
        var streamedCall = streamed.output().stream().flatMap(i -> i.customToolCall().stream()).findFirst().orElseThrow();
        assertThat(streamedCall.input()).isEqualTo("*** Begin Patch\n*** End Patch");

        // the call's output goes back as a tool message for the same call id
        chatOnly.scenario(new Scenario.Text("Patched."));
        sdk.responses().create(params("""
                {"model":"llama","input":[{"role":"user","content":"Patch it"},
                  {"type":"custom_tool_call","call_id":"call_9","name":"apply_patch","input":"*** Begin Patch"},
                  {"type":"custom_tool_call_output","call_id":"call_9","output":"Done!"}],
                 "tools":[{"type":"custom","name":"apply_patch"}]}"""));
        JsonNode msgs = chatOnly.lastCall().json().path("messages");
        assertThat(msgs.get(1).path("tool_calls").get(0).path("function").path("arguments").asText())
                .isEqualTo("{\"input\":\"*** Begin Patch\"}");
        assertThat(msgs.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(msgs.get(2).path("tool_call_id").asText()).isEqualTo("call_9");
    }

    @Test
    void reasoningEffortTextFormatAndTheOtherSettingsReachAChatDeployment() throws Exception {
        chatOnly.scenario(new Scenario.Text("{\"ok\":true}"));
        sdk.responses().create(params("""
                {"model":"llama","input":"JSON please","reasoning":{"effort":"high"},"top_p":0.5,"prompt_cache_key":"k1",
                 "text":{"format":{"type":"json_schema","name":"answer","strict":true,"schema":{"type":"object","properties":{"ok":{"type":"boolean"}}}}},
                 "store":false,"metadata":{"a":"b"}}"""));
        JsonNode sent = chatOnly.lastCall().json();
        assertThat(sent.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.5);
        assertThat(sent.path("prompt_cache_key").asText()).isEqualTo("k1");
        assertThat(sent.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(sent.path("response_format").path("json_schema").path("name").asText()).isEqualTo("answer");
        assertThat(sent.has("store")).as("chat's store means something else").isFalse();
        assertThat(sent.toString()).doesNotContain("__untranslatable");
    }

    @Test
    void aModelThatDoesNotReasonIsNotSentAnEffort() throws Exception {
        anthropic.scenario(new Scenario.Text("ok"));
        sdk.responses().create(params("{\"model\":\"claude\",\"input\":\"Hi\",\"reasoning\":{\"effort\":\"low\"}}"));
        // claude-sonnet-4-5 reasons (price map): its thinking budget comes from the effort
        assertThat(anthropic.last().json().path("thinking").path("budget_tokens").asLong()).isEqualTo(1024);

        chatOnly.scenario(new Scenario.Text("ok"));
        sdk.responses().create(params("{\"model\":\"plain\",\"input\":\"Hi\",\"reasoning\":{\"effort\":\"xhigh\"}}"));
        assertThat(chatOnly.lastCall().json().has("reasoning_effort")).as("a model the price map does not know to reason").isFalse();
    }

    // ---- budgets ---------------------------------------------------------------------------------------------

    @Test
    void maxOutputTokensIsWhatABudgetReservesAndACapReachesANativeUpstreamAsMaxOutputTokens() {
        HttpResponse<String> generated = gw.post("/key/generate", "{\"max_budget\":0.01}", TestGateway.MASTER_KEY);
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String key = Json.parse(generated.body()).path("key").asText();

        // $2 worst case (1M output tokens at $0.000002) on a $0.01 budget: refused before any upstream call
        HttpResponse<String> refused = postAs(key, "{\"model\":\"gpt\",\"input\":\"Hi\",\"max_output_tokens\":1000000}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(Json.parse(refused.body()).path("error").path("type").asText()).isEqualTo("budget_exceeded");
        assertThat(openAi.calls()).isEmpty();

        // no limit of its own: the gateway caps the output to what the budget affords, in the Responses API's field
        openAi.replayResponses("application/json", RESPONSE_JSON);
        HttpResponse<String> capped = postAs(key, "{\"model\":\"gpt\",\"input\":\"Hi\"}");
        assertThat(capped.statusCode()).as(capped.body()).isEqualTo(200);
        long cap = openAi.lastCall().json().path("max_output_tokens").asLong();
        assertThat(cap).isBetween(4_000L, 5_000L); // ($0.01 - the prompt) / $0.000002
        assertThat(openAi.lastCall().json().has("max_completion_tokens")).isFalse();
    }

    HttpResponse<String> postAs(String key, String body) {
        return TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/responses")).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void anAzureDeploymentIsPassedThroughAtItsResponsesPath() throws Exception {
        FakeOpenAi azure = new FakeOpenAi("azure-key-0123456789");
        try (TestGateway az = TestGateway.start("""
                model_list:
                  - model_name: az
                    litellm_params: {model: azure/my-gpt5, api_base: "%s", api_key: "azure-key-0123456789"}
                  - model_name: az-dated
                    litellm_params: {model: azure/my-gpt5, api_base: "%s", api_key: "azure-key-0123456789", api_version: "2025-04-01-preview"}
                """.formatted(azure.host(), azure.host()))) {
            azure.replayResponses("application/json", RESPONSE_JSON);
            HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(az.baseUrl() + "/v1/responses"))
                    .header("content-type", "application/json").header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"az\",\"input\":\"Hi\"}")).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(azure.lastCall().path()).isEqualTo("/openai/v1/responses");
            assertThat(azure.lastCall().header("api-key")).isEqualTo("azure-key-0123456789");
            assertThat(azure.lastCall().json().path("model").asText()).as("the deployment's name").isEqualTo("my-gpt5");

            azure.replayResponses("application/json", RESPONSE_JSON);
            TestGateway.send(HttpRequest.newBuilder(URI.create(az.baseUrl() + "/v1/responses"))
                    .header("content-type", "application/json").header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"az-dated\",\"input\":\"Hi\"}")).build());
            assertThat(azure.lastCall().path()).isEqualTo("/openai/responses");
            assertThat(azure.lastCall().apiVersion()).isEqualTo("2025-04-01-preview");
        } finally {
            azure.close();
        }
    }

    // ---- refused -------------------------------------------------------------------------------------------

    @Test
    void badRequestsAre400sNamingTheField() throws Exception {
        assertBad(post("/v1/responses", "{\"model\":\"claude\"}", Map.of()), "input");
        assertBad(post("/v1/responses", "{\"model\":\"claude\",\"input\":5}", Map.of()), "input");
        assertBad(post("/v1/responses", "{\"model\":\"claude\",\"input\":\"x\",\"max_output_tokens\":0}", Map.of()), "max_output_tokens");
        assertBad(post("/v1/responses", "{\"model\":\"claude\",\"input\":\"x\",\"temperature\":3}", Map.of()), "temperature");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 17; i++) many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        assertBad(post("/v1/responses", "{\"model\":\"claude\",\"input\":\"x\",\"metadata\":" + many + "}}", Map.of()), "metadata");
        assertThat(anthropic.requests()).isEmpty();
    }

    @Test
    void whatOnlyTheResponsesApiCanDoIsRefusedOnTranslatedAttemptsAndPassedThroughOnNativeOnes() throws Exception {
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> sdk.responses().create(params("{\"model\":\"claude\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}],"
                        + "\"tool_choice\":{\"type\":\"web_search\"}}")));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.body().toString()).contains("param=tool_choice");
        assertThat(e.getMessage()).contains("web_search");

        HttpResponse<String> previous = post("/v1/responses", "{\"model\":\"claude\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}", Map.of());
        assertThat(previous.statusCode()).as("an id the gateway did not store: only a native upstream may know it").isEqualTo(404);
        assertThat(Json.parse(previous.body()).path("error").path("param").asText()).isEqualTo("previous_response_id");
        assertThat(anthropic.requests()).isEmpty();

        openAi.replayResponses("application/json", RESPONSE_JSON);
        HttpResponse<String> nat = post("/v1/responses",
                "{\"model\":\"gpt\",\"input\":\"x\",\"previous_response_id\":\"resp_1\",\"tools\":[{\"type\":\"web_search\"}]}", Map.of());
        assertThat(nat.statusCode()).isEqualTo(200);
        assertThat(openAi.lastCall().json().path("previous_response_id").asText()).isEqualTo("resp_1");
    }

    static void assertBad(HttpResponse<String> r, String param) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode err = Json.parse(r.body()).path("error");
        assertThat(err.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.path("param").asText()).isEqualTo(param);
    }

    // ---- chat completions with Responses-style input ---------------------------------------------------------

    @Test
    void chatCompletionsTakeResponsesStyleInputInsteadOfMessages() {
        chatOnly.scenario(new Scenario.Text("Hi Cursor"));
        HttpResponse<String> r = post("/v1/chat/completions", """
                {"model":"llama","instructions":"Be kind.","input":[{"role":"user","content":[{"type":"input_text","text":"Hello"}]}]}""", Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode msgs = chatOnly.lastCall().json().path("messages");
        assertThat(msgs.get(0).path("role").asText()).isEqualTo("system");
        assertThat(msgs.get(1).path("content").get(0).path("text").asText()).isEqualTo("Hello");
        assertThat(chatOnly.lastCall().json().has("input")).isFalse();
    }
}
