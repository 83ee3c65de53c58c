package dev.aigateway.provider.http;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits an NDJSON byte stream (Ollama's native API) into non-blank lines, whatever the TCP split.
 * Works on bytes so a multi-byte character cut between two buffers is never mangled.
 */
public final class LineSplitter {
    private final Consumer<String> onLine;
    private Buffer pending = Buffer.buffer();

    public LineSplitter(Consumer<String> onLine) {
        this.onLine = onLine;
    }

    public void feed(Buffer buffer) {
        pending.appendBuffer(buffer);
        int start = 0;
        int len = pending.length();
        for (int i = 0; i < len; i++) {
            if (pending.getByte(i) == '\n') {
                emit(pending.getString(start, i, StandardCharsets.UTF_8.name()));
                start = i + 1;
            }
        }
        if (start > 0) pending = start == len ? Buffer.buffer() : pending.getBuffer(start, len);
    }

    public void finish() {
        emit(pending.toString(StandardCharsets.UTF_8));
        pending = Buffer.buffer();
    }

    private void emit(String line) {
        String s = line.strip();
        if (!s.isEmpty()) onLine.accept(s);
    }
}
