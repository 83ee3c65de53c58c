package dev.aigateway.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.SseResponse;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Writes OpenAI chunks to the client as Server-Sent Events ({@code data: {...}} then {@code data: [DONE]}).
 * The gateway always asks providers for usage; when the client did not ask for it, the usage is taken
 * for accounting and removed from what the client sees. A stream that breaks after it started ends
 * with an error event and {@code [DONE]}, so clients stop waiting.
 */
public final class SseChatWriter implements ChunkSink {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END_EVENT = "\n\n".getBytes(StandardCharsets.UTF_8);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final SseResponse out;
    private final boolean clientWantsUsage;
    private ObjectNode usage;

    public SseChatWriter(RequestContext ctx, boolean clientWantsUsage) {
        this.out = new SseResponse(ctx);
        this.clientWantsUsage = clientWantsUsage;
    }

    /** The last usage the provider reported, or null. */
    public ObjectNode usage() {
        return usage;
    }

    @Override
    public void chunk(ObjectNode chunk) {
        if (out.ended() || out.clientGone()) return;
        JsonNode u = chunk.get("usage");
        if (u instanceof ObjectNode uo) {
            usage = uo;
            if (!clientWantsUsage) {
                JsonNode choices = chunk.get("choices");
                if (choices == null || choices.isEmpty()) return; // usage-only chunk the client did not ask for
                chunk.remove("usage");
            }
        } else if (u != null && u.isNull() && !clientWantsUsage) {
            chunk.remove("usage");
        }
        out.write(event(chunk));
    }

    private static Buffer event(ObjectNode json) {
        return Buffer.buffer(256).appendBytes(DATA).appendBytes(Json.toBytes(json)).appendBytes(END_EVENT);
    }

    @Override
    public void end() {
        out.end(DONE, 200, null);
    }

    @Override
    public void fail(GatewayException error) {
        if (out.ended()) return;
        out.end(() -> out.write(event(error.toJson())), DONE, error.status(), error.type());
    }

    @Override
    public boolean writeQueueFull() {
        return out.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable onDrain) {
        out.drainHandler(onDrain);
    }
}
