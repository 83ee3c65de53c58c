package dev.aigateway.governance.spend;

import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash under load loses only the last milliseconds of spend rows: a real gateway process
 * ({@code ./ai-gateway run}) takes chat requests from several client threads, is killed with SIGKILL (as the
 * kernel's OOM killer or {@code kill -9} would) while they flow, and is started again on the same data directory.
 * Every request the clients saw answered must then have its spend row, except requests answered in the last
 * {@link #BOUND_MS} ms before the kill, and no row may be stored twice. Each request carries its own
 * {@code x-request-id}, so the rows name exactly which answered requests are missing and how long before the
 * kill they were answered. Run on SQLite and on PostgreSQL (a throwaway database; skipped loudly without one).
 */
class SpendCrashIT {
    static final Path LAUNCHER = Path.of("ai-gateway").toAbsolutePath();
    static final String MASTER = "sk-spend-crash-it-0123456789abcdefghijklmnopqrstuv";
    /**
     * What a crash of the process may lose, as the age of an answer at the kill (docs/spend.md, "The bound"): the rows
     * the journal thread has not written yet, one 5 ms group interval of them, plus however long that thread waited
     * for a core; no fdatasync is on that path (the page cache keeps written rows through a kill -9). The 45 ms above
     * the interval are for that wait, which is scheduling, not the gateway: on the 2-core development machine at load
     * average 14 (other builds), the journal thread's 5 ms sleep overran by 11 ms at p99 and 58 ms at p99.9 (max 174 ms),
     * so on a machine that overloaded this test can fail without a bug. The gateway logs every such stall over 50 ms
     * ("rows waited N ms to reach the journal", at most once a second), and the failure message quotes those lines:
     * a loss older than 50 ms with no such line near the kill is a bug.
     */
    static final long BOUND_MS = 50;
    static final int CLIENTS = 8;
    static final long LOAD_MS = 4_000;

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aKilledGatewayLosesOnlyTheLastMillisecondsOfSpendRows(String kind) throws Exception {
        String database = kind.equals("postgresql") ? SpendTestDatabases.createOrSkip("gw_spend_crash") : null;
        try {
            Files.writeString(home.resolve("config.yaml"), """
                    model_list:
                      - model_name: crash-model
                        litellm_params: {model: mock/crash-1, mock_response: "an answer that is billed"}
                        model_info: {input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}
                    """);
            Map<String, String> env = new HashMap<>();
            env.put("GATEWAY_MASTER_KEY", MASTER);
            if (database != null) env.put("DATABASE_URL", SpendTestDatabases.gatewayUrl(database));
            int port = TestGateway.freePort();

            Process first = start(env, port, "first.log");
            Map<String, Long> answeredAt = new ConcurrentHashMap<>(); // client request id -> nanoTime the answer was read
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
            List<Thread> clients = new ArrayList<>();
            long loadStart = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "crash-" + client + "-" + i;
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                                    .timeout(Duration.ofSeconds(5)).header("authorization", "Bearer " + MASTER)
                                    .header("content-type", "application/json").header("x-request-id", id)
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"model\":\"crash-model\",\"messages\":[{\"role\":\"user\",\"content\":\"bill me\"}]}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200 && r.body().contains("an answer that is billed")) answeredAt.put(id, System.nanoTime());
                        } catch (Exception e) {
                            return; // the gateway is gone
                        }
                    }
                }));
            }
            Thread.sleep(LOAD_MS);
            long killedAt = System.nanoTime();
            java.time.Instant killedAtWall = java.time.Instant.now(); // to place the gateway's log lines
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            for (Thread t : clients) t.join(10_000);
            double seconds = (killedAt - loadStart) / 1e9;
            int answered = answeredAt.size();
            assertThat(answered).as("requests answered before the kill").isGreaterThan(50);

            Process second = start(env, port, "second.log");
            Map<String, Integer> rows;
            try {
                rows = rowsByClientId(database);
            } finally {
                second.destroy(); // SIGTERM: a clean stop
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }

            List<String> duplicated = rows.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertThat(duplicated).as("no request is stored twice").isEmpty();
            List<Long> lostAgesMs = new ArrayList<>();
            for (Map.Entry<String, Long> a : answeredAt.entrySet()) {
                if (!rows.containsKey(a.getKey())) lostAgesMs.add((killedAt - a.getValue()) / 1_000_000);
            }
            long unanswered = rows.keySet().stream().filter(id -> !answeredAt.containsKey(id)).count();
            String recovery = Files.readAllLines(home.resolve("second.log")).stream()
                    .filter(l -> l.contains("left in the journal")).findFirst().orElse("(no journal replay line)");
            List<String> lag = Files.readAllLines(home.resolve("first.log")).stream().filter(l -> l.contains("to reach the journal")).toList();
            System.out.printf("SpendCrashIT %s: killed at %s; %d requests sent, %d answered in %.1f s (%.0f/s), %d rows after the restart "
                            + "(%d for requests the clients did not see answered), %d answered requests without a row, answered %s ms before the kill "
                            + "(negative: after the kill was sent); %s; journal lag warnings of the killed gateway: %s%n",
                    kind, killedAtWall, sent.get(), answered, seconds, answered / seconds, rows.size(), unanswered, lostAgesMs.size(),
                    lostAgesMs.stream().sorted().toList(), recovery, lag.isEmpty() ? "none" : lag);
            assertThat(lostAgesMs).as("answered requests without a spend row: each was answered at most " + BOUND_MS
                    + " ms before the kill (%d of %d answered; the killed gateway's journal lag warnings: %s)",
                    lostAgesMs.size(), answered, lag.isEmpty() ? "none" : lag).allMatch(age -> age <= BOUND_MS);
        } finally {
            SpendTestDatabases.drop(database);
        }
    }

    private Process start(Map<String, String> env, int port, String log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "run", "--port", Integer.toString(port))
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("LITELLM_") || k.equals("DATABASE_URL")
                || k.equals("REDIS_URL") || k.equals("RESOURCE_PROFILE"));
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertThat(p.isAlive()).as(Files.readString(home.resolve(log))).isTrue();
            try {
                if (TestGateway.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness")).build()).statusCode() == 200) {
                    return p;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("ready within 90 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** client_request_id → how many rows carry it, read straight from the database the restarted gateway uses. */
    private Map<String, Integer> rowsByClientId(String postgresDatabase) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = postgresDatabase != null ? SpendTestDatabases.jdbc(postgresDatabase)
                : DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data/gateway.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT client_request_id FROM spend_logs WHERE client_request_id LIKE 'crash-%'")) {
            while (rs.next()) out.merge(rs.getString(1), 1, Integer::sum);
        }
        return out;
    }
}
