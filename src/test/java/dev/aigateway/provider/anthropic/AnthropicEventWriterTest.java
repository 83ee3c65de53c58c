package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.http.SseParser;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicEventWriterTest {

    private record Event(String name, JsonNode data) {}

    private final List<Buffer> buffers = new ArrayList<>();

    /** Parses everything written so far back into events, checking the SSE framing on the way. */
    private List<Event> events() {
        List<Event> out = new ArrayList<>();
        SseParser parser = new SseParser((name, data) -> out.add(new Event(name, Json.parse(data))));
        for (Buffer b : buffers) {
            assertThat(b.toString()).startsWith("event: ").endsWith("\n\n");
            parser.feed(b);
        }
        assertThat(out).allSatisfy(e -> assertThat(e.data().path("type").asText()).isEqualTo(e.name()));
        return out;
    }

    private static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    private static ObjectNode chunk(String deltaJson, String finish) {
        ObjectNode c = (ObjectNode) Json.parse("""
                {"id":"chatcmpl-xyz","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0}]}""");
        ObjectNode choice = (ObjectNode) c.path("choices").get(0);
        choice.set("delta", Json.parse(deltaJson));
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        return c;
    }

    private static ObjectNode usageChunk(int prompt, int completion, int cached) {
        return (ObjectNode) Json.parse("""
                {"id":"chatcmpl-xyz","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d}}}"""
                .formatted(prompt, completion, prompt + completion, cached));
    }

    @Test
    void textStreamBecomesAnthropicEvents() {
        AnthropicEventWriter w = new AnthropicEventWriter("claude-client", buffers::add);
        w.chunk(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        w.chunk(chunk("{\"content\":\"Hello\"}", null));
        w.chunk(chunk("{\"content\":\" world\"}", null));
        w.chunk(chunk("{}", "stop"));
        w.chunk(usageChunk(30, 2, 20));
        w.end();

        List<Event> events = events();
        assertThat(names(events)).containsExactly("message_start", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        JsonNode start = events.get(0).data().path("message");
        assertThat(start.path("id").asText()).isEqualTo("msg_xyz");
        assertThat(start.path("type").asText()).isEqualTo("message");
        assertThat(start.path("role").asText()).isEqualTo("assistant");
        assertThat(start.path("model").asText()).isEqualTo("claude-client");
        assertThat(start.path("content")).isEmpty();
        assertThat(start.get("stop_reason").isNull()).isTrue();
        assertThat(events.get(1).data()).isEqualTo(Json.parse("""
                {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""));
        assertThat(events.get(2).data()).isEqualTo(Json.parse("""
                {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""));
        assertThat(events.get(4).data()).isEqualTo(Json.parse("{\"type\":\"content_block_stop\",\"index\":0}"));
        assertThat(events.get(5).data()).isEqualTo(Json.parse("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                 "usage":{"input_tokens":10,"output_tokens":2,"cache_read_input_tokens":20,"cache_creation_input_tokens":0}}"""));
        assertThat(events.get(6).data()).isEqualTo(Json.parse("{\"type\":\"message_stop\"}"));
    }

    @Test
    void toolCallsBecomeToolUseBlocksAfterTheText() {
        AnthropicEventWriter w = new AnthropicEventWriter(buffers::add);
        w.chunk(chunk("{\"role\":\"assistant\",\"content\":\"Checking.\"}", null));
        w.chunk(chunk("""
                {"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}""", null));
        w.chunk(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null));
        w.chunk(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null));
        w.chunk(chunk("""
                {"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]}""", null));
        w.chunk(chunk("{}", "tool_calls"));
        w.chunk(usageChunk(5, 9, 0));
        w.end();

        List<Event> events = events();
        assertThat(names(events)).containsExactly("message_start",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(events.get(0).data().path("message").path("model").asText()).isEqualTo("gpt-4o");
        assertThat(events.get(4).data()).isEqualTo(Json.parse("""
                {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_a","name":"get_weather","input":{}}}"""));
        assertThat(events.get(8).data().path("content_block").path("id").asText()).isEqualTo("call_b");
        assertThat(events.get(8).data().path("index").asInt()).isEqualTo(2);
        StringBuilder args1 = new StringBuilder();
        StringBuilder args2 = new StringBuilder();
        for (Event e : events) {
            if (!e.name().equals("content_block_delta") || !e.data().path("delta").path("type").asText().equals("input_json_delta")) continue;
            (e.data().path("index").asInt() == 1 ? args1 : args2).append(e.data().path("delta").path("partial_json").asText());
        }
        assertThat(Json.parse(args1.toString())).isEqualTo(Json.parse("{\"city\":\"Paris\"}"));
        assertThat(args2.toString()).isEqualTo("{}");
        assertThat(events.get(11).data().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(events.get(11).data().path("usage").path("output_tokens").asInt()).isEqualTo(9);
    }

    @Test
    void lengthAndStopSequenceAreReported() {
        AnthropicEventWriter w = new AnthropicEventWriter(buffers::add);
        w.chunk(chunk("{\"content\":\"a\"}", null));
        w.chunk(chunk("{}", "length"));
        w.end();
        assertThat(events().get(4).data().path("delta").path("stop_reason").asText()).isEqualTo("max_tokens");

        buffers.clear();
        AnthropicEventWriter s = new AnthropicEventWriter(buffers::add);
        ObjectNode fin = chunk("{}", "stop");
        ((ObjectNode) fin.path("choices").get(0)).put("stop_reason", "END");
        s.chunk(fin);
        s.end();
        JsonNode delta = events().get(1).data().path("delta");
        assertThat(delta.path("stop_reason").asText()).isEqualTo("stop_sequence");
        assertThat(delta.path("stop_sequence").asText()).isEqualTo("END");
    }

    @Test
    void failEndsTheStreamWithAnErrorEvent() {
        AnthropicEventWriter w = new AnthropicEventWriter(buffers::add);
        w.chunk(chunk("{\"content\":\"Hel\"}", null));
        w.fail(GatewayException.unavailable("anthropic returned 529: Overloaded"));
        w.chunk(chunk("{\"content\":\"lo\"}", null));
        w.end();

        List<Event> events = events();
        assertThat(names(events)).containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        JsonNode err = events.get(3).data();
        assertThat(err.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(err.path("error").path("message").asText()).isEqualTo("anthropic returned 529: Overloaded");
    }

    @Test
    void anEmptyStreamIsStillACompleteMessage() {
        AnthropicEventWriter w = new AnthropicEventWriter("m", buffers::add);
        w.end();
        w.end();
        assertThat(names(events())).containsExactly("message_start", "message_delta", "message_stop");
    }

    /**
     * Anthropic's block discipline, as clients rely on it: blocks numbered 0, 1, 2... in order, one open at a time,
     * each delta to the open block only. Returns each block's concatenated deltas (text, thinking or partial_json).
     */
    private static List<String> wellFormedBlocks(List<Event> events) {
        List<String> blocks = new ArrayList<>();
        int open = -1;
        for (Event e : events) {
            switch (e.name()) {
                case "content_block_start" -> {
                    assertThat(open).as("a block starts while another is open").isEqualTo(-1);
                    open = e.data().path("index").asInt();
                    assertThat(open).as("blocks are numbered in order").isEqualTo(blocks.size());
                    blocks.add("");
                }
                case "content_block_delta" -> {
                    assertThat(e.data().path("index").asInt()).as("a delta goes to the open block").isEqualTo(open);
                    JsonNode d = e.data().path("delta");
                    String piece = switch (d.path("type").asText()) {
                        case "text_delta" -> d.path("text").asText();
                        case "thinking_delta" -> d.path("thinking").asText();
                        case "input_json_delta" -> d.path("partial_json").asText();
                        default -> throw new AssertionError("unexpected delta " + d);
                    };
                    blocks.set(open, blocks.get(open) + piece);
                }
                case "content_block_stop" -> {
                    assertThat(e.data().path("index").asInt()).isEqualTo(open);
                    open = -1;
                }
                default -> { }
            }
        }
        assertThat(open).as("every block is stopped").isEqualTo(-1);
        return blocks;
    }

    /** DeepSeek's and vLLM's reasoning_content, or OpenRouter's reasoning: a thinking block before the text. */
    @Test
    void reasoningBecomesAThinkingBlockBeforeTheText() {
        AnthropicEventWriter w = new AnthropicEventWriter("claude", buffers::add);
        w.chunk(chunk("{\"role\":\"assistant\",\"content\":\"\",\"reasoning_content\":\"\"}", null));
        w.chunk(chunk("{\"reasoning_content\":\"The user\"}", null));
        w.chunk(chunk("{\"reasoning\":\" says hi.\"}", null));
        w.chunk(chunk("{\"content\":\"Hello\"}", null));
        w.chunk(chunk("{\"content\":\"!\"}", null));
        w.chunk(chunk("{}", "stop"));
        w.end();

        List<Event> events = events();
        assertThat(wellFormedBlocks(events)).containsExactly("The user says hi.", "Hello!");
        assertThat(events.get(1).data()).isEqualTo(Json.parse("""
                {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""));
        assertThat(events.get(2).data()).isEqualTo(Json.parse("""
                {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user"}}"""));
        assertThat(events.stream().filter(e -> e.data().path("delta").path("type").asText().equals("signature_delta"))).isEmpty();
    }

    /**
     * Parallel tool calls whose argument pieces interleave, each split over many chunks: every tool_use block gets
     * its whole input, in order, and no delta reaches a block after its stop (clients parse the input there).
     */
    @Test
    void interleavedParallelToolCallsComeOutWhole() {
        AnthropicEventWriter w = new AnthropicEventWriter("claude", buffers::add);
        w.chunk(chunk("{\"role\":\"assistant\",\"reasoning_content\":\"Two files.\"}", null));
        w.chunk(chunk("""
                {"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"Read","arguments":""}},
                               {"index":1,"id":"call_b","type":"function","function":{"name":"Read","arguments":"{\\"file_"}}]}""", null));
        String a = "{\"file_path\":\"/src/Main.java\",\"limit\":200}";
        String b = "path\":\"/src/Other.java\"}";
        int i = 0;
        while (i < Math.max(a.length(), b.length())) { // three characters a chunk, the two calls alternating
            if (i < a.length()) w.chunk(toolPiece(0, a.substring(i, Math.min(i + 3, a.length()))));
            if (i < b.length()) w.chunk(toolPiece(1, b.substring(i, Math.min(i + 3, b.length()))));
            i += 3;
        }
        w.chunk(chunk("""
                {"tool_calls":[{"index":2,"id":"call_c","type":"function","function":{"name":"Glob","arguments":"{\\"pattern\\":"}}]}""", null));
        w.chunk(toolPiece(2, "\"**/*.md\"}"));
        w.chunk(chunk("{}", "tool_calls"));
        w.end();

        List<Event> events = events();
        List<String> blocks = wellFormedBlocks(events);
        assertThat(blocks).hasSize(4);
        assertThat(blocks.get(0)).isEqualTo("Two files.");
        assertThat(Json.parse(blocks.get(1))).isEqualTo(Json.parse("{\"file_path\":\"/src/Main.java\",\"limit\":200}"));
        assertThat(Json.parse(blocks.get(2))).isEqualTo(Json.parse("{\"file_path\":\"/src/Other.java\"}"));
        assertThat(Json.parse(blocks.get(3))).isEqualTo(Json.parse("{\"pattern\":\"**/*.md\"}"));
        List<String> ids = events.stream().filter(e -> e.name().equals("content_block_start"))
                .map(e -> e.data().path("content_block").path("id").asText()).toList();
        assertThat(ids).containsExactly("", "call_a", "call_b", "call_c");
        // the first call streamed live, in pieces
        assertThat(events.stream().filter(e -> e.data().path("index").asInt(-1) == 1
                && e.name().equals("content_block_delta")).count()).isGreaterThan(5);
    }

    private static ObjectNode toolPiece(int index, String arguments) {
        ObjectNode delta = Json.object();
        delta.putArray("tool_calls").addObject().put("index", index).putObject("function").put("arguments", arguments);
        return chunk(delta.toString(), null);
    }
}
