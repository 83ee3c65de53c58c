package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.StreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * InvokeModelWithResponseStream for Claude: each event-stream {@code chunk} frame holds one of Anthropic's stream
 * events, base64-encoded in {@code bytes}. They are rewritten as the SSE events Anthropic's own API sends and handed to
 * the Anthropic decoder ({@code inner}): translated to OpenAI chunks, or passed through to a {@code /v1/messages}
 * client.
 */
final class InvokeStreamDecoder implements StreamDecoder {
    private final StreamDecoder inner;
    private final BedrockErrors errors;
    private final EventStreamFrames frames = new EventStreamFrames(this::onFrame);
    private ChunkSink sink;

    InvokeStreamDecoder(StreamDecoder inner, BedrockErrors errors) {
        this.inner = inner;
        this.errors = errors;
    }

    @Override
    public void start(MultiMap headers, ChunkSink sink) {
        inner.start(headers, sink);
    }

    @Override
    public void feed(Buffer data, ChunkSink sink) {
        this.sink = sink;
        frames.feed(data);
    }

    @Override
    public void end(ChunkSink sink) {
        if (frames.hasPartialFrame()) {
            throw GatewayException.upstream(BedrockProvider.NAME + " stream ended inside a frame: the connection was cut mid-answer.");
        }
        inner.end(sink);
    }

    private void onFrame(EventStreamFrames.Frame f) {
        String kind = f.header(":message-type");
        JsonNode body = Json.tryParse(f.payload());
        if ("exception".equals(kind) || "error".equals(kind)) {
            String message = body == null ? f.header(":error-message") : body.path("message").asText(body.path("Message").asText(""));
            String type = "exception".equals(kind) ? f.header(":exception-type") : f.header(":error-code");
            throw errors.fromType(500, type, message == null ? "" : message, null);
        }
        if (!"chunk".equals(f.header(":event-type")) || body == null || !body.path("bytes").isTextual()) return;
        byte[] event;
        try {
            event = Base64.getDecoder().decode(body.get("bytes").asText());
        } catch (IllegalArgumentException e) {
            throw GatewayException.upstream(BedrockProvider.NAME + " sent a stream chunk that is not base64.");
        }
        JsonNode parsed = Json.tryParse(event);
        String type = parsed == null ? "" : parsed.path("type").asText("");
        if (type.isEmpty() || type.indexOf('\n') >= 0) {
            throw GatewayException.upstream(BedrockProvider.NAME + " sent a stream chunk that is not an Anthropic event.");
        }
        // Re-serialised compact: one data line whatever whitespace the event came with.
        Buffer sse = Buffer.buffer("event: " + type + "\ndata: ").appendBytes(Json.toBytes(parsed)).appendString("\n\n", StandardCharsets.UTF_8.name());
        inner.feed(sse, sink);
    }
}
