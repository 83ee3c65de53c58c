package dev.aigateway.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.testing.RecordingSink;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Responses API <-> chat translation, one direction at a time, without a gateway. */
class ResponsesTranslationTest {

    static ObjectNode json(String s) {
        return (ObjectNode) Json.parse(s);
    }

    @Test
    void aConversationOfItemsBecomesChatMessages() {
        ObjectNode chat = ResponsesApi.toChatRequest(json("""
                {"model":"m","instructions":"Sys","input":[
                  {"role":"developer","content":"Dev note"},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"Look"},
                     {"type":"input_image","image_url":"data:image/png;base64,AAA","detail":"low"}]},
                  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Calling.","annotations":[]}]},
                  {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"hmm"}],"encrypted_content":"opaque"},
                  {"type":"function_call","call_id":"c1","name":"a","arguments":"{\\"x\\":1}"},
                  {"type":"custom_tool_call","call_id":"c2","name":"apply_patch","input":"*** Begin"},
                  {"type":"function_call_output","call_id":"c1","output":"one"},
                  {"type":"custom_tool_call_output","call_id":"c2","output":[{"type":"input_text","text":"two"}]}],
                 "max_output_tokens":99,"reasoning":{"effort":"xhigh"},"text":{"format":{"type":"json_object"}},
                 "user":"u","store":true,"metadata":{"a":"b"},"stream":true}"""));

        JsonNode m = chat.get("messages");
        assertThat(m).hasSize(6);
        assertThat(m.get(0)).isEqualTo(json("{\"role\":\"system\",\"content\":\"Sys\"}"));
        assertThat(m.get(1)).isEqualTo(json("{\"role\":\"developer\",\"content\":\"Dev note\"}"));
        assertThat(m.get(2).path("content").get(1)).isEqualTo(json("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAA\",\"detail\":\"low\"}}"));
        // the assistant's text and both calls are one turn; the reasoning item is dropped
        assertThat(m.get(3).path("content").asText()).isEqualTo("Calling.");
        assertThat(m.get(3).path("tool_calls")).hasSize(2);
        assertThat(m.get(3).path("tool_calls").get(1).path("function").path("arguments").asText()).isEqualTo("{\"input\":\"*** Begin\"}");
        assertThat(m.get(4)).isEqualTo(json("{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"one\"}"));
        assertThat(m.get(5).path("content").asText()).isEqualTo("two");
        assertThat(chat.path("max_tokens").asLong()).isEqualTo(99);
        assertThat(chat.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(chat.path("response_format")).isEqualTo(json("{\"type\":\"json_object\"}"));
        assertThat(chat.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(chat.has("store")).isFalse();
        assertThat(chat.has("metadata")).isFalse();
        assertThat(ResponsesApi.untranslatable(chat)).isNull();
    }

    @Test
    void toolsAndToolChoice() {
        ObjectNode chat = ResponsesApi.toChatRequest(json("""
                {"model":"m","input":"x","tools":[{"type":"function","name":"f","parameters":{"type":"object"},"strict":true},
                  {"type":"custom","name":"apply_patch","description":"Patch"}],
                 "tool_choice":{"type":"custom","name":"apply_patch"},"parallel_tool_calls":false}"""));
        assertThat(chat.path("tools").get(0)).isEqualTo(json("{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"},\"strict\":true}}"));
        JsonNode custom = chat.path("tools").get(1).path("function");
        assertThat(custom.path("name").asText()).isEqualTo("apply_patch");
        assertThat(custom.path("parameters").path("properties").path("input").path("type").asText()).isEqualTo("string");
        assertThat(chat.path("tool_choice")).isEqualTo(json("{\"type\":\"function\",\"function\":{\"name\":\"apply_patch\"}}"));
        assertThat(chat.path("parallel_tool_calls").asBoolean(true)).isFalse();

        ObjectNode noTools = ResponsesApi.toChatRequest(json("{\"model\":\"m\",\"input\":\"x\",\"parallel_tool_calls\":true,\"tool_choice\":\"auto\"}"));
        assertThat(noTools.has("parallel_tool_calls")).as("chat refuses it without tools").isFalse();
        assertThat(noTools.has("tool_choice")).isFalse();
    }

    @Test
    void whatChatCannotCarryIsA400ForTranslatedAttemptsOnly() {
        // a hosted tool is left out (Codex offers web_search on every turn); only a tool_choice forcing one is refused
        ObjectNode offered = ResponsesApi.toChatRequest(json("""
                {"model":"m","input":"x","tools":[{"type":"web_search"},{"type":"function","name":"f","parameters":{"type":"object"}},
                 {"type":"namespace","name":"multi_agent_v1","tools":[{"type":"function","name":"spawn_agent","parameters":{"type":"object"}}]}]}"""));
        assertThat(ResponsesApi.untranslatable(offered)).isNull();
        assertThat(offered.path("tools").findValuesAsText("name")).containsExactly("f", "spawn_agent");
        ObjectNode builtIn = ResponsesApi.toChatRequest(json("""
                {"model":"m","input":"x","tools":[{"type":"file_search"}],"tool_choice":{"type":"file_search"}}"""));
        GatewayException e = ResponsesApi.untranslatable(builtIn);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.param()).isEqualTo("tool_choice");
        assertThat(e.getMessage()).contains("file_search");

        ObjectNode file = ResponsesApi.toChatRequest(json("""
                {"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"file-1"}]}]}"""));
        assertThat(ResponsesApi.untranslatable(file).param()).isEqualTo("input");
        ObjectNode ref = ResponsesApi.toChatRequest(json("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}"));
        assertThat(ResponsesApi.untranslatable(ref).getMessage()).contains("item_reference");

        assertThatThrownBy(() -> ResponsesApi.toChatRequest(json("{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}")))
                .isInstanceOf(GatewayException.class).hasMessageContaining("call_id");
        assertThatThrownBy(() -> ResponsesApi.withMessagesFromInput(json("{\"model\":\"m\",\"input\":[{\"type\":\"web_search_call\"}]}")))
                .isInstanceOf(GatewayException.class).hasMessageContaining("web_search_call");
    }

