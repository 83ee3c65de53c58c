package dev.aigateway.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny blocking Redis client for tests to look at (and clean up) what a gateway wrote: one connection
 * per command, RESP2 replies as String, Long, List or null.
 */
public final class RedisProbe {
    private final String host;
    private final int port;

    public RedisProbe(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public static RedisProbe shared() {
        return new RedisProbe(Services.REDIS_HOST, Services.REDIS_PORT);
    }

    public Object command(String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(s.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("redis " + args[0] + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public List<String> keys(String pattern) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) command("KEYS", pattern)) out.add((String) o);
        return out;
    }

    /** The sum of the integer values of every key matching the pattern. */
    public long sum(String pattern) {
        long total = 0;
        for (String k : keys(pattern)) {
            Object v = command("GET", k);
            if (v != null) total += Long.parseLong((String) v);
        }
        return total;
    }

    public void deleteAll(String prefix) {
        for (String k : keys(prefix + "*")) command("DEL", k);
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException("redis error: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) yield null;
                byte[] data = in.readNBytes(len);
                in.readNBytes(2);
                yield new String(data, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) yield null;
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(read(in));
                yield items;
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
