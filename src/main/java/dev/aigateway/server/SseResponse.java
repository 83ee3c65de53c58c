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
    /** Whether the upstream's own events are passed through (not written by a translation). */
    private boolean passingThrough;
    /** A passed-through stream's final event(s), held back until the request is settled. */
    private Buffer held;

    public SseResponse(RequestContext ctx) {
        this.ctx = ctx;
        this.response = ctx.response();
    }

    public void write(Buffer event) {
        if (response.closed() || response.ended()) return;
        startIfNeeded();
        response.write(event);
    }

    /** A header for the stream's head; ignored once the head went out. */
    public void header(String name, String value) {
        if (!headersSent) Responses.putSafely(response, name, value);
    }

    /**
     * One of a passed-through stream's events, as the upstream's bytes came. The event that ends the answer for the
     * client ({@code last}: Anthropic's message_stop, the Responses API's response.completed) is held, with anything
     * after it, until {@link #end} (a client's next request must not meet this one's budget hold).
     */
    public void passThrough(Buffer event, boolean last) {
        passingThrough = true;
        if (last) held = held == null ? event : held.appendBuffer(event);
        else if (held != null) held.appendBuffer(event); // nothing overtakes the held end
        else write(event);
    }

    /** Whether the stream is the upstream's own events ({@link #passThrough}). */
    public boolean passingThrough() {
        return passingThrough;
    }

    /** A passed-through stream's held final event(s), or null. */
    public Buffer held() {
        return held;
    }

    /** Whether the client is gone (what is written goes nowhere). */
    public boolean clientGone() {
        return response.closed();
    }

    /** Ends the stream with a last event; {@code status} is what accounting and the access log record. */
    public void end(Buffer last, int status, String errorType) {
        end(() -> {}, last, status, errorType);
    }

    /**
     * Ends the stream: settles the request's admission, then writes {@code lastEvents} and {@code last}, so the
     * events a client treats as the end ({@code [DONE]}, {@code message_stop}) go out only once the request's hold
     * is released. {@code status} is what accounting and the access log record; a client already gone makes it 499.
     */
    public void end(Runnable lastEvents, Buffer last, int status, String errorType) {
        if (ended) return;
        ended = true;
        if (response.closed()) {
            ctx.finish(499, "client_closed_request");
            return;
        }
        ctx.settleThen(() -> {
            if (response.closed()) {
                ctx.finish(499, "client_closed_request");
                return;
            }
            startIfNeeded();
            lastEvents.run();
            if (last == null) response.end();
            else response.end(last);
            ctx.finish(status, errorType);
        });
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
        // a stream passed through as bytes (speech audio) keeps the content-type its upstream gave it
        if (!response.headers().contains("content-type")) response.putHeader("content-type", "text/event-stream; charset=utf-8");
        response.setStatusCode(200)
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no") // tell Nginx not to buffer the stream
                .setChunked(true);
    }
}
