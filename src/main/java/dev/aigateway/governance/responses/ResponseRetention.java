package dev.aigateway.governance.responses;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes stored responses older than {@code general_settings.responses_retention_period} (default 30 days, as OpenAI
 * keeps them). Blocking: the gateway runs {@link #runOnce} on a worker thread every {@link #EVERY}. Rows go in chunks of
 * {@link #CHUNK}, each its own short statement, so a backlog never holds SQLite's single connection for long.
 */
public final class ResponseRetention {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseRetention.class);
    /** How often old responses are looked for. */
    public static final Duration EVERY = Duration.ofHours(1);
    static final int CHUNK = 1_000;

    private final ResponseStore store;
    private final Duration keep;
    private final Clock clock;

    public ResponseRetention(ResponseStore store, Duration keep, Clock clock) {
        this.store = store;
        this.keep = keep;
        this.clock = clock;
    }

    /** Deletes every response created more than the retention period ago; returns how many went. Never throws. */
    public long runOnce() {
        long cutoff = clock.millis() - keep.toMillis();
        long total = 0;
        try {
            int n;
            do {
                n = store.deleteOlderThan(cutoff, CHUNK);
                total += n;
            } while (n == CHUNK && !Thread.currentThread().isInterrupted());
        } catch (RuntimeException e) {
            LOG.warn("Stored-response retention could not delete old responses (will try again in {}): {}", EVERY, e.getMessage());
        }
        if (total > 0) LOG.info("Stored-response retention deleted {} responses created before {}.", total, Instant.ofEpochMilli(cutoff));
        return total;
    }
}
