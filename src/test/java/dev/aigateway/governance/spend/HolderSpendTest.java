package dev.aigateway.governance.spend;

import dev.aigateway.db.Database;
import dev.aigateway.testing.SpendTestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A spend batch adds each new row's cost to the tenancy above its key (organization, team, the user's membership of the
 * team, user) and to its end user (made on first spend, as LiteLLM does), once: a batch written again adds nothing.
 * On SQLite and PostgreSQL.
 */
class HolderSpendTest {

    @Test
    void onSqlite(@TempDir Path dir) throws Exception {
        try (Database db = Database.open("sqlite:" + dir.resolve("holders.db"))) {
            check(db);
        }
    }

    @Test
    void onPostgres() throws Exception {
        String name = SpendTestDatabases.createOrSkip("gw_holder_spend");
        try (Database db = Database.open(SpendTestDatabases.gatewayUrl(name))) {
            check(db);
        } finally {
            SpendTestDatabases.drop(name);
        }
    }

    private static void check(Database db) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO organizations (organization_id, created_at, updated_at) VALUES ('acme', 0, 0)");
            s.execute("INSERT INTO teams (team_id, organization_id, spend, created_at, updated_at) VALUES ('ml', 'acme', 1.5, 0, 0)");
            s.execute("INSERT INTO users (user_id, created_at, updated_at) VALUES ('alice', 0, 0)");
            s.execute("INSERT INTO team_members (team_id, user_id, created_at, updated_at) VALUES ('ml', 'alice', 0, 0)");
            s.execute("INSERT INTO end_users (user_id, spend, created_at, updated_at) VALUES ('known-customer', 2.0, 0, 0)");
        }
        SpendStore store = new SpendStore(db);
        List<SpendRecord> batch = List.of(
                row("r1", "alice", "ml", "acme", "known-customer", 0.25),
                row("r2", "alice", "ml", "acme", "new-customer", 0.5),
                row("r3", "bob", null, null, null, 1.0)); // a user without a row: nothing to add to, nothing fails
        assertThat(store.write(batch)).isEqualTo(3);
        assertThat(store.write(batch)).isZero(); // written again (a retried batch): counted once

        assertThat(spend(db, "SELECT spend FROM organizations WHERE organization_id = 'acme'")).isEqualTo(0.75);
        assertThat(spend(db, "SELECT spend FROM teams WHERE team_id = 'ml'")).isEqualTo(2.25);
        assertThat(spend(db, "SELECT spend FROM team_members WHERE team_id = 'ml' AND user_id = 'alice'")).isEqualTo(0.75);
        assertThat(spend(db, "SELECT spend FROM users WHERE user_id = 'alice'")).isEqualTo(0.75);
        assertThat(spend(db, "SELECT spend FROM end_users WHERE user_id = 'known-customer'")).isEqualTo(2.25);
        assertThat(spend(db, "SELECT spend FROM end_users WHERE user_id = 'new-customer'")).isEqualTo(0.5);
        List<SpendRecord> stored = store.logs(new SpendStore.LogQuery(null, null, "r1", null, null, null, null, null, null, 10, 0));
        assertThat(stored).singleElement().extracting(SpendRecord::organizationId).isEqualTo("acme");
    }

    private static SpendRecord row(String id, String user, String team, String org, String endUser, double cost) {
        long t = System.currentTimeMillis();
        return new SpendRecord(id, null, "hash-" + user, "alias", user, team, "acompletion", "m", "dep", "mock", "m", 10, 5, 0, 15,
                cost, t, t + 10, null, "success", 200, null, false, 1, null, endUser, null, "unknown", null, org);
    }

    private static double spend(Database db, String sql) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getDouble(1);
        }
    }
}
