package dev.aigateway.governance.spend;

import dev.aigateway.db.Database;
import dev.aigateway.governance.spend.SpendStore.DailyQuery;
import dev.aigateway.governance.spend.SpendStore.LogQuery;
import dev.aigateway.governance.spend.SpendStore.Sql;
import dev.aigateway.testing.SpendTestDatabases;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /spend/logs and /spend/daily at 10 million spend-log rows on PostgreSQL: loads a throwaway database with
 * generate_series (1,000 keys, 10,000 users, ~50 model groups, 90 days, 2% failures, plus a few rare keys,
 * users and models), then times every query shape the routes issue and prints its plan. Not run by default:
 * <pre>mvn -q -B test -Dtest=SpendLogsBenchmarkTest -Dgroups=slow</pre>
 * (about 10 minutes on 2 cores; needs ~5 GB of disk). Results go to
 * target/surefire-reports/dev.aigateway.governance.spend.SpendLogsBenchmarkTest-output.txt.
 */
@Tag("slow")
@EnabledIfSystemProperty(named = "groups", matches = ".*slow.*", disabledReason = "benchmark: run with -Dgroups=slow")
class SpendLogsBenchmarkTest {
    static final long ROWS = Long.getLong("spend.bench.rows", 10_000_000L);
    static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    static final long SPAN = 90L * 86_400_000L;
    static final long STEP = SPAN / ROWS;
    static final long END = T0 + ROWS * STEP;
    static final long DAY = 86_400_000L;

    @Test
    void queriesStayFastAtTenMillionRows() throws Exception {
        String name = SpendTestDatabases.createOrSkip("gw_spend_bench");
        try (Database db = Database.open(SpendTestDatabases.gatewayUrl(name))) {
            load(db);
            SpendStore store = new SpendStore(db);
            String key = keyHash(42), rareKey = md5x2("rare-key");
            Map<String, Sql> logs = new LinkedHashMap<>();
            logs.put("newest 50, no filter", logsSql(null, null, null, null, null, null, 0));
            logs.put("page 100 (offset 4950), no filter", logsSql(null, null, null, null, null, null, 4950));
            logs.put("request_id", logsSql(null, null, "req-5000000", null, null, null, 0));
            logs.put("key, last 24 h", logsSql(key, null, null, null, END - DAY, END, 0));
            logs.put("key, all time", logsSql(key, null, null, null, null, null, 0));
            logs.put("key, page 20 (offset 950)", logsSql(key, null, null, null, null, null, 950));
            logs.put("rare key (20 rows), all time", logsSql(rareKey, null, null, null, null, null, 0));
            logs.put("model, last 7 days", logsSql(null, "model-7", null, null, END - 7 * DAY, END, 0));
            logs.put("rare model (50 rows)", logsSql(null, "rare-model", null, null, null, null, 0));
            logs.put("key + model, 30 days", logsSql(key, "model-42", null, null, END - 30 * DAY, END, 0));
            logs.put("user", logsSql(null, null, null, "user-77", null, null, 0));
            logs.put("rare user (100 rows)", logsSql(null, null, null, "rare-user", null, null, 0));
            logs.put("date range, one day mid-way", logsSql(null, null, null, null, T0 + 45 * DAY, T0 + 46 * DAY, 0));
            logs.put("status=failure", statusSql("failure"));
            Map<String, Sql> daily = new LinkedHashMap<>();
            daily.put("daily, 30 days, all keys", SpendStore.dailySql(new DailyQuery(SpendStore.day(END - 30 * DAY), SpendStore.day(END), null, null)));
            daily.put("daily, 30 days, one key", SpendStore.dailySql(new DailyQuery(SpendStore.day(END - 30 * DAY), SpendStore.day(END), key, null)));
            daily.put("daily, 90 days, one key + model", SpendStore.dailySql(new DailyQuery(SpendStore.day(T0), SpendStore.day(END), key, "model-42")));

            SoftAssertions soft = new SoftAssertions();
            StringBuilder report = new StringBuilder("\n=== spend_logs benchmark: " + ROWS + " rows, PostgreSQL, "
                    + Runtime.getRuntime().availableProcessors() + " cores ===\n");
            report.append(String.format(Locale.ROOT, "%-38s %8s %8s %8s  %s%n", "query", "rows", "median", "max", "index"));
            Map<String, Sql> all = new LinkedHashMap<>(logs);
            all.putAll(daily);
            for (Map.Entry<String, Sql> e : all.entrySet()) {
                Sql sql = e.getValue();
                int[] n = new int[1];
                double[] ms = time(7, () -> n[0] = run(db, sql));
                String plan = explain(db, sql);
                report.append(String.format(Locale.ROOT, "%-38s %8d %6.1fms %6.1fms  %s%n", e.getKey(), n[0], median(ms), max(ms), indexOf(plan)));
                System.out.println("--- " + e.getKey() + "\n" + plan);
                // daily_spend holds days x keys x models (270k rows here); a third of it is cheaper to scan
                if (!e.getKey().equals("daily, 30 days, all keys")) soft.assertThat(plan).as(e.getKey()).doesNotContain("Seq Scan");
                soft.assertThat(median(ms)).as(e.getKey() + " median ms").isLessThan(1000);
            }
            System.out.println(report);

            // the real read path once, through SpendStore (mapping included)
            double[] viaStore = time(5, () -> store.logs(new LogQuery(key, null, null, null, null, null, null, END - DAY, END, 1000, 0)).size());
            report.append(String.format(Locale.ROOT, "%-38s %8d %6.1fms %6.1fms%n", "SpendStore.logs, key, 1000 rows", 1000, median(viaStore), max(viaStore)));

            // writing into a 10M-row table: batches of 1,000 rows in one transaction each
            int batches = 20;
            long w0 = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                List<SpendRecord> rows = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    // a busy half second: 100 keys on 5 models each
                    rows.add(SpendTestDatabases.row("bench-w-" + b + "-" + i, keyHash(i % 100), "model-" + (i % 5), END + b * 1000L + i, 0.0001));
                }
                assertThat(store.write(rows)).isEqualTo(1000);
            }
            double wms = (System.nanoTime() - w0) / 1e6;
            report.append(String.format(Locale.ROOT, "write: %d batches of 1,000 rows in %.0f ms = %.0f rows/s (%.1f ms per batch)%n",
                    batches, wms, batches * 1000 / (wms / 1000), wms / batches));

