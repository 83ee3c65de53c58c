package dev.aigateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * A client that walks away: it sends one HTTP/1.1 request over a plain socket and closes the connection when it
 * decides to (after some of a stream, or before a slow answer), the way a user closes a tab. Tests use it to check
 * what a gateway books for answers nobody read to the end.
 */
public final class LeavingClient {
    private LeavingClient() {}

    /**
     * Posts {@code body} to {@code path} and reads the answer until {@code leaveWhen} holds for what arrived so far
     * (raw bytes as text: headers, chunk sizes, events), then closes the connection. Returns what arrived; if the
     * answer ends before the condition holds, returns it whole (the client never left).
     */
    public static Result postAndLeave(String baseUrl, String path, String key, String requestId, String body,
                                      Predicate<String> leaveWhen, long timeoutMs) {
        URI u = URI.create(baseUrl);
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort() + "\r\n"
                + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n"
                + "x-request-id: " + requestId + "\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
        StringBuilder got = new StringBuilder();
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 2_000);
            s.setSoTimeout(50);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            while (System.currentTimeMillis() < deadline) {
                if (leaveWhen.test(got.toString())) {
                    s.setSoLinger(true, 0); // a reset, as a browser tab or a killed process leaves
                    return new Result(got.toString(), true);
                }
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                if (n < 0) return new Result(got.toString(), false);
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            throw new IllegalStateException("no answer within " + timeoutMs + " ms; got: " + got);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What arrived, and whether the client left before the end. */
    public record Result(String received, boolean left) {
        /** Occurrences of {@code needle} in what arrived. */
        public int count(String needle) {
            return occurrences(received, needle);
        }
    }

    public static int occurrences(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) n++;
        return n;
    }
}
