package dev.aigateway.provider.http;

import dev.aigateway.provider.ChunkSink;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Translates one upstream stream (SSE or NDJSON bytes, in whatever pieces TCP delivers them) into OpenAI
 * chunks. One instance per request. Both methods may throw {@link dev.aigateway.core.GatewayException}:
 * {@code feed} for an error event inside the stream, {@code end} when the upstream stopped before the
 * stream's proper end (a cut connection must never look like a finished answer).
 */
public interface StreamDecoder {

    /** The upstream answered 2xx with these headers; called once, before the first {@link #feed}. */
    default void start(MultiMap headers, ChunkSink sink) {}

    void feed(Buffer data, ChunkSink sink);

    void end(ChunkSink sink);
}
