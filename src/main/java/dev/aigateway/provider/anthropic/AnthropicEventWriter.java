package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenAI chunks from any provider -> the Anthropic Messages event stream ({@code event: <type>\ndata: <json>\n\n}):
 * message_start, then for each reasoning run, text run or tool call a content block (start, deltas, stop), then
 * message_delta and message_stop. OpenAI's usage arrives after its finish chunk, so message_delta waits
 * for {@link #end()}.
 *
 * <p>Reasoning ({@code reasoning_content} or {@code reasoning} deltas) becomes a thinking block as LiteLLM writes it:
 * {@code content_block_start {type: thinking, thinking: "", signature: ""}}, then {@code thinking_delta}s, and no
 * {@code signature_delta}, since no other provider signs its reasoning.
 *
 * <p>Anthropic's blocks follow one another, and clients parse a tool_use's input when its block stops, while OpenAI's
 * parallel tool calls may interleave their argument pieces. So only the first tool call of a run streams live; a
 * later one is held, whole, and written after it (start, its complete arguments as one input_json_delta, stop) once
 * something else begins or the stream ends: every tool_use's input is complete. One instance per response; not
 * thread-safe (event-loop confined).
 */
public final class AnthropicEventWriter {
    private enum Block { NONE, THINKING, TEXT, TOOL }

    /** A tool call held back while another streams: what its content block will carry. */
    private static final class HeldCall {
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();

        HeldCall(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final String model;
    private final Consumer<Buffer> out;
    /** OpenAI tool call index -> Anthropic content block index, for the calls already written. */
    private final Map<Integer, Integer> blockByTool = new HashMap<>();
    /** Tool calls that began while another was streaming, by OpenAI index, in the order they began. */
    private final Map<Integer, HeldCall> held = new LinkedHashMap<>();
    private boolean started;
    private boolean finished;
    private Block open = Block.NONE;
    private int openIndex = -1;
    private int nextIndex;
    private String finishReason;
    private String stopSequence;
    private JsonNode usage;

    /** @param model the model name to report (the one the client asked for); null to use the chunks' model */
    public AnthropicEventWriter(String model, Consumer<Buffer> out) {
        this.model = model;
        this.out = out;
    }

    public AnthropicEventWriter(Consumer<Buffer> out) {
        this(null, out);
    }

    public void chunk(ObjectNode chunk) {
        if (finished) return;
        if (!started) start(chunk);
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) usage = u;
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) continue; // an Anthropic message has one answer
            JsonNode delta = choice.path("delta");
            String reasoning = MessagesResponseTranslator.reasoning(delta);
            if (!reasoning.isEmpty()) thinking(reasoning);
            String text = delta.path("content").asText("");
            if (!text.isEmpty()) text(text);
            for (JsonNode call : delta.path("tool_calls")) toolCall(call);
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
                if (choice.path("stop_reason").isTextual()) stopSequence = choice.get("stop_reason").asText();
            }
        }
    }

    /** The provider's stream ended normally. */
    public void end() {
        if (finished) return;
        if (!started) start(Json.object());
        closeBlock();
        finished = true;
        ObjectNode e = event("message_delta");
        String stopReason = StopReasons.toStopReason(finishReason, stopSequence);
        ObjectNode d = e.putObject("delta").put("stop_reason", stopReason);
        if ("stop_sequence".equals(stopReason)) d.put("stop_sequence", stopSequence);
        else d.putNull("stop_sequence");
        e.set("usage", MessagesResponseTranslator.usage(usage == null ? Json.object() : usage));
        write(e);
        write(event("message_stop"));
    }

    /** The provider's stream broke: Anthropic's in-stream error event, which the Anthropic SDKs raise. */
    public void fail(GatewayException error) {
        if (finished) return;
        finished = true;
        write("error", MessagesApi.errorBody(error));
    }

    private void start(ObjectNode firstChunk) {
        started = true;
        ObjectNode e = event("message_start");
        ObjectNode m = e.putObject("message");
        m.put("id", MessageIds.messageId(firstChunk.path("id").asText(null)));
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model != null ? model : firstChunk.path("model").asText(""));
        m.putArray("content");
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        // OpenAI reports usage only at the end: message_delta carries the real counts.
        m.set("usage", MessagesResponseTranslator.usage(firstChunk.path("usage")));
        write(e);
    }

    private void thinking(String thinking) {
        if (open != Block.THINKING) {
            closeBlock();
            ObjectNode e = openBlock(Block.THINKING);
            e.putObject("content_block").put("type", "thinking").put("thinking", "").put("signature", "");
            write(e);
        }
        ObjectNode e = event("content_block_delta").put("index", openIndex);
        e.putObject("delta").put("type", "thinking_delta").put("thinking", thinking);
        write(e);
    }

    private void text(String text) {
        if (open != Block.TEXT) {
            closeBlock();
            ObjectNode e = openBlock(Block.TEXT);
            e.putObject("content_block").put("type", "text").put("text", "");
            write(e);
        }
        ObjectNode e = event("content_block_delta").put("index", openIndex);
        e.putObject("delta").put("type", "text_delta").put("text", text);
        write(e);
    }

    private void toolCall(JsonNode call) {
        int toolIndex = call.path("index").asInt(0);
        String args = call.path("function").path("arguments").asText("");
        HeldCall h = held.get(toolIndex);
        if (h != null) {
            h.arguments.append(args);
            return;
        }
        Integer index = blockByTool.get(toolIndex);
        if (index == null && open == Block.TOOL) {
            // another call began while one streams: held whole, so pieces of the two may interleave
            h = new HeldCall(call.path("id").asText(null), call.path("function").path("name").asText(""));
            h.arguments.append(args);
            held.put(toolIndex, h);
            return;
        }
        if (index == null) {
            closeBlock();
            index = startTool(toolIndex, call.path("id").asText(null), call.path("function").path("name").asText(""));
        }
        // a piece for a call whose block was closed (a provider that went back to it after text) still goes to its
        // block, where index-keyed accumulators such as the SDKs' find it
        if (!args.isEmpty()) inputDelta(index, args);
    }

    private int startTool(int toolIndex, String id, String name) {
        ObjectNode e = openBlock(Block.TOOL);
        blockByTool.put(toolIndex, openIndex);
        e.putObject("content_block").put("type", "tool_use")
                .put("id", MessageIds.toolUseId(id))
                .put("name", name)
                .putObject("input");
        write(e);
        return openIndex;
    }

    private void inputDelta(int index, String json) {
        ObjectNode e = event("content_block_delta").put("index", index);
        e.putObject("delta").put("type", "input_json_delta").put("partial_json", json);
        write(e);
    }

    private ObjectNode openBlock(Block kind) {
        open = kind;
        openIndex = nextIndex++;
        return event("content_block_start").put("index", openIndex);
    }

    /** Stops the open block; after a tool call, the calls held behind it follow, each whole. */
    private void closeBlock() {
        if (open == Block.NONE) return;
        write(event("content_block_stop").put("index", openIndex));
        boolean wasTool = open == Block.TOOL;
        open = Block.NONE;
        if (!wasTool || held.isEmpty()) return;
        for (Map.Entry<Integer, HeldCall> e : held.entrySet()) {
            HeldCall h = e.getValue();
            int index = startTool(e.getKey(), h.id, h.name);
            if (!h.arguments.isEmpty()) inputDelta(index, h.arguments.toString());
            write(event("content_block_stop").put("index", index));
            open = Block.NONE;
        }
        held.clear();
    }

    private static ObjectNode event(String type) {
        return Json.object().put("type", type);
    }

    private void write(ObjectNode event) {
        write(event.get("type").asText(), event);
    }

    private void write(String type, ObjectNode data) {
        byte[] json = Json.toBytes(data);
        Buffer b = Buffer.buffer(json.length + type.length() + 20);
        b.appendString("event: ").appendString(type).appendString("\ndata: ");
        b.appendBytes(json).appendString("\n\n");
        out.accept(b);
    }
}
