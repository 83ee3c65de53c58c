package dev.aigateway.server;

import dev.aigateway.provider.ChunkSink;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The client's side of a stream on a route that passes a same-API upstream through ({@code /v1/messages},
 * {@code /v1/responses}): the upstream's headers and events go to the client as they came ({@link SseResponse}
 * holds the final one), with back-pressure; a route adds how a translated stream is written and how it ends.
 */
public abstract class ClientStreamSink implements ChunkSink {
    protected final SseResponse out;

    protected ClientStreamSink(SseResponse out) {
        this.out = out;
    }

    @Override
    public void upstreamHeaders(MultiMap headers) {
        headers.forEach(out::header);
    }

    @Override
    public void passThrough(Buffer event, boolean last) {
        out.passThrough(event, last);
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
