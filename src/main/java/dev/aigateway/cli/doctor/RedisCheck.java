package dev.aigateway.cli.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Redis answers PING when REDIS_URL is configured (several instances share limits and key revocations through it).
 * A plain socket speaking RESP is enough: AUTH when the URL has a password, then PING, expecting +PONG.
 */
public final class RedisCheck implements Check {
    static final String NAME = "redis";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        String url = ctx.config() != null ? ctx.config().redisUrl() : ctx.settings().get("REDIS_URL");
        if (url == null || url.isBlank()) return List.of(Finding.pass(NAME, "not configured (one instance: limits are kept in memory)"));
        URI u;
        try {
            u = URI.create(url.strip().replaceFirst("^rediss?://", "http://"));
            if (u.getHost() == null) throw new IllegalArgumentException("no host");
        } catch (IllegalArgumentException e) {
            return List.of(Finding.fail(NAME, "REDIS_URL is not a redis://host:port URL", "REDIS_URL=redis://127.0.0.1:6379 in .env"));
        }
        boolean tls = url.strip().startsWith("rediss://");
        int port = u.getPort() > 0 ? u.getPort() : 6379;
        String where = u.getHost() + ":" + port;
        String user = null;
        String password = null;
        if (u.getRawUserInfo() != null) {
            String[] up = u.getRawUserInfo().split(":", 2);
            if (up.length == 2) {
                user = up[0].isEmpty() ? null : URLDecoder.decode(up[0], StandardCharsets.UTF_8);
                password = URLDecoder.decode(up[1], StandardCharsets.UTF_8);
            } else {
                password = URLDecoder.decode(up[0], StandardCharsets.UTF_8);
            }
        }
        try (Socket s = tls ? javax.net.ssl.SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), 2000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            if (password != null) {
                String reply = command(out, in, user == null ? new String[]{"AUTH", password} : new String[]{"AUTH", user, password});
                if (!reply.startsWith("+OK")) {
                    return List.of(Finding.fail(NAME, "Redis at " + where + " refuses the password in REDIS_URL (" + reply.strip() + ")",
                            "correct the password in REDIS_URL in .env (redis://:PASSWORD@" + where + ")"));
                }
            }
            String pong = command(out, in, "PING");
            if (pong.startsWith("+PONG")) return List.of(Finding.pass(NAME, "Redis at " + where + " answers PING"));
            if (pong.contains("NOAUTH")) {
                return List.of(Finding.fail(NAME, "Redis at " + where + " needs a password and REDIS_URL has none",
                        "REDIS_URL=redis://:PASSWORD@" + where + " in .env"));
            }
            return List.of(Finding.fail(NAME, "Redis at " + where + " answered PING with " + pong.strip(), "check REDIS_URL in .env points at Redis"));
        } catch (ConnectException e) {
            return List.of(Finding.fail(NAME, "Redis is not running at " + where + " (connection refused)",
                    "start Redis (sudo systemctl start redis-server), or correct REDIS_URL in .env"));
        } catch (UnknownHostException e) {
            return List.of(Finding.fail(NAME, "the host " + u.getHost() + " in REDIS_URL cannot be resolved", "correct the host in REDIS_URL in .env"));
        } catch (SocketTimeoutException e) {
            return List.of(Finding.fail(NAME, "Redis at " + where + " did not answer in time", "check that Redis runs and no firewall drops the connection (redis-cli -h "
                    + u.getHost() + " -p " + port + " ping)"));
        } catch (IOException e) {
            return List.of(Finding.fail(NAME, "cannot talk to Redis at " + where + ": " + e.getMessage(), "redis-cli -h " + u.getHost() + " -p " + port + " ping"));
        }
    }

    /** Sends one RESP command and reads the first line of the reply. */
    private static String command(OutputStream out, InputStream in, String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') line.append((char) c);
        if (c == -1 && line.isEmpty()) throw new IOException("connection closed");
        return line.toString();
    }
}
