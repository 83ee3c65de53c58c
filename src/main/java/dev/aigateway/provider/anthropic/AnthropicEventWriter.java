package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenAI chunks from any provider -> the Anthropic Messages event stream ({@code event: <type>\ndata: <json>\n\n}):
 * message_start, then for each text run or tool call a content block (start, deltas, stop), then
 * message_delta and message_stop. OpenAI's usage arrives after its finish chunk, so message_delta waits
 * for {@link #end()}. Reasoning text is not forwarded: Anthropic thinking blocks need a signature that
 * other providers cannot give. One instance per response; not thread-safe (event-loop confined).
 */
public final class AnthropicEventWriter {
    private enum Block { NONE, TEXT, TOOL }

    private final String model;
    private final Consumer<Buffer> out;
    /** OpenAI tool call index -> Anthropic content block index. */
    private final Map<Integer, Integer> blockByTool = new HashMap<>();
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
        Integer index = blockByTool.get(toolIndex);
        if (index == null) {
            closeBlock();
            ObjectNode e = openBlock(Block.TOOL);
            index = openIndex;
            blockByTool.put(toolIndex, index);
            e.putObject("content_block").put("type", "tool_use")
                    .put("id", MessageIds.toolUseId(call.path("id").asText(null)))
                    .put("name", call.path("function").path("name").asText(""))
                    .putObject("input");
            write(e);
        }
        String args = call.path("function").path("arguments").asText("");
        if (args.isEmpty()) return;
        ObjectNode e = event("content_block_delta").put("index", index);
        e.putObject("delta").put("type", "input_json_delta").put("partial_json", args);
        write(e);
    }

    private ObjectNode openBlock(Block kind) {
        open = kind;
        openIndex = nextIndex++;
        return event("content_block_start").put("index", openIndex);
    }

    private void closeBlock() {
        if (open == Block.NONE) return;
        write(event("content_block_stop").put("index", openIndex));
        open = Block.NONE;
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
