package dev.aigateway.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A redis-server of the test's own, on a free loopback port, that the test may kill and restart (never the
 * shared one on 6379). Started without persistence, so a restart comes back empty, like a lost Redis.
 */
public final class PrivateRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private PrivateRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts one, or skips the test loudly when there is no redis-server binary. */
    public static PrivateRedis start() {
        String binary = binary();
        if (binary == null) System.err.println("SKIPPED: no redis-server binary on this machine (apt-get install redis-server)");
        Assumptions.assumeTrue(binary != null, "SKIPPED: no redis-server binary on this machine (apt-get install redis-server)");
        try {
            PrivateRedis r = new PrivateRedis(TestGateway.freePort(), Files.createTempDirectory("private-redis"));
            r.up();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on the same port and waits until it answers. */
    public synchronized void up() {
        if (process != null && process.isAlive()) return;
        try {
            process = new ProcessBuilder(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--enable-debug-command", "yes"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Services.redisAnswers("127.0.0.1", port)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("private redis-server did not start on port " + port);
            sleep(20);
        }
    }

    /** Kills the server (SIGKILL, like a crash) and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static String binary() {
        for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(p).canExecute()) return p;
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
