package dev.aigateway.provider.http;

import dev.aigateway.provider.ChunkSink;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A stream passed through in the route's own API (Anthropic's Messages, OpenAI's Responses): the upstream's bytes are
 * cut at event boundaries (a blank line) and each event goes to the sink as it came, then to a decoder that only
 * meters it (usage, the text so far, the finish, error events). Nothing is re-serialised: the client gets the
 * upstream's bytes, in the same order, concatenated exactly.
 */
public final class PassThroughDecoder implements StreamDecoder {
    /** How far into an event its name is looked for (the {@code event:} line comes first in both APIs' events). */
    private static final int NAME_SCAN = 40;

    private final StreamDecoder meter;
    private final List<byte[]> lastEvents;
    private final UnaryOperator<MultiMap> forwardedHeaders;
    private Buffer pending = Buffer.buffer();
    /** Where the search for the next boundary resumes in {@link #pending}. */
    private int scanned;

    /**
     * @param meter            meters the events (its chunks are not meant for the client)
     * @param lastEvents       names of the events a client reads as the end of the answer ({@code message_stop},
     *                         {@code response.completed}): passed on marked {@code last}, so the sink may hold them
     *                         until the request is settled
     * @param forwardedHeaders the upstream's response headers the client gets too
     */
    public PassThroughDecoder(StreamDecoder meter, List<String> lastEvents, UnaryOperator<MultiMap> forwardedHeaders) {
        this.meter = meter;
        this.lastEvents = lastEvents.stream().map(n -> ("event: " + n).getBytes(StandardCharsets.US_ASCII)).toList();
        this.forwardedHeaders = forwardedHeaders;
    }

    @Override
    public void start(MultiMap headers, ChunkSink sink) {
        sink.upstreamHeaders(forwardedHeaders.apply(headers));
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
        sink.passThrough(event, isLast(event));
        meter.feed(event, sink);
    }

    private boolean isLast(Buffer event) {
        for (byte[] name : lastEvents) if (startsNear(event, name)) return true;
        return false;
    }

    /** Whether {@code name} occurs in the event's first bytes (where its {@code event:} line is). */
    private static boolean startsNear(Buffer event, byte[] name) {
        int n = Math.min(event.length(), NAME_SCAN);
        outer:
        for (int i = 0; i + name.length <= n; i++) {
            for (int j = 0; j < name.length; j++) {
                if (event.getByte(i + j) != name[j]) continue outer;
            }
            // the whole name: "event: response.completed", not a longer name that starts with it
            int after = i + name.length;
            if (after < event.length() && event.getByte(after) != '\n' && event.getByte(after) != '\r') continue;
            return true;
        }
        return false;
    }
}
