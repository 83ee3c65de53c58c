package dev.aigateway.server.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Prometheus histogram with fixed bucket bounds, lock-free: one atomic increment for the bucket, one
 * for the sum. Counts are kept per bucket (not cumulative) and summed when scraped, so recording touches
 * a single slot. The sum is kept in nanoseconds so it needs no floating-point CAS loop.
 */
public final class Histogram {
    /** LiteLLM's latency buckets (seconds), so dashboards built for LiteLLM keep their bucket boundaries. */
    static final double[] LATENCY_BUCKETS = {0.005, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5,
            3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 15.0, 20.0, 25.0, 30.0, 60.0,
            120.0, 180.0, 240.0, 300.0};
    /** The gateway's own overhead is measured in microseconds: finer buckets at the low end. */
    static final double[] OVERHEAD_BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

    private final double[] bounds;
    /** counts[i] for bounds[i]; the last slot is +Inf. */
    private final AtomicLongArray counts;
    private final AtomicLong sumNanos = new AtomicLong();

    public Histogram(double[] bounds) {
        this.bounds = bounds;
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    public void observeSeconds(double seconds) {
        if (!(seconds >= 0)) seconds = 0; // NaN or negative clock skew
        int i = 0;
        while (i < bounds.length && seconds > bounds[i]) i++;
        counts.incrementAndGet(i);
        sumNanos.addAndGet((long) (seconds * 1e9));
    }

    public void observeMillis(double millis) {
        observeSeconds(millis / 1000.0);
    }

    double[] bounds() {
        return bounds;
    }

    /** Cumulative counts per bound, the last being +Inf (the total count). */
    long[] cumulative() {
        long[] out = new long[counts.length()];
        long running = 0;
        for (int i = 0; i < out.length; i++) {
            running += counts.get(i);
            out[i] = running;
        }
        return out;
    }

    long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) n += counts.get(i);
        return n;
    }

    double sumSeconds() {
        return sumNanos.get() / 1e9;
    }
}
