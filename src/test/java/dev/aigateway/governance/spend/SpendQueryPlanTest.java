package dev.aigateway.governance.spend;

import dev.aigateway.db.Database;
import dev.aigateway.governance.spend.SpendStore.DailyQuery;
import dev.aigateway.governance.spend.SpendStore.LogQuery;
import dev.aigateway.governance.spend.SpendStore.Sql;
import dev.aigateway.testing.SpendTestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spend query names the index that serves it, on SQLite (EXPLAIN QUERY PLAN) and PostgreSQL (EXPLAIN
 * with sequential scans discouraged, since the tables are empty here; SpendLogsBenchmarkTest checks the
 * plans at 10 million rows with real statistics).
 */
class SpendQueryPlanTest {
    static final String KEY = "k".repeat(64);
    static final long T = 1_700_000_000_000L;

    /** Query shape → the index (SQLite name, PostgreSQL name) it must use. */
    static Map<String, Object[]> cases() {
        return Map.ofEntries(
                Map.entry("newest page", new Object[]{logs(null, null, null, null, null, null), "spend_logs_start", "spend_logs_start"}),
                Map.entry("date range", new Object[]{logs(null, null, null, null, T, T + 86_400_000), "spend_logs_start", "spend_logs_start"}),
                Map.entry("key + dates", new Object[]{logs(KEY, null, null, null, T, T + 86_400_000), "spend_logs_key_start", "spend_logs_key_start"}),
                Map.entry("key", new Object[]{logs(KEY, null, null, null, null, null), "spend_logs_key_start", "spend_logs_key_start"}),
                Map.entry("model + dates", new Object[]{logs(null, "gpt-4o", null, null, T, T + 86_400_000), "spend_logs_model_start", "spend_logs_model_start"}),
                Map.entry("request id", new Object[]{logs(null, null, "req-1", null, null, null), "sqlite_autoindex_spend_logs_1", "spend_logs_pkey"}),
                Map.entry("request id, the client's", new Object[]{logs(null, null, "req-1", null, null, null), "spend_logs_client_request", "spend_logs_client_request"}),
                Map.entry("user", new Object[]{logs(null, null, null, "user-1", null, null), "spend_logs_user_start", "spend_logs_user_start"}),
                Map.entry("end user", new Object[]{SpendStore.logsSql(new LogQuery(null, null, null, null, null, null, "customer-1", null, null, 50, 0)),
                        "spend_logs_end_user_start", "spend_logs_end_user_start"}),
                Map.entry("daily by tool", new Object[]{SpendStore.dailyClientsSql("2025-01-01", "2025-01-31", null),
                        "sqlite_autoindex_daily_client_spend_1", "daily_client_spend_pkey"}),
                Map.entry("daily by tool per key", new Object[]{SpendStore.dailyClientsSql("2025-01-01", "2025-01-31", KEY),
                        "daily_client_spend", "daily_client_spend_pkey"}),
                Map.entry("daily", new Object[]{SpendStore.dailySql(new DailyQuery("2025-01-01", "2025-01-31", null, null)), "sqlite_autoindex_daily_spend_1", "daily_spend_pkey"}),
                Map.entry("daily per key", new Object[]{SpendStore.dailySql(new DailyQuery("2025-01-01", "2025-01-31", KEY, "m")), "daily_spend_", "daily_spend_"}),
                Map.entry("retention chunk", new Object[]{new Sql(SpendStore.deleteOlderThanSql(), List.of(T, 5000)), "spend_logs_start", "spend_logs_start"}));
    }

    static Sql logs(String key, String model, String requestId, String user, Long from, Long to) {
        return SpendStore.logsSql(new LogQuery(key, null, requestId, user, model, null, null, from, to, 50, 0));
    }

    @Test
    void sqliteUsesAnIndexForEveryQuery(@TempDir Path dir) throws Exception {
        try (Database db = Database.open("sqlite:" + dir.resolve("plan.db")); Connection c = db.connection()) {
            cases().forEach((name, v) -> {
                String plan = plan(c, "EXPLAIN QUERY PLAN ", (Sql) v[0], 4);
                assertThat(plan).as(name + ":\n" + plan).contains("INDEX").contains((String) v[1]).doesNotContain("SCAN spend_logs\n")
                        .doesNotContain("SCAN daily_spend\n").doesNotContain("SCAN daily_client_spend\n");
            });
        }
    }

    @Test
    void postgresqlUsesAnIndexForEveryQuery() throws Exception {
        String name = SpendTestDatabases.createOrSkip("gw_spend_plan");
        try (Database db = Database.open(SpendTestDatabases.gatewayUrl(name)); Connection c = db.connection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
            }
            cases().forEach((n, v) -> {
                String plan = plan(c, "EXPLAIN ", (Sql) v[0], 1);
                assertThat(plan).as(n + ":\n" + plan).contains((String) v[2]).doesNotContain("Seq Scan");
            });
        } finally {
            SpendTestDatabases.drop(name);
        }
    }

    static String plan(Connection c, String explain, Sql sql, int column) {
        try (PreparedStatement ps = c.prepareStatement(explain + sql.text())) {
            SpendStore.bindArgs(ps, sql.args());
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) lines.add(rs.getString(column));
            }
            return String.join("\n", lines) + "\n";
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
