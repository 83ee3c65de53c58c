package dev.aigateway.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of a test's own (initdb into a temporary directory, a free port, its socket in /tmp),
 * so the test can stop and start it without touching the machine's shared server on 5432. As root, the
 * server runs as the {@code postgres} OS user (PostgreSQL refuses to run as root). When that is not
 * possible, the calling test is skipped loudly with the reason.
 */
public final class PrivatePostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;

    private PrivatePostgres(Path dir, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** initdb and start, or abort the calling test with the reason. */
    public static PrivatePostgres startOrSkip() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) skip("no PostgreSQL 15 binaries at " + BIN);
        boolean root = "root".equals(System.getProperty("user.name"));
        PrivatePostgres pg = null;
        try {
            if (root && run(List.of("id", "-u", "postgres"), 10) != 0) skip("running as root and there is no 'postgres' OS user to run initdb as");
            Path dir = Files.createTempDirectory("gw-private-pg");
            pg = new PrivatePostgres(dir, TestGateway.freePort(), root);
            if (root) {
                run(List.of("chmod", "755", dir.toString()), 10);
                run(List.of("chown", "postgres:postgres", dir.toString()), 10);
            }
            int rc = pg.pgRun(BIN.resolve("initdb") + " -D " + pg.data + " -A trust -U postgres --no-sync -E UTF8", 120);
            if (rc != 0) skip("initdb failed (exit " + rc + "): " + pg.log());
            pg.start();
            return pg;
        } catch (IOException e) {
            if (pg != null) pg.close();
            skip("cannot prepare a private PostgreSQL: " + e.getMessage());
            return null;
        }
    }

    private static void skip(String why) {
        String msg = "SKIPPED: the database-outage test needs a private PostgreSQL it can stop and start, and " + why + ".";
        System.err.println(msg);
        Assumptions.abort(msg);
    }

    public int port() {
        return port;
    }

    /** DATABASE_URL for a gateway on this server's {@code postgres} database. */
    public String url() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    public void start() throws IOException {
        int rc = pgRun(BIN.resolve("pg_ctl") + " -D " + data + " -l " + dir.resolve("server.log") + " -w -t 60 "
                + "-o \"-p " + port + " -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" start", 90);
        if (rc != 0) throw new IOException("pg_ctl start failed (exit " + rc + "): " + log());
    }

    /** A fast shutdown: open connections are cut, as when a database server goes away. */
    public void stop() throws IOException {
        int rc = pgRun(BIN.resolve("pg_ctl") + " -D " + data + " -m fast -w -t 60 stop", 90);
        if (rc != 0) throw new IOException("pg_ctl stop failed (exit " + rc + "): " + log());
    }

    @Override
    public void close() {
        try {
            pgRun(BIN.resolve("pg_ctl") + " -D " + data + " -m immediate -w -t 30 stop", 60);
        } catch (IOException ignored) {
            // not running
        }
        try {
            run(List.of("rm", "-rf", dir.toString()), 60);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private String log() {
        try {
            Path l = dir.resolve("server.log");
            return Files.exists(l) ? Files.readString(l) : "(no server log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private int pgRun(String command, int timeoutSeconds) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("su", "postgres", "-c", command));
        } else {
            cmd.addAll(List.of("sh", "-c", command));
        }
        return run(cmd, timeoutSeconds);
    }

    private static int run(List<String> cmd, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
