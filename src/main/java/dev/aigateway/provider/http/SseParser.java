package dev.aigateway.provider.http;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Incremental Server-Sent Events parser: bytes in any split, events out. Handles LF and CRLF line ends,
 * multi-line {@code data:}, comments ({@code :ping}) and the optional space after the colon. Only the
 * fields a provider stream uses ({@code event}, {@code data}) are kept.
 */
public final class SseParser {

    /** Receives one complete event; {@code event} is null when the stream did not name it. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(String event, String data);
    }

    private final Listener listener;
    private byte[] pending = new byte[0];
    private String event;
    private StringBuilder data;

    public SseParser(Listener listener) {
        this.listener = listener;
    }

    public void feed(Buffer buffer) {
        byte[] bytes = buffer.getBytes();
        byte[] all;
        if (pending.length == 0) {
            all = bytes;
        } else {
            all = new byte[pending.length + bytes.length];
            System.arraycopy(pending, 0, all, 0, pending.length);
            System.arraycopy(bytes, 0, all, pending.length, bytes.length);
        }
        int lineStart = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                int end = i > lineStart && all[i - 1] == '\r' ? i - 1 : i;
                line(new String(all, lineStart, end - lineStart, StandardCharsets.UTF_8));
                lineStart = i + 1;
            }
        }
        pending = lineStart == all.length ? new byte[0] : java.util.Arrays.copyOfRange(all, lineStart, all.length);
    }

    /** Dispatches an event left unterminated at the end of the stream (some servers omit the final blank line). */
    public void finish() {
        if (pending.length > 0) {
            line(new String(pending, StandardCharsets.UTF_8).stripTrailing());
            pending = new byte[0];
        }
        line("");
    }

    private void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                listener.onEvent(event, data.toString());
            }
            event = null;
            data = null;
            return;
        }
        if (line.charAt(0) == ':') return; // comment / keep-alive
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "event" -> event = value;
            case "data" -> {
                if (data == null) data = new StringBuilder(value.length());
                else data.append('\n');
                data.append(value);
            }
            default -> { /* id, retry: not needed */ }
        }
    }
}
