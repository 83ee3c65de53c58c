package dev.aigateway.governance.spend;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What journaling spend rows costs, at fixed rates: two threads call {@link SpendLogWriter#record} as event loops
 * do (paced, 1 ms ticks) while the journal thread writes groups, its sync thread fsyncs them, and a database
 * stand-in takes every batch at once. Reported per rate: the time of one record() call (p50, p99, mean) against what
 * record() did before the journal (a queue offer and a counter), the CPU of the journal and sync threads together
 * per row and as a share of one core, and the fsyncs per second. Not run by default:
 * <pre>./mvnw -B -ntp -o test -Dtest=SpendJournalCostBenchmarkTest -Dgroups=slow</pre>
 * Results go to target/surefire-reports/dev.aigateway.governance.spend.SpendJournalCostBenchmarkTest-output.txt.
 */
@Tag("slow")
@EnabledIfSystemProperty(named = "groups", matches = ".*slow.*", disabledReason = "benchmark: run with -Dgroups=slow")
class SpendJournalCostBenchmarkTest {
    static final int[] RATES = {1_000, 5_000, 20_000};
    static final long WARM_MS = 2_000, MEASURE_MS = 5_000;

    @TempDir
    Path dir;

    @Test
    void journalingCostAtFixedRates() throws Exception {
        SpendRecord row = new SpendRecord("req-0193a4c2d1e0a1b2c3d4e5f6", "client-trace-id-123",
                "5d41402abc4b2a76b9719d911017c592e5b1c7b6f0d3c2a1b0e9f8d7c6b5a4f3", "team-a-key", "alice", "team-a", "chat",
                "gpt-4o-mini", "openai-main", "openai", "gpt-4o-mini", 150, 68, 0, 218, 0.000412, 1_733_000_000_000L,
                1_733_000_001_284L, 259L, "success", 200, null, true, 1, null,
                null, "0d6a5a0e-6f1c-4d2b-9a53-2f3e1c6b7a90", "claude-code", "claude-cli/2.1.2 (external, cli)", null);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf("%n| rows/s | record() p50 / p99 / mean ns | before the journal: p50 / p99 / mean ns | journal + sync threads CPU per row | their share of a core | fsyncs/s |%n");
        System.out.printf("|---|---|---|---|---|---|%n");
        for (int rate : RATES) {
            ConcurrentLinkedQueue<SpendRecord> plain = new ConcurrentLinkedQueue<>();
            AtomicLong plainCount = new AtomicLong();
            long[] before = run(rate, r -> {
                plain.offer(r);
                if (plainCount.incrementAndGet() % 4096 == 0) plain.clear();
            }, row);

            SpendLogWriter writer = new SpendLogWriter(new SpendLogWriter.Sink() {
                @Override
                public int write(List<SpendRecord> rows) {
                    return rows.size();
                }

                @Override
                public boolean reachable() {
                    return true;
                }
            }, dir.resolve("journal-" + rate), 1_000_000, 1_000, 500);
            try {
                Thread journal = thread("spend-journal");
                Thread sync = thread("spend-journal-sync");
                long[] cpuAndForces = new long[2];
                long[] with = run(rate, writer::record, row, () -> {
                    cpuAndForces[0] = mx.getThreadCpuTime(journal.threadId()) + mx.getThreadCpuTime(sync.threadId());
                    cpuAndForces[1] = writer.journalForces();
                });
                long cpu = mx.getThreadCpuTime(journal.threadId()) + mx.getThreadCpuTime(sync.threadId()) - cpuAndForces[0];
                long forces = writer.journalForces() - cpuAndForces[1];
                long rows = with[3];
                assertThat(writer.flush(30_000)).isTrue();
                System.out.printf("| %,d | %d / %d / %d | %d / %d / %d | %.2f us | %.1f %% | %.0f |%n", rate, with[0], with[1], with[2],
                        before[0], before[1], before[2], cpu / 1000.0 / rows, 100.0 * cpu / (MEASURE_MS * 1_000_000.0),
                        forces * 1000.0 / MEASURE_MS);
            } finally {
                writer.close();
            }
        }
    }

    private static long[] run(int rate, Consumer<SpendRecord> record, SpendRecord row) throws InterruptedException {
        return run(rate, record, row, () -> {});
    }

    /** Two paced threads for WARM_MS + MEASURE_MS; returns p50, p99, mean ns of one call and the rows measured. */
    private static long[] run(int rate, Consumer<SpendRecord> record, SpendRecord row, Runnable atMeasureStart) throws InterruptedException {
        int perTick = Math.max(1, rate / 2 / 1000);
        int samples = (int) (perTick * MEASURE_MS * 2);
        long[][] times = new long[2][samples];
        int[] counts = new int[2];
        long start = System.nanoTime();
        long measureFrom = start + WARM_MS * 1_000_000L;
        long end = measureFrom + MEASURE_MS * 1_000_000L;
        Thread[] ts = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int tn = t;
            ts[t] = Thread.ofPlatform().start(() -> {
                long next = start;
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) break;
                    boolean measure = now >= measureFrom;
                    for (int i = 0; i < perTick; i++) {
                        long s = System.nanoTime();
                        record.accept(row);
                        long d = System.nanoTime() - s;
                        if (measure && counts[tn] < samples) times[tn][counts[tn]++] = d;
                    }
                    next += 1_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait);
                }
            });
        }
        long wait = measureFrom - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000L);
        atMeasureStart.run();
        for (Thread t : ts) t.join();
        long[] all = new long[counts[0] + counts[1]];
        System.arraycopy(times[0], 0, all, 0, counts[0]);
        System.arraycopy(times[1], 0, all, counts[0], counts[1]);
        Arrays.sort(all);
        long sum = 0;
        for (long v : all) sum += v;
        return new long[]{all[all.length / 2], all[(int) (all.length * 0.99)], sum / all.length, all.length};
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }
}
