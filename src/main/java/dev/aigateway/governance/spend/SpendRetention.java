package dev.aigateway.governance.spend;

import dev.aigateway.config.GeneralSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes spend-log rows older than {@code general_settings.maximum_spend_logs_retention_period}
 * (LiteLLM's setting, e.g. {@code "30d"}) at start-up and then every
 * {@code maximum_spend_logs_retention_interval} (default one day). Rows go in chunks of {@link #CHUNK},
 * each its own short transaction found through the start_time index, with a pause between chunks, so a
 * large backlog never holds long locks or the single SQLite connection. daily_spend (the aggregates) is
 * kept. Runs on its own daemon thread: a long delete never takes a worker thread from requests.
 */
public final class SpendRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpendRetention.class);
    static final int CHUNK = 5_000;
    private static final long PAUSE_MS = 20;

    /** How long rows are kept ({@code keep} null: forever) and how often old ones are deleted. */
    public record Policy(Duration keep, Duration every) {
        public static final Policy KEEP_FOREVER = new Policy(null, Duration.ofDays(1));

        /** The policy general_settings configures (read and checked by the configuration). */
        public static Policy from(GeneralSettings general) {
            return new Policy(general.spendLogsRetention(), general.spendLogsRetentionInterval());
        }
    }

    private final SpendStore store;
    private final Policy policy;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public SpendRetention(SpendStore store, Policy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    /** Runs once now (in the background) and then periodically; does nothing when rows are kept forever. */
    public void start() {
        if (policy.keep() == null) return;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spend-retention");
            t.setDaemon(true);
            return t;
        });
        long everyMs = policy.every().toMillis();
        scheduler.scheduleWithFixedDelay(this::runSafely, 0, everyMs, TimeUnit.MILLISECONDS);
        LOG.info("Spend logs older than {} are deleted every {} (daily totals are kept).", policy.keep(), policy.every());
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("Spend log retention could not delete old rows (will try again in {}): {}", policy.every(), e.getMessage());
        }
    }

    /** Deletes every row older than the retention period, chunk by chunk; returns how many went. */
    public long runOnce() {
        if (policy.keep() == null) return 0;
        return deleteOlderThan(clock.millis() - policy.keep().toMillis());
    }

    long deleteOlderThan(long cutoffMillis) {
        long total = 0;
        while (!Thread.currentThread().isInterrupted()) {
            int n = store.deleteOlderThan(cutoffMillis, CHUNK);
            total += n;
            if (n < CHUNK) break;
            try {
                Thread.sleep(PAUSE_MS); // let the spend writer and admin reads in between chunks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (total > 0) LOG.info("Spend log retention deleted {} rows older than {}.", total, java.time.Instant.ofEpochMilli(cutoffMillis));
        return total;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
