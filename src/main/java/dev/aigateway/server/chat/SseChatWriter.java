package dev.aigateway.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.error.GatewayException;
import dev.aigateway.json.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

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

    private final RequestContext ctx;
    private final HttpServerResponse response;
    private final boolean clientWantsUsage;
    private boolean headersSent;
    private boolean finished;
    private ObjectNode usage;

    public SseChatWriter(RequestContext ctx, boolean clientWantsUsage) {
        this.ctx = ctx;
        this.response = ctx.response;
        this.clientWantsUsage = clientWantsUsage;
    }

    /** The last usage the provider reported, or null. */
    public ObjectNode usage() {
        return usage;
    }

    @Override
    public void chunk(ObjectNode chunk) {
        if (finished) return;
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
        write(chunk);
    }

    private void write(ObjectNode event) {
        startIfNeeded();
        if (response.closed()) return;
        Buffer b = Buffer.buffer(256).appendBytes(DATA).appendBytes(Json.toBytes(event)).appendBytes(END_EVENT);
        response.write(b);
    }

    private void startIfNeeded() {
        if (headersSent) return;
        headersSent = true;
        ctx.upstreamAnswered();
        Responses.gatewayHeaders(ctx);
        response.setStatusCode(200)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no")
                .setChunked(true);
    }

    @Override
    public void end() {
        if (finished) return;
        finished = true;
        startIfNeeded();
        if (!response.closed()) response.end(DONE);
        Responses.log(ctx, 200);
    }

    @Override
    public void fail(GatewayException error) {
        if (finished) return;
        write(error.toJson());
        finished = true;
        if (!response.closed()) response.end(DONE);
        Responses.log(ctx, error.status());
    }

    @Override
    public boolean writeQueueFull() {
        return !response.closed() && response.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable onDrain) {
        response.drainHandler(v -> onDrain.run());
    }
}