    static final String COMPLETION = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"x","choices":[{"index":0,
              "message":{"role":"assistant","content":"Hello","reasoning_content":"Thinking...",
                "tool_calls":[{"id":"call_a","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}},
                              {"id":"call_b","type":"function","function":{"name":"apply_patch","arguments":"{\\"input\\":\\"PATCH\\"}"}}]},
              "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":10,"completion_tokens":7,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":4},
                      "completion_tokens_details":{"reasoning_tokens":3}}}""";

    static final String REQUEST = """
            {"model":"gpt","input":"x","instructions":"Sys","tools":[{"type":"function","name":"f"},{"type":"custom","name":"apply_patch"}],
             "temperature":0.5,"max_output_tokens":50,"metadata":{"k":"v"},"store":false}""";

    @Test
    void aChatCompletionBecomesAResponse() {
        ObjectNode r = ResponsesApi.toResponse(json(COMPLETION), json(REQUEST), "gpt");
        assertThat(r.path("id").asText()).startsWith("resp_");
        assertThat(r.path("object").asText()).isEqualTo("response");
        assertThat(r.path("created_at").asLong()).isEqualTo(1700000000L);
        assertThat(r.path("status").asText()).isEqualTo("completed");
        assertThat(r.path("model").asText()).isEqualTo("gpt");
        JsonNode out = r.path("output");
        assertThat(out).hasSize(4);
        assertThat(out.get(0).path("type").asText()).isEqualTo("reasoning");
        assertThat(out.get(0).path("summary").get(0)).isEqualTo(json("{\"type\":\"summary_text\",\"text\":\"Thinking...\"}"));
        assertThat(out.get(1).path("type").asText()).isEqualTo("message");
        assertThat(out.get(1).path("content").get(0)).isEqualTo(json("{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Hello\"}"));
        assertThat(out.get(2).path("type").asText()).isEqualTo("function_call");
        assertThat(out.get(2).path("id").asText()).startsWith("fc_");
        assertThat(out.get(2).path("call_id").asText()).isEqualTo("call_a");
        assertThat(out.get(2).path("arguments").asText()).isEqualTo("{\"a\":1}");
        assertThat(out.get(3).path("type").asText()).isEqualTo("custom_tool_call");
        assertThat(out.get(3).path("input").asText()).isEqualTo("PATCH");
        assertThat(r.path("usage").toString()).isEqualTo(json("""
                {"input_tokens":10,"input_tokens_details":{"cached_tokens":4},"output_tokens":7,
                 "output_tokens_details":{"reasoning_tokens":3},"total_tokens":17}""").toString());
        // the request's settings are echoed
        assertThat(r.path("instructions").asText()).isEqualTo("Sys");
        assertThat(r.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(r.path("max_output_tokens").asLong()).isEqualTo(50);
        assertThat(r.path("metadata")).isEqualTo(json("{\"k\":\"v\"}"));
        assertThat(r.path("store").asBoolean()).isFalse();
        assertThat(r.path("tools")).hasSize(2);
        assertThat(r.path("text").path("format").path("type").asText()).isEqualTo("text");
    }

    @Test
    void aTruncatedAnswerIsIncomplete() {
        ObjectNode r = ResponsesApi.toResponse(json("""
                {"created":1,"choices":[{"message":{"role":"assistant","content":"Cut"},"finish_reason":"length"}]}"""), json("{\"input\":\"x\"}"), "m");
        assertThat(r.path("status").asText()).isEqualTo("incomplete");
        assertThat(r.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    }

    static ObjectNode chunk(String delta, String finish) {
        ObjectNode c = json("{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta + "}]}");
        if (finish != null) ((ObjectNode) c.path("choices").get(0)).put("finish_reason", finish);
        return c;
    }

    record Event(String name, JsonNode data) {}

    static List<Event> parse(List<Buffer> written) {
        List<Event> events = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        written.forEach(b -> all.append(b.toString()));
        for (String e : all.toString().split("\n\n")) {
            String[] lines = e.split("\n");
            events.add(new Event(lines[0].substring("event: ".length()), Json.parse(lines[1].substring("data: ".length()))));
        }
        return events;
    }

    @Test
    void aChatStreamBecomesTheResponsesEventSequence() {
        List<Buffer> written = new ArrayList<>();
        ResponsesEventWriter w = new ResponsesEventWriter(json(REQUEST), "gpt", written::add);
        w.chunk(chunk("{\"role\":\"assistant\",\"reasoning_content\":\"Hmm\"}", null));
        w.chunk(chunk("{\"content\":\"He\"}", null));
        w.chunk(chunk("{\"content\":\"llo\"}", null));
        // two parallel calls whose pieces interleave
        w.chunk(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}", null));
        w.chunk(chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"apply_patch\",\"arguments\":\"{\\\"input\\\":\"}}]}", null));
        w.chunk(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}", null));
        w.chunk(chunk("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"P\\\"}\"}}]}", null));
        w.chunk(chunk("{}", "tool_calls"));
        w.chunk(json("{\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6,\"total_tokens\":11}}"));
        ObjectNode done = w.end();

        List<Event> events = parse(written);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).data().path("sequence_number").asInt()).isEqualTo(i);
            assertThat(events.get(i).data().path("type").asText()).isEqualTo(events.get(i).name());
        }
        assertThat(events.stream().map(Event::name).toList()).containsExactly(
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.output_item.added",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done", "response.output_item.done",
                "response.completed");
        assertThat(events.get(10).data().path("delta").asText()).isEqualTo("He");
        assertThat(events.get(10).data().path("item_id").asText()).startsWith("msg_");
        assertThat(events.get(19).data().path("arguments").asText()).isEqualTo("{\"a\":1}");
        assertThat(events.get(22).data().path("input").asText()).isEqualTo("P");
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("output").findValuesAsText("type")).containsSubsequence("reasoning", "message", "function_call", "custom_tool_call");
        assertThat(done.path("output").toString()).doesNotContain("__index");
        assertThat(done.path("usage").path("total_tokens").asInt()).isEqualTo(11);
        assertThat(events.get(events.size() - 1).data().path("response").toString()).isEqualTo(done.toString());
    }

    @Test
    void aStreamCutByTheOutputLimitEndsWithResponseIncomplete() {
        List<Buffer> written = new ArrayList<>();
        ResponsesEventWriter w = new ResponsesEventWriter(json("{\"input\":\"x\",\"max_output_tokens\":2}"), "m", written::add);
        w.chunk(chunk("{\"content\":\"Hi th\"}", "length"));
        ObjectNode r = w.end();
        List<Event> events = parse(written);
        assertThat(events.get(events.size() - 1).name()).isEqualTo("response.incomplete");
        assertThat(r.path("status").asText()).isEqualTo("incomplete");
        assertThat(r.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
        assertThat(r.path("output").get(0).path("status").asText()).isEqualTo("incomplete");
    }

    @Test
    void aBrokenStreamEndsWithResponseFailed() {
        List<Buffer> written = new ArrayList<>();
        ResponsesEventWriter w = new ResponsesEventWriter(json("{\"input\":\"x\"}"), "m", written::add);
        w.chunk(chunk("{\"content\":\"Hi\"}", null));
        w.fail(GatewayException.upstream("cut"));
        Event last = parse(written).get(parse(written).size() - 1);
        assertThat(last.name()).isEqualTo("response.failed");
        assertThat(last.data().path("response").path("status").asText()).isEqualTo("failed");
        assertThat(last.data().path("response").path("error").path("message").asText()).isEqualTo("cut");
    }

    @Test
    void aFinishedStreamWhoseStoringFailedEndsWithResponseFailedNotCompleted() {
        List<Buffer> written = new ArrayList<>();
        ResponsesEventWriter w = new ResponsesEventWriter(json("{\"input\":\"x\"}"), "m", written::add);
        w.chunk(chunk("{\"content\":\"Hi\"}", "stop"));
        assertThat(w.finish().path("status").asText()).isEqualTo("completed");
        assertThat(parse(written)).extracting(Event::name).doesNotContain("response.completed");
        w.fail(GatewayException.bodyTooLarge("too large to store"));
        w.complete(); // too late: the stream ended failed
        List<Event> events = parse(written);
        assertThat(events).extracting(Event::name).containsOnlyOnce("response.failed").doesNotContain("response.completed");
        assertThat(events.get(events.size() - 1).data().path("response").path("error").path("message").asText()).isEqualTo("too large to store");
    }

    @Test
    void aPassedThroughStreamIsMeteredFromItsEvents() {
        RecordingSink sink = new RecordingSink();
        ResponsesEventMeter meter = new ResponsesEventMeter("openai");
        meter.feed(Buffer.buffer("""
                event: response.output_text.delta
                data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"m","output_index":0,"content_index":0,"delta":"Hi"}

                event: response.completed
                data: {"type":"response.completed","sequence_number":4,"response":{"usage":{"input_tokens":9,"input_tokens_details":{"cached_tokens":2},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":1},"total_tokens":12}}}

                """), sink);
        meter.end(sink);
        JsonNode usage = sink.chunks().get(sink.chunks().size() - 1).path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(9);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(2);

        ResponsesEventMeter cut = new ResponsesEventMeter("openai");
        cut.feed(Buffer.buffer("event: response.created\ndata: {\"type\":\"response.created\"}\n\n"), sink);
        assertThatThrownBy(() -> cut.end(sink)).isInstanceOf(GatewayException.class).hasMessageContaining("cut");
        ResponsesEventMeter failed = new ResponsesEventMeter("openai");
        assertThatThrownBy(() -> failed.feed(Buffer.buffer("event: error\ndata: {\"type\":\"error\",\"code\":\"x\",\"message\":\"boom\"}\n\n"), sink))
                .isInstanceOf(GatewayException.class).hasMessageContaining("boom");
    }
}
