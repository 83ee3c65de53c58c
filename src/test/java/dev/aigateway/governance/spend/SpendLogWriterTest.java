package dev.aigateway.governance.spend;

import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;
import dev.aigateway.governance.keys.KeyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static dev.aigateway.testing.SpendTestDatabases.key;
import static dev.aigateway.testing.SpendTestDatabases.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The writer's batching, journal, outage, memory bound and replay behaviour, on SQLite with a sink that can fail. */
class SpendLogWriterTest {
    private static final String KEY = "a".repeat(64);

    @TempDir
    Path dir;
    Database db;
    SpendStore store;
    Switchable sink;
    SpendLogWriter writer;

    /** The real store behind a switch: "down" fails every write as a lost database would. */
    static final class Switchable implements SpendLogWriter.Sink {
        final SpendStore store;
        volatile boolean down;
        volatile long hangMs;
        /** A pause after the transaction committed, before write() returns: the window a flush is "in flight". */
        volatile long afterCommitMs;
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

        Switchable(SpendStore store) {
            this.store = store;
        }

        @Override
        public int write(List<SpendRecord> rows) {
            if (hangMs > 0) sleep(hangMs);
            if (down) throw new StoreException("Cannot write spend logs: Connection refused (test)");
            if (rows.stream().anyMatch(r -> r.requestId().startsWith("poison"))) {
                throw new StoreException("Cannot write spend logs: value out of range (test)");
            }
            batchSizes.add(rows.size());
            int fresh = store.write(rows);
            if (afterCommitMs > 0) sleep(afterCommitMs);
            return fresh;
        }

        @Override
        public boolean reachable() {
            return !down;
        }
    }

    @BeforeEach
    void open() {
        db = Database.open("sqlite:" + dir.resolve("gateway.db"));
        store = new SpendStore(db);
        sink = new Switchable(store);
        new KeyStore(db).insert(key(KEY, "writer-key", "u1"));
    }

    @AfterEach
    void close() {
        if (writer != null) writer.close();
        db.close();
    }

    private Path spoolDir() {
        return dir.resolve("spend-journal");
    }

