package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.SseParser;
import dev.aigateway.provider.http.StreamDecoder;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic's Messages stream (message_start, content_block_start/delta/stop, message_delta, message_stop,
 * ping, error) -> OpenAI chunks. Anthropic numbers all content blocks together; OpenAI numbers tool calls
 * on their own, so each tool_use block gets the next tool-call index. The usage chunk goes out on
 * message_stop; a stream that ends without message_stop was cut.
 */
final class AnthropicStreamDecoder implements StreamDecoder {
    private final String provider;
    private final SseParser parser = new SseParser(this::onEvent);
    private final AnthropicUsage usage = new AnthropicUsage();
    /** Anthropic content block index -> OpenAI tool call index. */
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private final long created = System.currentTimeMillis() / 1000;
    private ChunkSink sink;
    private String id = "";
    private String model;
    private boolean done;

    AnthropicStreamDecoder(String provider, String model) {
        this.provider = provider;
        this.model = model;
    }

    @Override
    public void feed(Buffer data, ChunkSink sink) {
        this.sink = sink;
        parser.feed(data);
    }

    @Override
    public void end(ChunkSink sink) {
        this.sink = sink;
        parser.finish();
        if (!done) {
            throw GatewayException.upstream(provider + " stream ended before message_stop: the connection was cut mid-answer.");
        }
    }

    private void onEvent(String event, String data) {
        if (done) return;
        JsonNode n = Json.tryParse(data.getBytes(StandardCharsets.UTF_8));
        if (!(n instanceof ObjectNode e)) {
            throw GatewayException.upstream(provider + " sent a stream event that is not JSON.");
        }
        String type = e.path("type").asText(event == null ? "" : event);
        switch (type) {
            case "message_start" -> messageStart(e.path("message"));
            case "content_block_start" -> blockStart(e.path("index").asInt(), e.path("content_block"));
            case "content_block_delta" -> blockDelta(e.path("index").asInt(), e.path("delta"));
            case "message_delta" -> messageDelta(e);
            case "message_stop" -> {
                done = true;
                ObjectNode last = chunk();
                last.putArray("choices");
                last.set("usage", usage.toOpenAi());
                sink.chunk(last);
            }
            case "error" -> throw AnthropicErrors.fromStreamEvent(provider, e);
            default -> { /* ping, content_block_stop and event types added later */ }
        }
    }

    private void messageStart(JsonNode message) {
        id = message.path("id").asText(id);
        model = message.path("model").asText(model);
        usage.update(message.get("usage"));
        sink.promptUsage(usage.toOpenAi());
        ObjectNode c = choiceChunk(null);
        delta(c).put("role", "assistant").put("content", "");
        sink.chunk(c);
    }

    private void blockStart(int index, JsonNode block) {
        switch (block.path("type").asText("")) {
            case "text" -> {
                String text = block.path("text").asText("");
                if (!text.isEmpty()) emitDelta("content", text);
            }
            case "tool_use" -> {
                int toolIndex = toolIndexByBlock.size();
                toolIndexByBlock.put(index, toolIndex);
                ObjectNode c = choiceChunk(null);
                ObjectNode call = delta(c).putArray("tool_calls").addObject();
                call.put("index", toolIndex).put("id", block.path("id").asText()).put("type", "function");
                call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
                sink.chunk(c);
            }
            default -> { /* thinking starts empty; server tool blocks have no OpenAI counterpart */ }
        }
    }

    private void blockDelta(int index, JsonNode delta) {
        switch (delta.path("type").asText("")) {
            case "text_delta" -> emitDelta("content", delta.path("text").asText(""));
            case "thinking_delta" -> emitDelta("reasoning_content", delta.path("thinking").asText(""));
            case "input_json_delta" -> {
                Integer toolIndex = toolIndexByBlock.get(index);
                String piece = delta.path("partial_json").asText("");
                if (toolIndex == null || piece.isEmpty()) return;
                ObjectNode c = choiceChunk(null);
                delta(c).putArray("tool_calls").addObject().put("index", toolIndex)
                        .putObject("function").put("arguments", piece);
                sink.chunk(c);
            }
            default -> { /* signature_delta, citations_delta */ }
        }
    }

    private void messageDelta(JsonNode e) {
        usage.update(e.get("usage"));
        JsonNode d = e.path("delta");
        String stopReason = d.path("stop_reason").asText(null);
        if (stopReason == null) return;
        ObjectNode c = choiceChunk(StopReasons.toFinishReason(stopReason));
        if ("stop_sequence".equals(stopReason) && d.hasNonNull("stop_sequence")) {
            ((ObjectNode) c.get("choices").get(0)).put("stop_reason", d.get("stop_sequence").asText());
        }
        sink.chunk(c);
    }

    private void emitDelta(String field, String value) {
        ObjectNode c = choiceChunk(null);
        delta(c).put(field, value);
        sink.chunk(c);
    }

    /** A chunk with one choice and an empty delta, for the caller to fill before it goes to the sink. */
    private ObjectNode choiceChunk(String finishReason) {
        ObjectNode c = chunk();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        return c;
    }

    private static ObjectNode delta(ObjectNode chunk) {
        return (ObjectNode) chunk.get("choices").get(0).get("delta");
    }

    private ObjectNode chunk() {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        return c;
    }
}
