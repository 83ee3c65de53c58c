package dev.aigateway.server.admin;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The key round trips on PostgreSQL (127.0.0.1:5432, user postgres), in a database of its own that is
 * dropped afterwards. Skipped, loudly, when no PostgreSQL answers.
 */
class KeyRoundTripPostgresTest extends KeyRoundTripTest {
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    final String database = "gw_keys_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    boolean created;

    @Override
    TestGateway startGateway() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            created = true;
        } catch (SQLException e) {
            String why = "SKIPPED KeyRoundTripPostgresTest: PostgreSQL at 127.0.0.1:5432 is not reachable (" + e.getMessage() + ")";
            System.err.println(why);
            Assumptions.abort(why);
        }
        return TestGateway.start(KeyApi.CONFIG, Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/" + database));
    }

    @Override
    void dropDatabase() {
        if (!created) return;
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + database + ": " + e.getMessage());
        }
    }
}
