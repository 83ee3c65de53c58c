package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d|w|mo|y)");

    /** How long rows are kept ({@code keep} null: forever) and how often old ones are deleted. */
    public record Policy(Duration keep, Duration every) {
        public static final Policy KEEP_FOREVER = new Policy(null, Duration.ofDays(1));

        /** Reads LiteLLM's general_settings keys; a malformed value stops start-up with a message naming it. */
        public static Policy from(ObjectNode generalSettings) {
            Duration keep = setting(generalSettings, "maximum_spend_logs_retention_period");
            Duration every = setting(generalSettings, "maximum_spend_logs_retention_interval");
            return new Policy(keep, every == null ? Duration.ofDays(1) : every);
        }

        private static Duration setting(ObjectNode general, String key) {
            JsonNode v = general == null ? null : general.get(key);
            if (v == null || v.isNull()) return null;
            Duration d = v.isNumber() ? Duration.ofSeconds(v.asLong()) : parse(v.asText());
            if (d == null || d.isZero() || d.isNegative()) {
                throw new ConfigException("general_settings." + key + " must be a duration such as \"30d\", \"12h\" or \"1mo\" "
                        + "(units s, m, h, d, w, mo, y), not '" + v.asText() + "'.");
            }
            return d;
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

    /** Parses 30s, 30m, 30h, 30d, 2w, 1mo (30 days), 1y (365 days); null when malformed. */
    public static Duration parse(String s) {
        if (s == null) return null;
        Matcher m = DURATION.matcher(s.strip().toLowerCase());
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            case "mo" -> Duration.ofDays(30 * n);
            default -> Duration.ofDays(365 * n);
        };
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
