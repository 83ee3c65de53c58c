package dev.aigateway.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The machine's real PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379) for tests. A test
 * that needs one and finds it down is skipped LOUDLY: an assumption with the reason, and a line on stderr.
 */
public final class Services {
    public static final String REDIS_HOST = "127.0.0.1";
    public static final int REDIS_PORT = 6379;
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

    private Services() {}

    public static void requireRedis() {
        require(redisAnswers(REDIS_HOST, REDIS_PORT), "Redis is not reachable at 127.0.0.1:6379 (start it: redis-server --daemonize yes --port 6379 --save '')");
    }

    public static void requirePostgres() {
        boolean up;
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", null)) {
            up = c.isValid(2);
        } catch (SQLException e) {
            up = false;
        }
        require(up, "PostgreSQL is not reachable at 127.0.0.1:5432 (start it: pg_ctlcluster <version> main start)");
    }

    private static void require(boolean available, String reason) {
        if (!available) {
            System.err.println("SKIPPED (" + Thread.currentThread().getStackTrace()[3].getClassName() + "): " + reason);
        }
        Assumptions.assumeTrue(available, "SKIPPED: " + reason);
    }

    /** Sends PING over a plain socket: true if Redis answers +PONG. */
    public static boolean redisAnswers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates a fresh PostgreSQL database and returns its name. */
    public static String createPostgresDatabase(String what) {
        String name = "gw_" + what + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        admin("CREATE DATABASE " + name);
        return name;
    }

    public static void dropPostgresDatabase(String name) {
        if (name != null) admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static String postgresUrl(String database) {
        return "postgresql://postgres@127.0.0.1:5432/" + database;
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", null); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
