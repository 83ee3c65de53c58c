package dev.aigateway.server;

import dev.aigateway.governance.Principal;
import dev.aigateway.provider.Cancellation;
import dev.aigateway.router.Deployment;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request's state as it moves through the pipeline. Confined to the request's event loop.
 * Timing is kept so the gateway can report its own overhead: total time minus time spent waiting
 * for the upstream.
 */
public final class RequestContext {
    public final HttpServerRequest request;
    public final HttpServerResponse response;
    public final String requestId;
    public final long startNanos = System.nanoTime();
    public final Cancellation cancel = new Cancellation();

    public Principal principal;
    public String modelName;
    public Deployment deployment;
    private long upstreamStartNanos;
    private long upstreamNanos;

    RequestContext(HttpServerRequest request, String requestId) {
        this.request = request;
        this.response = request.response();
        this.requestId = requestId;
    }

    /** Marks the start of the wait for the upstream. */
    public void upstreamStarted() {
        upstreamStartNanos = System.nanoTime();
    }

    /** Marks the end of the wait (answer, or first streamed byte). Only the first call counts. */
    public void upstreamAnswered() {
        if (upstreamStartNanos != 0 && upstreamNanos == 0) upstreamNanos = Math.max(1, System.nanoTime() - upstreamStartNanos);
    }

    /** Time spent in the gateway itself so far, in milliseconds. */
    public double overheadMillis() {
        long total = System.nanoTime() - startNanos;
        long own = upstreamStartNanos == 0 ? total : total - (upstreamNanos == 0 ? System.nanoTime() - upstreamStartNanos : upstreamNanos);
        return Math.max(0, own) / 1_000_000.0;
    }

    public double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }
}
