package dev.aigateway.testing;

import dev.aigateway.core.Json;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.SpendRecord;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throwaway PostgreSQL databases on the machine's shared server (127.0.0.1:5432) for spend tests, and small
 * builders for keys and rows. When PostgreSQL is unreachable, the calling tests are skipped loudly (a
 * System.err line and an aborted assumption naming the reason), never passed silently.
 */
public final class SpendTestDatabases {
    public static final String HOST_PORT = "127.0.0.1:5432";

    private SpendTestDatabases() {}

    /** Creates {@code <prefix>_<random>} and returns its name, or aborts the test with the reason. */
    public static String createOrSkip(String prefix) {
        String name = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            return name;
        } catch (SQLException e) {
            String why = "SKIPPED: PostgreSQL at " + HOST_PORT + " is not usable (" + e.getMessage() + "); "
                    + "the PostgreSQL spend tests did not run.";
            System.err.println(why);
            Assumptions.abort(why);
            return null;
        }
    }

    public static void drop(String name) {
        if (name == null) return;
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "' AND pid <> pg_backend_pid()");
            s.execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }

    /** DATABASE_URL for a gateway on that database. */
    public static String gatewayUrl(String name) {
        return "postgresql://postgres@" + HOST_PORT + "/" + name;
    }

    public static Connection jdbc(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST_PORT + "/" + name, "postgres", "");
    }

    private static Connection admin() throws SQLException {
        DriverManager.setLoginTimeout(5);
        return DriverManager.getConnection("jdbc:postgresql://" + HOST_PORT + "/postgres", "postgres", "");
    }

    /** A plain virtual key (no limits) with the given hash, alias and user. */
    public static VirtualKey key(String hash, String alias, String userId) {
        Instant now = Instant.now();
        return new VirtualKey(hash, "sk-...test", alias, 0, null, null, null, null, List.of(), Map.of(), null, null, null,
                Map.of(), Map.of(), null, Json.object(), userId, null, false, Map.of(), List.of(), "default", now, now, null, null, null);
    }

    /** A successful chat row. */
    public static SpendRecord row(String id, String keyHash, String model, long startMillis, double cost) {
        return new SpendRecord(id, null, keyHash, "alias-" + keyHash, "user-1", "team-1", "chat", model, "dep-" + model, "mock",
                model + "-v1", 10, 5, 2, 15, cost, startMillis, startMillis + 120, null, "success", 200, null, false, 1, null,
                null, null, "unknown", null, null);
    }
}
