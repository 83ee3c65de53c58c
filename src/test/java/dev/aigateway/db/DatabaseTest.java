package dev.aigateway.db;

import dev.aigateway.governance.spend.SpendStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {

    /** Start-up skips Flyway when the database is at LATEST_MIGRATION: a new migration must move it too. */
    @Test
    void latestMigrationNamesTheNewestFile() throws IOException, URISyntaxException {
        Path dir = Path.of(Database.class.getResource("/db/migration").toURI());
        List<String> versions;
        try (Stream<Path> files = Files.walk(dir)) {
            versions = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V[0-9_.]+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.')).toList();
        }
        Comparator<String> byNumbers = (a, b) -> {
            String[] x = a.split("\\."), y = b.split("\\.");
            for (int i = 0; i < Math.max(x.length, y.length); i++) {
                int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
                if (c != 0) return c;
            }
            return 0;
        };
        assertThat(versions).isNotEmpty();
        assertThat(versions.stream().max(byNumbers).orElseThrow()).isEqualTo(Database.LATEST_MIGRATION);
    }

    @Test
    void aNewDatabaseIsMigratedAndAReopenedOneIsAlreadyUpToDate(@TempDir Path dir) throws Exception {
        String url = "sqlite:" + dir.resolve("gateway.db");
        try (Database db = Database.open(url)) {
            assertThat(db.appliedVersion()).isEqualTo(Database.LATEST_MIGRATION);
        }
        try (Database db = Database.open(url)) {
            assertThat(db.appliedVersion()).isEqualTo(Database.LATEST_MIGRATION);
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO gateway_meta (name, value) VALUES ('t', 'v')"); // the schema is there
            }
        }
    }

    @Test
    void aDatabaseBehindTheLatestMigrationIsMigrated(@TempDir Path dir) throws Exception {
        String url = "sqlite:" + dir.resolve("gateway.db");
        try (Database db = Database.open(url)) {
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                // a database of the release before V4: no client_request_id (nor V5's attribution, nor V7's stored
                // responses, nor V8's tenancy), its history rows not there yet, a row keyed by the client's id as that
                // release stored it, and a day of totals
                for (String table : new String[]{"budgets", "organizations", "teams", "users", "team_members", "organization_members", "end_users"}) {
                    st.executeUpdate("DROP TABLE " + table);
                }
                st.executeUpdate("ALTER TABLE virtual_keys DROP COLUMN organization_id");
                st.executeUpdate("ALTER TABLE virtual_keys DROP COLUMN budget_id");
                st.executeUpdate("ALTER TABLE spend_logs DROP COLUMN organization_id");
                st.executeUpdate("DELETE FROM " + Database.HISTORY_TABLE + " WHERE version = '8'");
                st.executeUpdate("DROP TABLE responses");
                st.executeUpdate("DELETE FROM " + Database.HISTORY_TABLE + " WHERE version = '7'");
                st.executeUpdate("DROP INDEX spend_logs_end_user_start");
                for (String col : new String[]{"end_user", "session_id", "client", "user_agent"}) {
                    st.executeUpdate("ALTER TABLE spend_logs DROP COLUMN " + col);
                }
                st.executeUpdate("DROP TABLE daily_client_spend");
                st.executeUpdate("DELETE FROM " + Database.HISTORY_TABLE + " WHERE version = '5'");
                st.executeUpdate("INSERT INTO daily_spend (day, key_hash, model_group, requests, failures, prompt_tokens, "
                        + "completion_tokens, cost) VALUES ('2025-01-02', 'k', 'm1', 3, 1, 30, 20, 0.5), ('2025-01-02', 'k', 'm2', 2, 0, 10, 5, 0.25)");
                st.executeUpdate("DROP INDEX spend_logs_client_request");
                st.executeUpdate("ALTER TABLE spend_logs DROP COLUMN client_request_id");
                st.executeUpdate("DELETE FROM " + Database.HISTORY_TABLE + " WHERE version = '4'");
                st.executeUpdate("INSERT INTO spend_logs (request_id, call_type, start_time, end_time, status, http_status) "
                        + "VALUES ('client-id-1', 'chat', 1, 2, 'success', 200)");
            }
            assertThat(db.appliedVersion()).isEqualTo("3.2");
        }
        try (Database db = Database.open(url)) {
            assertThat(db.appliedVersion()).isEqualTo(Database.LATEST_MIGRATION);
            try (Connection c = db.connection(); Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'spend_logs_client_request'")) {
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            var old = new SpendStore(db).logs(new SpendStore.LogQuery(null, null, "client-id-1", null, null, null, null, null, null, 10, 0));
            assertThat(old).as("an older row is still found by the id it was stored under").hasSize(1);
            assertThat(old.get(0).clientRequestId()).isNull();
            assertThat(old.get(0).client()).as("rows from before V5 name no tool").isNull();
            var byTool = new SpendStore(db).dailyClients("2025-01-01", "2025-01-03", null);
            assertThat(byTool).as("days booked before V5 count as 'unknown', with the same totals")
                    .containsExactly(new SpendStore.DailyClientSpend("2025-01-02", "k", "unknown", 5, 1, 40, 25, 0.75));
        }
    }
}
