package dev.aigateway.provider.anthropic;

import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.StreamDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * An Anthropic stream passed through: the upstream's bytes are cut at event boundaries (a blank line) and each event
 * goes to the sink as it came, then to an {@link AnthropicStreamDecoder} that only meters it (usage from
 * message_start and message_delta, the text so far, the finish, error events). Nothing is re-serialised: the client
 * gets the upstream's bytes, in the same order, concatenated exactly.
 */
final class PassThroughDecoder implements StreamDecoder {
    private static final byte[] MESSAGE_STOP = "message_stop".getBytes(StandardCharsets.US_ASCII);
    /** How far into an event its {@code event:} line is looked for (the name comes first in Anthropic's events). */
    private static final int NAME_SCAN = 32;

    private final AnthropicStreamDecoder meter;
    private Buffer pending = Buffer.buffer();
    /** Where the search for the next boundary resumes in {@link #pending}. */
    private int scanned;

    PassThroughDecoder(AnthropicStreamDecoder meter) {
        this.meter = meter;
    }

    @Override
    public void start(MultiMap headers, ChunkSink sink) {
        sink.upstreamHeaders(AnthropicResponseHeaders.forwarded(headers));
    }

    @Override
    public void feed(Buffer data, ChunkSink sink) {
        pending.appendBuffer(data);
        int start = 0;
        int len = pending.length();
        for (int i = Math.max(scanned, 1); i < len; i++) {
            if (pending.getByte(i) != '\n') continue;
            byte prev = pending.getByte(i - 1);
            boolean boundary = prev == '\n' || prev == '\r' && i >= 2 && pending.getByte(i - 2) == '\n';
            if (!boundary) continue;
            emit(pending.getBuffer(start, i + 1), sink);
            start = i + 1;
        }
        if (start > 0) pending = pending.getBuffer(start, len);
        scanned = pending.length();
    }

    @Override
    public void end(ChunkSink sink) {
        if (pending.length() > 0) emit(pending, sink); // an unterminated last event still reaches the client as sent
        pending = Buffer.buffer();
        meter.end(sink);
    }

    private void emit(Buffer event, ChunkSink sink) {
        sink.passThrough(event, isMessageStop(event));
        meter.feed(event, sink);
    }

    /** {@code event: message_stop}: the event a client reads as the end of the answer. */
    private static boolean isMessageStop(Buffer event) {
        int n = Math.min(event.length(), NAME_SCAN);
        outer:
        for (int i = 0; i + MESSAGE_STOP.length <= n; i++) {
            for (int j = 0; j < MESSAGE_STOP.length; j++) {
                if (event.getByte(i + j) != MESSAGE_STOP[j]) continue outer;
            }
            return true;
        }
        return false;
    }
}
