package dev.aigateway.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately dumb HTTP/1.1 client over a plain socket: it writes exactly the bytes a {@link Request} describes
 * (any method, any target, header values with control characters or non-ASCII, a Content-Length that lies, broken
 * chunked framing), which {@code java.net.http} refuses to send, then reads one answer with a hard deadline.
 */
public final class RawExchange {
    private RawExchange() {}

    /** How the body is framed on the wire. */
    public enum Framing { LENGTH, DECLARE_MORE, DECLARE_LESS, CHUNKED, BAD_CHUNKED, NONE }

    public record Header(String name, String value) {}

    public record Request(String method, String target, List<Header> headers, byte[] body, Framing framing) {
        public byte[] toBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 512);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1\r\n");
            for (Header h : headers) head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            switch (framing) {
                case LENGTH -> head.append("Content-Length: ").append(body.length).append("\r\n");
                case DECLARE_MORE -> head.append("Content-Length: ").append(body.length + 17).append("\r\n");
                case DECLARE_LESS -> head.append("Content-Length: ").append(Math.max(0, body.length / 2)).append("\r\n");
                case CHUNKED, BAD_CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
                case NONE -> { }
            }
            head.append("Connection: close\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            switch (framing) {
                case CHUNKED -> {
                    int at = 0;
                    while (at < body.length) {
                        int n = Math.min(8192, body.length - at);
                        out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, at, n);
                        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                        at += n;
                    }
                    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                case BAD_CHUNKED -> {
                    // a size that is not hex, then a size larger than what follows, then no terminator
                    out.writeBytes(("zz\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes((Integer.toHexString(body.length + 100) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(body);
                }
                default -> out.writeBytes(body);
            }
            return out.toByteArray();
        }

        public String header(String name) {
            for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
            return null;
        }

        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
    }

    /** One answer; {@code status} is -1 when none came ({@code failure} says why). */
    public record Response(int status, List<Header> headers, byte[] body, long millis, String failure) {
        public String header(String name) {
            for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String headerText() {
            StringBuilder b = new StringBuilder();
            for (Header h : headers) b.append(h.name()).append(": ").append(h.value()).append('\n');
            return b.toString();
        }

        public boolean timedOut() {
            return failure != null && failure.startsWith("timeout");
        }
    }

    public static Response exchange(int port, Request request, long timeoutMs) {
        return exchange(port, request.toBytes(), request.method().equalsIgnoreCase("HEAD"),
                request.framing() == Framing.DECLARE_MORE || request.framing() == Framing.BAD_CHUNKED, timeoutMs);
    }

    /**
     * @param halfClose shut our side after writing: a body that promises more than it sends would otherwise leave both
     *                  sides waiting (the gateway for the rest, this client for an answer)
     */
    public static Response exchange(int port, byte[] bytes, boolean head, boolean halfClose, long timeoutMs) {
        long start = System.nanoTime();
        long deadline = start + timeoutMs * 1_000_000L;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) Math.min(timeoutMs, 10_000));
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                if (halfClose) s.shutdownOutput();
            } catch (IOException writeFailed) {
                // the gateway may answer (413, 400) and close before it has read everything: read that answer
            }
            return read(s, head, start, deadline);
        } catch (IOException e) {
            return new Response(-1, List.of(), new byte[0], elapsed(start), "io: " + e);
        }
    }

    static Response read(Socket s, boolean head, long start, long deadline) throws IOException {
        Reader in = new Reader(s, deadline);
        try {
            String statusLine = in.line();
            if (statusLine == null) return new Response(-1, List.of(), new byte[0], elapsed(start), "closed without an answer");
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            List<Header> headers = new ArrayList<>();
            String line;
            while ((line = in.line()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                headers.add(colon < 0 ? new Header(line, "") : new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
            }
            Response partial = new Response(status, headers, new byte[0], 0, null);
            byte[] body;
            String te = partial.header("transfer-encoding");
            String cl = partial.header("content-length");
            if (head || status == 204 || status == 304 || status / 100 == 1) body = new byte[0];
            else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) body = in.chunked();
            else if (cl != null) body = in.exactly(Integer.parseInt(cl.strip()));
            else body = in.rest();
            return new Response(status, headers, body, elapsed(start), null);
        } catch (SocketTimeoutException e) {
            return new Response(-1, List.of(), new byte[0], elapsed(start), "timeout after " + elapsed(start) + " ms");
        } catch (RuntimeException e) {
            return new Response(-1, List.of(), new byte[0], elapsed(start), "unreadable answer: " + e);
        }
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Buffered reads against one deadline for the whole answer. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buf = new byte[16384];
        private int pos;
        private int lim;

        Reader(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        private boolean fill() throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) throw new SocketTimeoutException("deadline");
            socket.setSoTimeout((int) Math.max(1, left));
            int n = in.read(buf, 0, buf.length);
            if (n < 0) return false;
            pos = 0;
            lim = n;
            return true;
        }

        int read() throws IOException {
            if (pos >= lim && !fill()) return -1;
            return buf[pos++] & 0xFF;
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            boolean any = false;
            while ((c = read()) >= 0) {
                any = true;
                if (c == '\n') break;
                if (c != '\r') b.write(c);
            }
            if (!any) return null;
            return b.toString(StandardCharsets.UTF_8);
        }

        byte[] exactly(int n) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(Math.min(n, 1 << 20));
            for (int i = 0; i < n; i++) {
                int c = read();
                if (c < 0) throw new IllegalStateException("answer ended after " + i + " of " + n + " body bytes");
                b.write(c);
            }
            return b.toByteArray();
        }

        byte[] chunked() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                if (size == null) throw new IllegalStateException("chunked answer cut before its last chunk");
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (n == 0) {
                    String trailer;
                    while ((trailer = line()) != null && !trailer.isEmpty()) { /* trailers */ }
                    return b.toByteArray();
                }
                b.writeBytes(exactly(n));
                line();
            }
        }

        byte[] rest() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = read()) >= 0) b.write(c);
            return b.toByteArray();
        }
    }
}
