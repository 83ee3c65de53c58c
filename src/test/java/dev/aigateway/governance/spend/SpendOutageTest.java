package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.db.Database;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.Governance;
import dev.aigateway.testing.PrivatePostgres;
import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * No spend row is lost when PostgreSQL goes away: a private PostgreSQL server (never the shared one) is
 * stopped with {@code pg_ctl stop -m fast} while requests flow through a gateway on it, then started again;
 * afterwards every request has its row, its daily total and its key spend. A second test drives the writer
 * past a small memory bound during the outage, so rows go through the spool files on disk.
 */
class SpendOutageTest {
    static PrivatePostgres pg;

    @BeforeAll
    static void startPostgres() {
        pg = PrivatePostgres.startOrSkip();
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) pg.close();
    }

    @Test
    void aGatewayLosesNoSpendRowWhenItsPostgresqlStopsAndStartsDuringLoad() throws Exception {
        String key = "sk-outage-test-key-0123456789abcdefghijklmnop";
        String hash = Authenticator.hash(key);
        try (TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: chat-model
                    litellm_params: {model: mock/chat-1, mock_response: "outage or not, here is an answer"}
                    model_info: {input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}
                """, Map.of("DATABASE_URL", pg.url()))) {
            Governance g = gw.server().governance();
            g.keyStore().insert(SpendTestDatabases.key(hash, "outage-key", "outage-user"));
            g.keys().reload(hash);

            int total = 600, threads = 3;
            AtomicInteger sent = new AtomicInteger();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                load.add(Thread.ofPlatform().start(() -> {
                    while (sent.incrementAndGet() <= total) {
                        var r = gw.post("/v1/chat/completions",
                                "{\"model\":\"chat-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        SpendLogWriterTest.sleep(10);
                    }
                }));
            }
            SpendLogWriterTest.sleep(800);
            pg.stop();
            long stoppedAt = sent.get();
            SpendLogWriterTest.sleep(2500);
            JsonNode ready = TestGateway.json(gw.get("/health/readiness", null));
            long queuedWhileDown = g.spendLog().queued();
            pg.start();
            long restartedAt = sent.get();
            for (Thread t : load) t.join();

            assertThat(statuses).as("requests are served while the database is down").containsOnlyKeys(200);
            assertThat(statuses.get(200)).isEqualTo(total);
            assertThat(restartedAt - stoppedAt).as("requests sent while the database was down").isGreaterThan(20);
            assertThat(queuedWhileDown).as("rows wait in memory during the outage").isPositive();
            assertThat(ready.path("spend_queue").path("rows").asLong()).isPositive();
            assertThat(ready.path("spend_queue").path("oldest_age_ms").asLong()).isPositive();

            g.spendLog().flush();
            assertThat(g.spendLog().queued()).isZero();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres", "postgres", "")) {
                assertThat(count(c, "SELECT COUNT(*) FROM spend_logs WHERE key_hash = '" + hash + "'")).isEqualTo(total);
                assertThat(count(c, "SELECT COUNT(DISTINCT request_id) FROM spend_logs")).isEqualTo(total);
                assertThat(count(c, "SELECT SUM(requests) FROM daily_spend WHERE key_hash = '" + hash + "'")).isEqualTo(total);
                double rows = value(c, "SELECT SUM(cost) FROM spend_logs WHERE key_hash = '" + hash + "'");
                assertThat(rows).isPositive();
                assertThat(value(c, "SELECT spend FROM virtual_keys WHERE token_hash = '" + hash + "'")).isCloseTo(rows, within(1e-9));
            }
        }
    }

    @Test
    void rowsPastTheMemoryBoundGoThroughTheSpoolAndLandWhenPostgresqlIsBack(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(pg.url())) {
            SpendLogWriter writer = new SpendLogWriter(SpendLogWriter.sinkOf(new SpendStore(db)), dir.resolve("spool"), 100, 50, 50);
            String hash = "d".repeat(64);
            try {
                for (int i = 0; i < 300; i++) writer.record(SpendTestDatabases.row("before-" + i, hash, "m", System.currentTimeMillis(), 0.001));
                assertThat(writer.flush(20_000)).isTrue();
                pg.stop();
                for (int i = 0; i < 2000; i++) {
                    writer.record(SpendTestDatabases.row("during-" + i, hash, "m", System.currentTimeMillis(), 0.001));
                    if (i % 100 == 0) SpendLogWriterTest.sleep(5);
                }
                long deadline = System.currentTimeMillis() + 20_000;
                while (writer.spooled() < 1800 && System.currentTimeMillis() < deadline) SpendLogWriterTest.sleep(50);
                assertThat(writer.spooled()).as("rows past the bound are on disk").isGreaterThanOrEqualTo(1800);
                assertThat(spoolFiles(dir.resolve("spool"))).isNotEmpty();
                assertThat(writer.queued()).isEqualTo(2000);
                pg.start();
                assertThat(writer.flush(60_000)).isTrue();
                assertThat(spoolFiles(dir.resolve("spool"))).isEmpty();
            } finally {
                writer.close();
            }
            try (Connection c = db.connection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM spend_logs WHERE key_hash = '" + hash + "'")).isEqualTo(2300);
                assertThat(count(c, "SELECT SUM(requests) FROM daily_spend WHERE key_hash = '" + hash + "'")).isEqualTo(2300);
            }
        }
    }

    private static List<Path> spoolFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("spend-")).toList();
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
