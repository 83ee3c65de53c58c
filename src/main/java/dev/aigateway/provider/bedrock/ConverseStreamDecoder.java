package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.StreamDecoder;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.Map;

/**
 * ConverseStream's event-stream frames as OpenAI chunks: text and reasoning deltas as they come, a tool call's id and
 * name at its {@code contentBlockStart} then its input JSON in pieces, the finish reason at {@code messageStop} and the
 * usage from the {@code metadata} event that follows it. An exception frame fails the stream; a stream that ends
 * without {@code messageStop} was cut.
 */
final class ConverseStreamDecoder implements StreamDecoder {
    private final String model;
    private final BedrockErrors errors;
    private final EventStreamFrames frames = new EventStreamFrames(this::onFrame);
    private final String id = ConverseResponse.newId();
    private final long created = System.currentTimeMillis() / 1000;
    /** Bedrock's content block index of each tool call, to OpenAI's tool call index. */
    private final Map<Integer, Integer> toolIndex = new HashMap<>();
    private ChunkSink sink;
    private boolean started;
    private boolean stopped;

    ConverseStreamDecoder(String model, BedrockErrors errors) {
        this.model = model;
        this.errors = errors;
    }

    @Override
    public void feed(Buffer data, ChunkSink sink) {
        this.sink = sink;
        frames.feed(data);
    }

    @Override
    public void end(ChunkSink sink) {
        if (!stopped || frames.hasPartialFrame()) {
            throw GatewayException.upstream(BedrockProvider.NAME + " stream ended before messageStop: the connection was cut mid-answer.");
        }
    }

    private void onFrame(EventStreamFrames.Frame f) {
        String kind = f.header(":message-type");
        if ("exception".equals(kind) || "error".equals(kind)) {
            JsonNode body = Json.tryParse(f.payload());
            String message = body == null ? f.header(":error-message") : body.path("message").asText(body.path("Message").asText(""));
            String type = "exception".equals(kind) ? f.header(":exception-type") : f.header(":error-code");
            throw errors.fromType(500, type, message == null ? "" : message, null);
        }
        JsonNode ev = Json.tryParse(f.payload());
        if (!(ev instanceof ObjectNode e)) throw GatewayException.upstream(BedrockProvider.NAME + " sent a stream event that is not a JSON object.");
        String type = f.header(":event-type");
        if (type == null) return;
        switch (type) {
            case "messageStart" -> start();
            case "contentBlockStart" -> blockStart(e);
            case "contentBlockDelta" -> blockDelta(e);
            case "messageStop" -> stop(e);
            case "metadata" -> metadata(e);
            default -> { } // contentBlockStop and events added later carry nothing an OpenAI chunk needs
        }
    }

    private void start() {
        if (started) return;
        started = true;
        emit(Json.object().put("role", "assistant").put("content", ""));
    }

    private void blockStart(ObjectNode e) {
        JsonNode use = e.path("start").path("toolUse");
        if (!use.isObject()) return;
        start();
        int index = toolIndex.size();
        toolIndex.put(e.path("contentBlockIndex").asInt(), index);
        ObjectNode call = Json.object();
        call.put("index", index);
        call.put("id", use.path("toolUseId").asText());
        call.put("type", "function");
        call.putObject("function").put("name", use.path("name").asText()).put("arguments", "");
        ObjectNode delta = Json.object();
        delta.putArray("tool_calls").add(call);
        emit(delta);
    }

    private void blockDelta(ObjectNode e) {
        start();
        JsonNode d = e.path("delta");
        if (d.hasNonNull("text")) {
            emit(Json.object().put("content", d.get("text").asText()));
        } else if (d.path("toolUse").isObject()) {
            Integer index = toolIndex.get(e.path("contentBlockIndex").asInt());
            if (index == null) return;
            ObjectNode call = Json.object();
            call.put("index", index);
            call.putObject("function").put("arguments", d.path("toolUse").path("input").asText(""));
            ObjectNode delta = Json.object();
            delta.putArray("tool_calls").add(call);
            emit(delta);
        } else if (d.path("reasoningContent").path("text").isTextual()) {
            emit(Json.object().put("reasoning_content", d.path("reasoningContent").path("text").asText()));
        }
    }

    private void stop(ObjectNode e) {
        start();
        stopped = true;
        ObjectNode c = chunk();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", ConverseResponse.finishReason(e.path("stopReason").asText("")));
        sink.chunk(c);
    }

    private void metadata(ObjectNode e) {
        if (!e.has("usage")) return;
        ObjectNode c = chunk();
        c.putArray("choices");
        c.set("usage", ConverseResponse.usage(e.get("usage")));
        sink.chunk(c);
    }

    private void emit(ObjectNode delta) {
        ObjectNode c = chunk();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("finish_reason");
        sink.chunk(c);
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
