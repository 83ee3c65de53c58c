package dev.aigateway.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The client side of a stream: sends the event-stream headers with the first bytes (so the gateway's
 * headers carry the time to first byte), writes events, and exposes the response's back-pressure to
 * whoever feeds it. The API-specific framing (OpenAI's {@code data:} lines, Anthropic's named events)
 * is done by the caller.
 */
public final class SseResponse {
    private final RequestContext ctx;
    private final HttpServerResponse response;
    private boolean headersSent;
    private boolean ended;

    public SseResponse(RequestContext ctx) {
        this.ctx = ctx;
        this.response = ctx.response;
    }

    public void write(Buffer event) {
        startIfNeeded();
        if (!ended && !response.closed()) response.write(event);
    }

    /** Ends the stream with a last event; {@code status} is what accounting and the access log record. */
    public void end(Buffer last, int status, String errorType) {
        if (ended) return;
        startIfNeeded();
        ended = true;
        if (!response.closed()) {
            if (last == null) response.end();
            else response.end(last);
        }
        ctx.finish(status, errorType);
    }

    public boolean ended() {
        return ended;
    }

    public boolean writeQueueFull() {
        return !response.closed() && response.writeQueueFull();
    }

    public void drainHandler(Runnable onDrain) {
        response.drainHandler(v -> onDrain.run());
    }

    private void startIfNeeded() {
        if (headersSent) return;
        headersSent = true;
        ctx.upstreamAnswered();
        Responses.gatewayHeaders(ctx);
        response.setStatusCode(200)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no") // tell Nginx not to buffer the stream
                .setChunked(true);
    }
}