            // retention: one chunk of the oldest rows
            long r0 = System.nanoTime();
            int deleted = store.deleteOlderThan(T0 + DAY, 5000);
            report.append(String.format(Locale.ROOT, "retention: one chunk deleted %d rows in %.1f ms%n", deleted, (System.nanoTime() - r0) / 1e6));
            System.out.println(report);
            soft.assertAll();
        } finally {
            SpendTestDatabases.drop(name);
        }
    }

    static Sql logsSql(String key, String model, String requestId, String user, Long from, Long to, long offset) {
        return SpendStore.logsSql(new LogQuery(key, null, requestId, user, model, null, null, from, to, 50, offset));
    }

    static Sql statusSql(String status) {
        return SpendStore.logsSql(new LogQuery(null, null, null, null, null, status, null, null, null, 50, 0));
    }

    static String keyHash(int i) {
        return md5x2("key" + i);
    }

    /** The same 64-hex hash the loader builds in SQL: md5(s) || md5(s || 'x'). */
    static String md5x2(String s) {
        return md5(s) + md5(s + "x");
    }

    static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(s.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void load(Database db) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            long t = System.nanoTime();
            s.execute("DROP INDEX spend_logs_start; DROP INDEX spend_logs_key_start; DROP INDEX spend_logs_model_start; DROP INDEX spend_logs_user_start");
            s.execute("ALTER TABLE spend_logs DROP CONSTRAINT spend_logs_pkey");
            s.execute("SET synchronous_commit = off");
            s.execute("SET maintenance_work_mem = '1GB'");
            // keys: 1,000 (g % 1000) plus one rare key; each key uses 3 of ~50 model groups
            String keyExpr = "CASE WHEN g % 500000 = 11 THEN md5('rare-key') || md5('rare-keyx') "
                    + "ELSE md5('key' || (g % 1000)) || md5('key' || (g % 1000) || 'x') END";
            String sql = "INSERT INTO spend_logs (request_id, key_hash, key_alias, user_id, team_id, call_type, model_group, "
                    + "deployment_id, provider, model, prompt_tokens, completion_tokens, cached_tokens, total_tokens, cost, "
                    + "start_time, end_time, first_token_ms, status, http_status, error_type, stream, attempts) "
                    + "SELECT 'req-' || g, " + keyExpr + ", 'key-' || (g % 1000), "
                    + "CASE WHEN g % 100000 = 7 THEN 'rare-user' ELSE 'user-' || (g % 10000) END, 'team-' || (g % 50), 'chat', "
                    + "CASE WHEN g % 200000 = 3 THEN 'rare-model' ELSE 'model-' || ((g % 1000) % 50 + (g / 1000) % 3) END, "
                    + "'dep-' || (g % 7), 'openai', 'gpt-4o-mini', 100 + g % 500, 50 + g % 300, 0, 150 + g % 500 + g % 300, "
                    + "(100 + g % 500) * 0.00000015 + (50 + g % 300) * 0.0000006, "
                    + T0 + " + g * " + STEP + ", " + T0 + " + g * " + STEP + " + 800, CASE WHEN g % 3 = 0 THEN 120 END, "
                    + "CASE WHEN g % 50 = 0 THEN 'failure' ELSE 'success' END, CASE WHEN g % 50 = 0 THEN 429 ELSE 200 END, "
                    + "CASE WHEN g % 50 = 0 THEN 'rate_limit_error' END, g % 3 = 0, 1 "
                    + "FROM generate_series(1::bigint, " + ROWS + ") g";
            s.execute(sql);
            System.out.printf(Locale.ROOT, "loaded %d rows in %.0f s%n", ROWS, (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            s.execute("ALTER TABLE spend_logs ADD PRIMARY KEY (request_id)");
            s.execute("CREATE INDEX spend_logs_start ON spend_logs (start_time)");
            s.execute("CREATE INDEX spend_logs_key_start ON spend_logs (key_hash, start_time)");
            s.execute("CREATE INDEX spend_logs_model_start ON spend_logs (model_group, start_time)");
            s.execute("CREATE INDEX spend_logs_user_start ON spend_logs (user_id, start_time)");
            s.execute("INSERT INTO daily_spend SELECT to_char(to_timestamp(start_time / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), "
                    + "key_hash, model_group, count(*), count(*) FILTER (WHERE status <> 'success'), sum(prompt_tokens), "
                    + "sum(completion_tokens), sum(cost) FROM spend_logs GROUP BY 1, 2, 3");
            s.execute("VACUUM ANALYZE spend_logs");
            s.execute("VACUUM ANALYZE daily_spend");
            System.out.printf(Locale.ROOT, "indexed, aggregated and analyzed in %.0f s%n", (System.nanoTime() - t) / 1e9);
            try (ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('spend_logs')), "
                    + "(SELECT count(*) FROM daily_spend)")) {
                rs.next();
                System.out.println("spend_logs with indexes: " + rs.getString(1) + "; daily_spend rows: " + rs.getLong(2));
            }
        }
    }

    private static int run(Database db, Sql sql) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            SpendStore.bindArgs(ps, sql.args());
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) n++;
            }
            return n;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String explain(Database db, Sql sql) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql.text())) {
            SpendStore.bindArgs(ps, sql.args());
            StringBuilder sb = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) sb.append(rs.getString(1)).append('\n');
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String indexOf(String plan) {
        for (String idx : List.of("spend_logs_pkey", "spend_logs_key_start", "spend_logs_model_start", "spend_logs_user_start",
                "spend_logs_start", "daily_spend_key_day", "daily_spend_pkey")) {
            if (plan.contains(idx)) return idx;
        }
        return "?";
    }

    private static double[] time(int runs, Supplier<Integer> work) {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            work.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    private static double median(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double max(double[] ms) {
        return Arrays.stream(ms).max().orElse(0);
    }
}
