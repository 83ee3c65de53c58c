package dev.aigateway.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A chat stream written as the Responses API's events, in the order OpenAI sends them: {@code response.created},
 * {@code response.in_progress}, then per output item {@code output_item.added}, its parts and deltas, their
 * {@code .done} events and {@code output_item.done}, and last {@code response.completed} (or
 * {@code response.incomplete}) carrying the whole Response with its usage. Every event is {@code event: <type>} plus
 * {@code data:} holding the same {@code type} and a {@code sequence_number} that counts up from 0.
 *
 * <p>Reasoning ({@code reasoning_content}) and text are one open item at a time; tool calls are items of their own,
 * by their chat index (deltas of parallel calls may interleave). A custom tool's input arrives as the JSON of its one
 * parameter: it is kept whole and sent as one delta when the call ends.
 */
public final class ResponsesEventWriter {
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);

    private final Consumer<Buffer> out;
    private final ObjectNode response;
    /** The finished output items by output index (parallel tool calls may finish out of order). */
    private final TreeMap<Integer, ObjectNode> output = new TreeMap<>();
    private final Set<String> customTools;
    private int sequence;
    private int outputCount;
    private boolean started;
    private boolean ended;
    /** The final event (completed, incomplete or failed) went out. */
    private boolean finalSent;

    /** The reasoning or message item being written, or null. */
    private Open text;
    private final Map<Integer, Tool> tools = new HashMap<>();
    private final List<Tool> toolOrder = new ArrayList<>();
    private String finishReason;
    private JsonNode usage;

    private static final class Open {
        final int outputIndex;
        final String id;
        final boolean reasoning;
        final StringBuilder text = new StringBuilder();

        Open(int outputIndex, String id, boolean reasoning) {
            this.outputIndex = outputIndex;
            this.id = id;
            this.reasoning = reasoning;
        }
    }

    private static final class Tool {
        final int outputIndex;
        final String id;
        final String callId;
        final String name;
        final boolean custom;
        final StringBuilder arguments = new StringBuilder();
        boolean done;

        Tool(int outputIndex, String id, String callId, String name, boolean custom) {
            this.outputIndex = outputIndex;
            this.id = id;
            this.callId = callId;
            this.name = name;
            this.custom = custom;
        }
    }

    /** @param request the client's Responses request (its settings are echoed in the Response) */
    public ResponsesEventWriter(ObjectNode request, String model, Consumer<Buffer> out) {
        this.out = out;
        this.response = ResponseShape.skeleton(request, ResponseShape.id("resp"), System.currentTimeMillis() / 1000, model, "in_progress");
        this.customTools = ResponseShape.customTools(request);
    }

    /** Writes one chat chunk's events. */
    public void chunk(ObjectNode chunk) {
        start();
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) usage = u;
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) return;
        JsonNode delta = choice.path("delta");
        String reasoning = ResponseShape.reasoning(delta);
        if (!reasoning.isEmpty()) textDelta(true, reasoning);
        String content = delta.path("content").asText("");
        if (!content.isEmpty()) textDelta(false, content);
        for (JsonNode call : delta.path("tool_calls")) toolDelta(call);
        if (choice.hasNonNull("finish_reason")) finishReason = choice.get("finish_reason").asText();
    }

    private void start() {
        if (started) return;
        started = true;
        emit("response.created", Json.object().set("response", response.deepCopy()));
        emit("response.in_progress", Json.object().set("response", response.deepCopy()));
    }

    private void textDelta(boolean reasoning, String delta) {
        if (text != null && text.reasoning != reasoning) closeText();
        if (text == null) {
            text = new Open(nextIndex(), ResponseShape.id(reasoning ? "rs" : "msg"), reasoning);
            if (reasoning) {
                ObjectNode item = Json.object().put("id", text.id).put("type", "reasoning");
                item.putArray("summary");
                added(item, text.outputIndex);
                emit("response.reasoning_summary_part.added", at(text).put("summary_index", 0)
                        .set("part", Json.object().put("type", "summary_text").put("text", "")));
            } else {
                ObjectNode item = Json.object().put("id", text.id).put("type", "message").put("status", "in_progress").put("role", "assistant");
                item.putArray("content");
                added(item, text.outputIndex);
                emit("response.content_part.added", at(text).put("content_index", 0).set("part", ResponseShape.textPart("")));
            }
        }
        text.text.append(delta);
        if (reasoning) {
            emit("response.reasoning_summary_text.delta", at(text).put("summary_index", 0).put("delta", delta));
        } else {
            ObjectNode e = at(text).put("content_index", 0).put("delta", delta);
            e.putArray("logprobs");
            emit("response.output_text.delta", e);
        }
    }

    private void closeText() {
        Open t = text;
        text = null;
        String all = t.text.toString();
        if (t.reasoning) {
            emit("response.reasoning_summary_text.done", at(t).put("summary_index", 0).put("text", all));
            emit("response.reasoning_summary_part.done", at(t).put("summary_index", 0)
                    .set("part", Json.object().put("type", "summary_text").put("text", all)));
            done(ResponsesResponseTranslator.reasoningItem(t.id, all), t.outputIndex);
        } else {
            ObjectNode e = at(t).put("content_index", 0).put("text", all);
            e.putArray("logprobs");
            emit("response.output_text.done", e);
            emit("response.content_part.done", at(t).put("content_index", 0).set("part", ResponseShape.textPart(all)));
            ObjectNode item = Json.object().put("id", t.id).put("type", "message").put("status", status()).put("role", "assistant");
            item.putArray("content").add(ResponseShape.textPart(all));
            done(item, t.outputIndex);
        }
    }

    private void toolDelta(JsonNode call) {
        int index = call.path("index").asInt(tools.size());
        Tool tool = tools.get(index);
        if (tool == null) {
            if (text != null) closeText();
            String name = call.path("function").path("name").asText("");
            boolean custom = customTools.contains(name);
            String callId = call.path("id").asText(ResponseShape.id("call"));
            tool = new Tool(nextIndex(), ResponseShape.id(custom ? "ctc" : "fc"), callId, name, custom);
            tools.put(index, tool);
            toolOrder.add(tool);
            ObjectNode item = Json.object().put("id", tool.id).put("type", custom ? "custom_tool_call" : "function_call")
                    .put("status", "in_progress").put("call_id", callId).put("name", name);
            item.put(custom ? "input" : "arguments", "");
            added(item, tool.outputIndex);
        }
        String piece = call.path("function").path("arguments").asText("");
        if (piece.isEmpty()) return;
        tool.arguments.append(piece);
        if (!tool.custom) {
            emit("response.function_call_arguments.delta", Json.object().put("item_id", tool.id)
                    .put("output_index", tool.outputIndex).put("delta", piece));
        }
    }

    private void closeTool(Tool tool) {
        tool.done = true;
        String args = tool.arguments.toString();
        if (tool.custom) {
            String input = ResponseShape.customInput(args);
            if (!input.isEmpty()) {
                emit("response.custom_tool_call_input.delta", Json.object().put("item_id", tool.id)
                        .put("output_index", tool.outputIndex).put("delta", input));
            }
            emit("response.custom_tool_call_input.done", Json.object().put("item_id", tool.id)
                    .put("output_index", tool.outputIndex).put("input", input));
        } else {
            emit("response.function_call_arguments.done", Json.object().put("item_id", tool.id)
                    .put("output_index", tool.outputIndex).put("name", tool.name).put("arguments", args));
        }
        ObjectNode item = ResponseShape.toolCallItem(tool.callId, tool.name, args, tool.custom);
        item.put("id", tool.id);
        done(item, tool.outputIndex);
    }

    /**
     * The stream ended: open items are closed and {@code response.completed} (or {@code response.incomplete}) is
     * written. Returns the finished Response.
     */
    public ObjectNode end() {
        if (ended) return response;
        finish();
        complete();
        return response;
    }

    /**
     * The stream ended: open items are closed (their events written) and the finished Response is returned, without
     * the final event yet: {@link #complete} writes it, once whatever must precede it (storing the Response) is done.
     */
    public ObjectNode finish() {
        start();
        if (ended) return response;
        ended = true;
        if (text != null) closeText();
        for (Tool t : toolOrder) if (!t.done) closeTool(t);
        String incomplete = ResponseShape.incompleteReason(finishReason);
        response.put("status", incomplete == null ? "completed" : "incomplete");
        if (incomplete != null) response.putObject("incomplete_details").put("reason", incomplete);
        response.set("output", sortedOutput());
        if (usage != null) response.set("usage", ResponseShape.usage(usage));
        return response;
    }

    /** The final event of the Response {@link #finish} built: {@code response.completed} or {@code response.incomplete}. */
    public void complete() {
        if (finalSent) return;
        finalSent = true;
        boolean incomplete = "incomplete".equals(response.path("status").asText());
        emit(incomplete ? "response.incomplete" : "response.completed", Json.object().set("response", response));
    }

    /**
     * The stream broke, or what had to precede its final event failed (storing it): {@code response.failed} with what
     * was answered so far and the error.
     */
    public void fail(GatewayException error) {
        start();
        if (finalSent) return;
        finalSent = true;
        ended = true;
        response.put("status", "failed");
        response.set("output", sortedOutput());
        response.putObject("error").put("code", error.code() != null ? error.code() : "server_error").put("message", error.getMessage());
        emit("response.failed", Json.object().set("response", response));
    }

    private ArrayNode sortedOutput() {
        ArrayNode sorted = Json.array();
        output.values().forEach(sorted::add);
        return sorted;
    }

    private String status() {
        return ResponseShape.incompleteReason(finishReason) == null ? "completed" : "incomplete";
    }

    private int nextIndex() {
        return outputCount++;
    }

    private ObjectNode at(Open t) {
        return Json.object().put("item_id", t.id).put("output_index", t.outputIndex);
    }

    private void added(ObjectNode item, int index) {
        emit("response.output_item.added", Json.object().put("output_index", index).set("item", item));
    }

    private void done(ObjectNode item, int index) {
        emit("response.output_item.done", Json.object().put("output_index", index).set("item", item));
        output.put(index, item);
    }

    private void emit(String type, ObjectNode fields) {
        ObjectNode data = Json.object().put("type", type).put("sequence_number", sequence++);
        data.setAll(fields);
        out.accept(Buffer.buffer(256).appendBytes(EVENT).appendString(type).appendBytes(DATA).appendBytes(Json.toBytes(data)).appendBytes(END));
    }
}
