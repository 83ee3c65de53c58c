package dev.aigateway.provider.bedrock;

import dev.aigateway.core.GatewayException;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * AWS's event-stream framing ({@code application/vnd.amazon.eventstream}), decoded as bytes arrive: each frame is a
 * 12-byte prelude (total length, headers length, CRC32 of those 8 bytes), headers, payload and a CRC32 of all before
 * it. Frames split across buffers wait for their rest; both CRCs are checked, so a corrupted or cut stream fails
 * instead of yielding garbage. String headers only are kept ({@code :message-type}, {@code :event-type},
 * {@code :exception-type}...), which is all Bedrock's streams use.
 */
final class EventStreamFrames {
    /** AWS's own limit on one frame. */
    static final int MAX_FRAME = 16 * 1024 * 1024;
    private static final int PRELUDE = 12;
    private static final int MIN_FRAME = PRELUDE + 4;

    /** One decoded frame. */
    record Frame(Map<String, String> headers, byte[] payload) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final Consumer<Frame> onFrame;
    private Buffer pending = Buffer.buffer();

    EventStreamFrames(Consumer<Frame> onFrame) {
        this.onFrame = onFrame;
    }

    void feed(Buffer data) {
        pending.appendBuffer(data);
        int at = 0;
        while (pending.length() - at >= PRELUDE) {
            long total = Integer.toUnsignedLong(pending.getInt(at));
            long headersLength = Integer.toUnsignedLong(pending.getInt(at + 4));
            if (crc(pending, at, 8) != Integer.toUnsignedLong(pending.getInt(at + 8))) {
                throw broken("a frame's prelude CRC does not match");
            }
            if (total < MIN_FRAME || total > MAX_FRAME || headersLength > total - MIN_FRAME) {
                throw broken("a frame's length is out of bounds (" + total + " bytes)");
            }
            if (pending.length() - at < total) break;
            int end = at + (int) total;
            if (crc(pending, at, (int) total - 4) != Integer.toUnsignedLong(pending.getInt(end - 4))) {
                throw broken("a frame's message CRC does not match");
            }
            int headersStart = at + PRELUDE;
            int payloadStart = headersStart + (int) headersLength;
            Map<String, String> headers = headers(pending, headersStart, payloadStart);
            onFrame.accept(new Frame(headers, pending.getBytes(payloadStart, end - 4)));
            at = end;
        }
        if (at > 0) pending = pending.getBuffer(at, pending.length());
    }

    /** Whether bytes of an unfinished frame are left (the stream was cut mid-frame). */
    boolean hasPartialFrame() {
        return pending.length() > 0;
    }

    private static Map<String, String> headers(Buffer b, int from, int to) {
        Map<String, String> out = new HashMap<>();
        int p = from;
        while (p < to) {
            int nameLength = b.getUnsignedByte(p++);
            if (p + nameLength + 1 > to) throw broken("a header runs past its frame");
            String name = b.getString(p, p + nameLength, "UTF-8");
            p += nameLength;
            int type = b.getByte(p++);
            int size = switch (type) {
                case 0, 1 -> 0;
                case 2 -> 1;
                case 3 -> 2;
                case 4 -> 4;
                case 5, 8 -> 8;
                case 9 -> 16;
                case 6, 7 -> {
                    if (p + 2 > to) throw broken("a header runs past its frame");
                    int n = b.getUnsignedShort(p);
                    p += 2;
                    yield n;
                }
                default -> throw broken("unknown header type " + type);
            };
            if (p + size > to) throw broken("a header runs past its frame");
            if (type == 7) out.put(name, new String(b.getBytes(p, p + size), StandardCharsets.UTF_8));
            p += size;
        }
        return out;
    }

    static long crc(Buffer b, int from, int length) {
        CRC32 c = new CRC32();
        c.update(b.getBytes(from, from + length));
        return c.getValue();
    }

    private static GatewayException broken(String what) {
        return GatewayException.upstream(BedrockProvider.NAME + " sent a broken event stream: " + what + ".");
    }
}
