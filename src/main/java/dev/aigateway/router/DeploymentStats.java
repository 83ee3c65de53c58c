package dev.aigateway.router;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the router knows about one deployment right now, updated by every attempt: calls in flight
 * (least-busy), smoothed latency and time to first token (latency-based), this minute's requests and
 * tokens (usage-based), and the failures that lead to a cooldown. Lock-free; stale by at most one call.
 */
public final class DeploymentStats {
    /** Weight of the newest sample in the moving averages: recent enough to react, smooth enough to ignore one outlier. */
    static final double EWMA_ALPHA = 0.3;

    final AtomicInteger inFlight = new AtomicInteger();
    private volatile double latencyMs = -1;
    private volatile double ttftMs = -1;
    private final AtomicLong usageMinute = new AtomicLong();
    private final AtomicLong minuteRequests = new AtomicLong();
    private final AtomicLong minuteTokens = new AtomicLong();
    private final AtomicLong failMinute = new AtomicLong();
    private final AtomicInteger minuteFails = new AtomicInteger();
    private volatile long cooldownUntilMillis;
    private volatile String healthError;

    public int inFlight() {
        return inFlight.get();
    }

    /** A stream this deployment was serving has ended (it was counted in flight until now). */
    public void streamEnded() {
        inFlight.decrementAndGet();
    }

    /** Smoothed latency in ms (time to first token for streams), or -1 before the first sample. */
    public double latencyMs() {
        return latencyMs;
    }

    public double ttftMs() {
        return ttftMs;
    }

    synchronized void recordLatency(double ms, boolean stream) {
        if (stream) ttftMs = ttftMs < 0 ? ms : EWMA_ALPHA * ms + (1 - EWMA_ALPHA) * ttftMs;
        else latencyMs = latencyMs < 0 ? ms : EWMA_ALPHA * ms + (1 - EWMA_ALPHA) * latencyMs;
    }

    /** The figure latency-based routing compares: latency, else time to first token, else -1 (unmeasured). */
    public double routingLatency() {
        return latencyMs >= 0 ? latencyMs : ttftMs;
    }

    void countRequest(long nowMillis) {
        rollUsage(nowMillis);
        minuteRequests.incrementAndGet();
    }

    void countTokens(long nowMillis, long tokens) {
        rollUsage(nowMillis);
        minuteTokens.addAndGet(tokens);
    }

    public long minuteRequests(long nowMillis) {
        rollUsage(nowMillis);
        return minuteRequests.get();
    }

    public long minuteTokens(long nowMillis) {
        rollUsage(nowMillis);
        return minuteTokens.get();
    }

    private void rollUsage(long nowMillis) {
        long minute = nowMillis / 60_000;
        long seen = usageMinute.get();
        if (seen != minute && usageMinute.compareAndSet(seen, minute)) {
            minuteRequests.set(0);
            minuteTokens.set(0);
        }
    }

    /** Counts a failure; returns true when it puts the deployment into cooldown. */
    boolean recordFailure(long nowMillis, int allowedFails, long cooldownMillis) {
        long minute = nowMillis / 60_000;
        long seen = failMinute.get();
        if (seen != minute && failMinute.compareAndSet(seen, minute)) minuteFails.set(0);
        if (minuteFails.incrementAndGet() > allowedFails && cooldownMillis > 0) {
            coolDownUntil(nowMillis + cooldownMillis);
            minuteFails.set(0);
            return true;
        }
        return false;
    }

    public void coolDownUntil(long untilMillis) {
        if (untilMillis > cooldownUntilMillis) cooldownUntilMillis = untilMillis;
    }

    public boolean coolingDown(long nowMillis) {
        return nowMillis < cooldownUntilMillis;
    }

    public long cooldownUntilMillis() {
        return cooldownUntilMillis;
    }

    /** Set by background health checks: null when the last check passed. */
    public void healthError(String error) {
        this.healthError = error;
    }

    public String healthError() {
        return healthError;
    }
}
