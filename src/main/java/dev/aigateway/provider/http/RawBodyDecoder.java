package dev.aigateway.provider.http;

import dev.aigateway.provider.ChunkSink;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * An upstream answer that is not events but bytes (the audio of {@code /v1/audio/speech}): each buffer goes to the sink
 * as it came ({@link ChunkSink#passThrough}), with the upstream's {@code content-type}, so the client gets the bytes
 * with the upstream's back-pressure. There is nothing to meter in it: the route bills what was asked.
 */
public final class RawBodyDecoder implements StreamDecoder {
    @Override
    public void start(MultiMap headers, ChunkSink sink) {
        MultiMap forwarded = MultiMap.caseInsensitiveMultiMap();
        String type = headers.get("content-type");
        if (type != null) forwarded.set("content-type", type);
        sink.upstreamHeaders(forwarded);
    }

    @Override
    public void feed(Buffer data, ChunkSink sink) {
        sink.passThrough(data, false);
    }

    @Override
    public void end(ChunkSink sink) {
        // the upstream ended its body: Upstream ends the sink
    }
}