    @Test
    void writesBatchesOfAtMostTheBatchSizeWithAggregatesAndKeySpend() throws Exception {
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 500);
        long t0 = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
        for (int i = 0; i < 2500; i++) writer.record(row("r" + i, KEY, i % 2 == 0 ? "m-even" : "m-odd", t0 + i, 0.001));
        assertThat(writer.flush(10_000)).isTrue();
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isEqualTo(2500);
        assertThat(sink.batchSizes).allMatch(n -> n <= 1000);
        assertThat(sink.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2500);
        assertThat(count("SELECT SUM(requests) FROM daily_spend WHERE day = '2023-11-14' AND key_hash = '" + KEY + "'")).isEqualTo(2500);
        assertThat(count("SELECT requests FROM daily_spend WHERE model_group = 'm-even'")).isEqualTo(1250);
        assertThat(count("SELECT prompt_tokens FROM daily_spend WHERE model_group = 'm-odd'")).isEqualTo(1250 * 10);
        assertThat(doubleValue("SELECT spend FROM virtual_keys WHERE token_hash = '" + KEY + "'")).isCloseTo(2.5, within(1e-9));
        var modelSpend = Json.parse(string("SELECT model_spend FROM virtual_keys WHERE token_hash = '" + KEY + "'"));
        assertThat(modelSpend.path("m-even").asDouble()).isCloseTo(1.25, within(1e-9));
        assertThat(modelSpend.path("m-odd").asDouble()).isCloseTo(1.25, within(1e-9));
        assertThat(writer.queued()).isZero();
        assertThat(writer.oldestAgeMillis()).isZero();
    }

    @Test
    void aFewRowsAreWrittenWithinTheBatchIntervalWithoutFlush() throws Exception {
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 200);
        writer.record(row("lonely-1", KEY, "m", System.currentTimeMillis(), 0.5));
        writer.record(row("lonely-2", KEY, "m", System.currentTimeMillis(), 0.5));
        long deadline = System.currentTimeMillis() + 3000;
        while (count("SELECT COUNT(*) FROM spend_logs") < 2 && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isEqualTo(2);
    }

    @Test
    void aRepeatedBatchIsStoredAndCountedOnce() throws Exception {
        long t = 1_700_000_000_000L;
        List<SpendRecord> batch = List.of(row("dup-1", KEY, "m", t, 0.25), row("dup-2", KEY, "m", t + 1, 0.25));
        assertThat(store.write(batch)).isEqualTo(2);
        assertThat(store.write(batch)).isZero();
        assertThat(store.write(List.of(row("dup-2", KEY, "m", t + 1, 0.25), row("dup-3", KEY, "m", t + 2, 0.25)))).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isEqualTo(3);
        assertThat(count("SELECT requests FROM daily_spend")).isEqualTo(3);
        assertThat(doubleValue("SELECT spend FROM virtual_keys WHERE token_hash = '" + KEY + "'")).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void anOutageSpillsPastTheMemoryBoundToDiskAndReplaysWhenTheDatabaseIsBack() throws Exception {
        sink.down = true;
        writer = new SpendLogWriter(sink, spoolDir(), 50, 10, 20);
        int threads = 4, perThread = 125;
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong slowest = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tn = t;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long s = System.nanoTime();
                    writer.record(row("o" + tn + "-" + i, KEY, "m", System.currentTimeMillis(), 0.01));
                    slowest.accumulateAndGet(System.nanoTime() - s, Math::max);
                }
            }));
        }
        go.countDown();
        for (Thread t : ts) t.join();
        assertThat(slowest.get()).as("record() never waits for the database").isLessThan(50_000_000L);

        long deadline = System.currentTimeMillis() + 10_000;
        while (writer.spooled() < 400 && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(writer.spooled()).isGreaterThanOrEqualTo(400);
        assertThat(spoolFiles()).isNotEmpty();
        assertThat(String.join("", Files.readAllLines(spoolFiles().get(0)))).contains("\"requestId\":\"o");
        assertThat(writer.queued()).isEqualTo(500);
        assertThat(writer.oldestAgeMillis()).isPositive();
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isZero();

        sink.down = false;
        assertThat(writer.flush(20_000)).isTrue();
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isEqualTo(500);
        assertThat(count("SELECT requests FROM daily_spend")).isEqualTo(500);
        assertThat(doubleValue("SELECT spend FROM virtual_keys WHERE token_hash = '" + KEY + "'")).isCloseTo(5.0, within(1e-9));
        assertJournalEmptiesWithin(5_000);
        assertThat(writer.queued()).isZero();
    }

    @Test
    void closingWhileTheDatabaseIsDownKeepsRowsOnDiskForTheNextStart() throws Exception {
        sink.down = true;
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 20);
        for (int i = 0; i < 30; i++) writer.record(row("c" + i, KEY, "m", System.currentTimeMillis(), 0.1));
        writer.close();
        writer = null;
        assertThat(spoolFiles()).isNotEmpty();
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isZero();

        sink.down = false;
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 20);
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).as("written by the next start before it serves").isEqualTo(30);
        assertThat(writer.queued()).isZero();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aRowTheDatabaseRefusesDoesNotHoldUpTheOthers() throws Exception {
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 20);
        long now = System.currentTimeMillis();
        writer.record(row("fine-1", KEY, "m", now, 0.1));
        writer.record(row("poison-1", KEY, "m", now, 0.1));
        writer.record(row("fine-2", KEY, "m", now, 0.1));
        assertThat(writer.flush(10_000)).isTrue();
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isEqualTo(2);
        try (Stream<Path> s = Files.list(spoolDir())) {
            List<Path> rejected = s.filter(p -> p.getFileName().toString().startsWith("rejected-")).toList();
            assertThat(rejected).hasSize(1);
            assertThat(Files.readString(rejected.get(0))).contains("poison-1").doesNotContain("fine-1");
        }
    }

    @Test
    void recordStaysFastWhileTheWriterIsStuckOnTheDatabase() {
        sink.hangMs = 2000;
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 10);
        writer.record(row("first", KEY, "m", System.currentTimeMillis(), 0));
        sleep(50); // the writer is now inside a hanging write
        long start = System.nanoTime();
        for (int i = 0; i < 20_000; i++) writer.record(row("h" + i, KEY, "m", System.currentTimeMillis(), 0));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("20,000 record() calls while the database hangs").isLessThan(1000);
        assertThat(writer.queued()).isEqualTo(20_001);
        sink.hangMs = 0;
        assertThat(writer.flush(20_000)).isTrue();
    }

    @Test
    void aRowIsInTheJournalWithinMillisecondsEvenWhileTheDatabaseIsDown() throws Exception {
        sink.down = true;
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 500);
        long start = System.nanoTime();
        writer.record(row("journaled-1", KEY, "m", System.currentTimeMillis(), 0.5));
        long deadline = System.currentTimeMillis() + 2_000;
        while (!journalText().contains("journaled-1") && System.currentTimeMillis() < deadline) Thread.sleep(1);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(journalText()).contains("journaled-1");
        assertThat(ms).as("ms until the row was on disk").isLessThan(1_000);
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isZero();
    }

    /**
     * A slow fdatasync (a disk kept busy by other processes: measured at up to 660 ms on the development machine)
     * never holds up the journal's writes, which are what a crash of the process keeps: each row reaches the
     * journal file within milliseconds while every fdatasync takes 600 ms. When one thread did both, rows
     * recorded during an fdatasync waited for it to end.
     */
    @Test
    void aSlowFdatasyncDoesNotDelayTheNextWrites() throws Exception {
        AtomicLong syncs = new AtomicLong();
        CountDownLatch synced = new CountDownLatch(2);
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 500, ch -> {
            sleep(600);
            ch.force(false);
            syncs.incrementAndGet();
            synced.countDown();
        });
        List<Long> msToJournal = new ArrayList<>();
        long end = System.currentTimeMillis() + 1_500;
        for (int i = 0; System.currentTimeMillis() < end; i++) {
            String id = "slow-sync-" + i;
            long start = System.nanoTime();
            writer.record(row(id, KEY, "m", System.currentTimeMillis(), 0.01));
            long deadline = System.currentTimeMillis() + 2_000;
            while (!journalText().contains("\"" + id + "\"") && System.currentTimeMillis() < deadline) Thread.sleep(1);
            msToJournal.add((System.nanoTime() - start) / 1_000_000);
        }
        assertThat(synced.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("the rows were forced to disk too").isTrue();
        assertThat(msToJournal).as("ms from record() to the row in the journal file, while each fdatasync takes 600 ms")
                .hasSizeGreaterThan(20).allMatch(ms -> ms < 200);
        assertThat(writer.flush(5_000)).isTrue();
    }

    /**
     * A crash leaves a journal whose rows are partly in the database already (committed before the crash, the
     * segment not yet deleted) and ends in a torn line: the next start writes every row exactly once.
     */
    @Test
    void theNextStartReplaysACrashedJournalWritingEachRowExactlyOnce() throws Exception {
        long t = System.currentTimeMillis();
        List<SpendRecord> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) rows.add(row("crash-" + i, KEY, "m", t + i, 0.01));
        store.write(rows.subList(0, 60)); // committed before the crash
        Files.createDirectories(spoolDir());
        StringBuilder journal = new StringBuilder();
        for (SpendRecord r : rows) journal.append(Json.MAPPER.writeValueAsString(new SpendJournal.Entry(t, r))).append('\n');
        journal.append("{\"queuedAt\":").append(t).append(",\"row\":{\"requestId\":\"torn"); // the write the kill cut
        Files.writeString(spoolDir().resolve("spend-" + t + "-000000.ndjson"), journal);

        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 500);
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).as("replayed before the constructor returns").isEqualTo(100);
        assertThat(count("SELECT requests FROM daily_spend")).isEqualTo(100);
        assertThat(doubleValue("SELECT spend FROM virtual_keys WHERE token_hash = '" + KEY + "'")).isCloseTo(1.0, within(1e-9));
        assertThat(writer.queued()).isZero();
        assertThat(writer.unwrittenSpend(KEY)).isZero();
        assertThat(spoolFiles()).isEmpty();
    }

    /** A journal left by the release before attribution (rows without end_user, session_id, client, user_agent) replays. */
    @Test
    void aJournalLineFromBeforeAttributionReplaysWithNulls() throws Exception {
        long t = System.currentTimeMillis();
        Files.createDirectories(spoolDir());
        String old = "{\"queuedAt\":" + t + ",\"row\":{\"requestId\":\"old-line\",\"clientRequestId\":null,\"keyHash\":\"" + KEY
                + "\",\"keyAlias\":\"writer-key\",\"userId\":\"u1\",\"teamId\":null,\"callType\":\"chat\",\"modelGroup\":\"m\","
                + "\"deploymentId\":\"d\",\"provider\":\"mock\",\"model\":\"m-1\",\"promptTokens\":10,\"completionTokens\":5,"
                + "\"cachedTokens\":0,\"totalTokens\":15,\"cost\":0.01,\"startTime\":" + t + ",\"endTime\":" + (t + 5)
                + ",\"firstTokenMs\":null,\"status\":\"success\",\"httpStatus\":200,\"errorType\":null,\"stream\":false,"
                + "\"attempts\":1,\"fallbackModel\":null}}\n";
        Files.writeString(spoolDir().resolve("spend-" + t + "-000000.ndjson"), old);

        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 500);
        List<SpendRecord> rows = store.logs(new SpendStore.LogQuery(null, null, "old-line", null, null, null, null, null, null, 10, 0));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).promptTokens()).isEqualTo(10);
        assertThat(rows.get(0).client()).isNull();
        assertThat(rows.get(0).endUser()).isNull();
        assertThat(count("SELECT requests FROM daily_client_spend WHERE client = 'unknown'")).as("booked as an unknown tool").isEqualTo(1);
    }

    /** stored + unwritten counts each row once even while a batch is between its commit and its bookkeeping. */
    @Test
    void storedPlusUnwrittenSpendIsExactWhileABatchCommits() throws Exception {
        sink.afterCommitMs = 300;
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 50);
        for (int i = 0; i < 40; i++) writer.record(row("x" + i, KEY, "m", System.currentTimeMillis(), 0.025));
        assertThat(writer.unwrittenSpend(KEY)).isCloseTo(1.0, within(1e-9));
        long end = System.currentTimeMillis() + 1_500;
        int reads = 0;
        while (System.currentTimeMillis() < end) {
            double seen = writer.readingStoredSpend(() -> {
                try {
                    return doubleValue("SELECT spend FROM virtual_keys WHERE token_hash = '" + KEY + "'") + writer.unwrittenSpend(KEY);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(seen).as("read " + reads).isCloseTo(1.0, within(1e-9));
            reads++;
            Thread.sleep(3);
        }
        assertThat(writer.queued()).isZero();
        assertThat(writer.unwrittenSpend(KEY)).isZero();
        assertThat(doubleValue("SELECT spend FROM virtual_keys WHERE token_hash = '" + KEY + "'")).isCloseTo(1.0, within(1e-9));
    }

    /** A second gateway on the same data directory journals beside the first, never replaying or deleting its files. */
    @Test
    void aSecondWriterOnTheSameDirectoryLeavesTheFirstOnesJournalAlone() throws Exception {
        sink.down = true;
        writer = new SpendLogWriter(sink, spoolDir(), 100_000, 1000, 500);
        writer.record(row("first-1", KEY, "m", System.currentTimeMillis(), 0.5));
        long deadline = System.currentTimeMillis() + 2_000;
        while (!journalText().contains("first-1") && System.currentTimeMillis() < deadline) Thread.sleep(5);
        List<Path> before = spoolFiles();
        assertThat(before).hasSize(1);

        Switchable up = new Switchable(store);
        SpendLogWriter second = new SpendLogWriter(up, spoolDir(), 100_000, 1000, 20);
        try {
            second.record(row("second-1", KEY, "m", System.currentTimeMillis(), 0.5));
            assertThat(second.flush(5_000)).isTrue();
            assertThat(spoolFiles()).as("the first writer's segment is untouched").isEqualTo(before);
            assertThat(count("SELECT COUNT(*) FROM spend_logs WHERE request_id = 'first-1'")).isZero();
        } finally {
            second.close();
        }
        sink.down = false;
        assertThat(writer.flush(5_000)).isTrue();
        assertThat(count("SELECT COUNT(*) FROM spend_logs")).isEqualTo(2);
    }

    private String journalText() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path p : spoolFiles()) sb.append(Files.readString(p));
        return sb.toString();
    }

    private void assertJournalEmptiesWithin(long ms) throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        while (!spoolFiles().isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertThat(spoolFiles()).as("journal segments are deleted once their rows committed").isEmpty();
    }

    private List<Path> spoolFiles() throws IOException {
        if (!Files.isDirectory(spoolDir())) return List.of();
        try (Stream<Path> s = Files.list(spoolDir())) {
            return s.filter(p -> p.getFileName().toString().startsWith("spend-")).sorted().toList();
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private double doubleValue(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private String string(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
