package dev.aigateway.server.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client connections one gateway instance keeps open at once ({@code GATEWAY_MAX_CONNECTIONS}), across all its
 * event loops. A connection over the limit is closed as soon as it is accepted: it has sent nothing the gateway could
 * answer yet, and holding it open would cost what the limit is there to bound. Refusals are counted for
 * {@code /metrics} and logged at most once per {@link #LOG_INTERVAL_NANOS} (a flood must not become a flood of log lines).
 */
public final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private final AtomicLong refusedSinceLog = new AtomicLong();

    public ConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts a new connection in; false (and counted as refused) when the instance already holds the maximum. */
    boolean tryOpen() {
        if (open.incrementAndGet() <= max) return true;
        open.decrementAndGet();
        refused.increment();
        long since = refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            refusedSinceLog.addAndGet(-since);
            LOG.warn("{} client connection(s) closed at once: this instance already holds {} (GATEWAY_MAX_CONNECTIONS); "
                    + "logged at most every {} s", since, max, LOG_INTERVAL_NANOS / 1_000_000_000L);
        }
        return false;
    }

    void closed() {
        open.decrementAndGet();
    }

    public int max() {
        return max;
    }

    public int open() {
        return open.get();
    }

    public long refused() {
        return refused.sum();
    }
}
