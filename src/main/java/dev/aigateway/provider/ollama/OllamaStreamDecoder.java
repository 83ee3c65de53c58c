package dev.aigateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.LineSplitter;
import dev.aigateway.provider.http.StreamDecoder;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Ollama's NDJSON chat stream to OpenAI chunks. Each line is {@code {message:{content|thinking|tool_calls}, done:false}};
 * the last is {@code {done:true, done_reason, prompt_eval_count, eval_count}} and becomes the finish chunk plus the
 * usage chunk. An {@code {"error": ...}} line is Ollama reporting a failure after the 200 was sent.
 */
final class OllamaStreamDecoder implements StreamDecoder {
    private final String deploymentModel;
    private final String id = OllamaResponseTranslator.newId();
    private final LineSplitter lines = new LineSplitter(this::onLine);
    private ChunkSink sink;
    private long created;
    private String model;
    private boolean roleSent;
    private int toolCalls;
    private boolean done;

    OllamaStreamDecoder(String deploymentModel) {
        this.deploymentModel = deploymentModel;
    }

    @Override
    public void feed(Buffer data, ChunkSink sink) {
        this.sink = sink;
        lines.feed(data);
    }

    @Override
    public void end(ChunkSink sink) {
        this.sink = sink;
        lines.finish();
        if (!done) {
            throw GatewayException.upstream("ollama stream ended without its final done:true line: the connection was cut mid-answer.");
        }
    }

    private void onLine(String line) {
        if (done) return;
        JsonNode n = Json.tryParse(line.getBytes(StandardCharsets.UTF_8));
        if (!(n instanceof ObjectNode obj)) {
            throw GatewayException.upstream("ollama sent a stream line that is not JSON.");
        }
        if (obj.hasNonNull("error")) {
            JsonNode err = obj.get("error");
            throw GatewayException.upstream("ollama stream error: " + (err.isObject() ? err.path("message").asText() : err.asText()));
        }
        if (model == null) {
            model = OllamaResponseTranslator.model(obj, deploymentModel);
            created = OllamaResponseTranslator.created(obj);
        }
        ObjectNode delta = delta(obj.path("message"));
        if (!delta.isEmpty() || !roleSent) emit(delta, null);
        if (obj.path("done").asBoolean(false)) {
            done = true;
            emit(Json.object(), OllamaResponseTranslator.finishReason(obj.path("done_reason").asText(""), toolCalls > 0));
            ObjectNode usage = chunk();
            usage.putArray("choices");
            usage.set("usage", OllamaResponseTranslator.usage(obj));
            sink.chunk(usage);
        }
    }

    private ObjectNode delta(JsonNode message) {
        ObjectNode delta = Json.object();
        String thinking = message.path("thinking").asText("");
        if (!thinking.isEmpty()) delta.put("reasoning_content", thinking);
        String content = message.path("content").asText("");
        if (!content.isEmpty()) delta.put("content", content);
        ArrayNode calls = OllamaResponseTranslator.toolCalls(message.get("tool_calls"), toolCalls, true);
        if (calls != null) {
            // Ollama sends each call whole, so one delta carries its name and complete arguments.
            delta.set("tool_calls", calls);
            toolCalls += calls.size();
        }
        return delta;
    }

    private void emit(ObjectNode delta, String finishReason) {
        if (!roleSent) {
            ObjectNode withRole = Json.object().put("role", "assistant");
            if (!delta.has("content") && !delta.has("tool_calls")) withRole.put("content", "");
            withRole.setAll(delta);
            delta = withRole;
            roleSent = true;
        }
        ObjectNode c = chunk();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
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
