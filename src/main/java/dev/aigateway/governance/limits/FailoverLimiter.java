package dev.aigateway.governance.limits;

import dev.aigateway.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Redis counting with a local fallback, so that losing Redis never stops traffic. While Redis answers,
 * every admission goes to {@link RedisLimiter}. When an admission fails for any reason other than a
 * refusal, or takes longer than {@code timeoutMs}, or the background probe (a PING every
 * {@code probeMs}) fails, the limiter turns "degraded": it logs that once, answers from a
 * {@link LocalLimiter} (limits then hold per instance, not globally), and keeps probing; on the first
 * successful probe it logs the recovery once and goes back to Redis.
 *
 * <p>Resynchronisation is the seeding rules: the local counters are cleared on entering degraded mode,
 * so budgets start again from the stored spend the registry holds; Redis's own counters are seeded from
 * the same place when a restarted Redis has lost them. An admission that Redis completed after its
 * timeout had been given up is released at once, so a slow Redis cannot leak slots or reservations.
 * Each admission is settled by the limiter that admitted it.
 */
public final class FailoverLimiter implements Limiter {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverLimiter.class);
    /**
     * How long an admission waits for Redis before answering locally. A refused connection fails at once; this
     * bounds a hung Redis, and is generous because it also measures event-loop stalls (GC, a busy machine) that
     * must not count as an outage.
     */
    public static final long DEFAULT_TIMEOUT_MS = 1_000;
    public static final long DEFAULT_PROBE_MS = 1_000;

    private final Vertx vertx;
    private final RedisLimiter redis;
    private final LocalLimiter local;
    private final long timeoutMs;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final long probeTimer;
    private volatile boolean closed;

    public FailoverLimiter(Vertx vertx, RedisLimiter redis, LocalLimiter local) {
        this(vertx, redis, local, DEFAULT_TIMEOUT_MS, DEFAULT_PROBE_MS);
    }

    public FailoverLimiter(Vertx vertx, RedisLimiter redis, LocalLimiter local, long timeoutMs, long probeMs) {
        this.vertx = vertx;
        this.redis = redis;
        this.local = local;
        this.timeoutMs = timeoutMs;
        probe();
        this.probeTimer = vertx.setPeriodic(probeMs, id -> probe());
    }

    @Override
    public Future<Admission> admit(AdmissionRequest request) {
        if (degraded.get()) return local.admit(request);
        Promise<Admission> answer = Promise.promise();
        Future<Admission> viaRedis = redis.admit(request);
        long timer = vertx.setTimer(timeoutMs, id -> answer.tryFail(new TimeoutException("no answer from Redis in " + timeoutMs + " ms")));
        viaRedis.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                if (!answer.tryComplete(ar.result())) redis.settle(ar.result(), Settlement.NOTHING); // too late: release it
            } else {
                answer.tryFail(ar.cause());
            }
        });
        return answer.future().recover(t -> {
            if (t instanceof GatewayException) return Future.failedFuture(t); // a refusal, not an outage
            degrade(t);
            return local.admit(request);
        });
    }

    /**
     * Settles with the limiter that admitted. A Redis settlement is waited for at most {@code timeoutMs}: the answer
     * it holds back (see {@link Limiter}) must not hang on a Redis that stopped answering; the hold then expires there.
     */
    @Override
    public Future<Void> settle(Admission admission, Settlement actual) {
        if (!(admission.hold() instanceof RedisLimiter.RedisHold)) return local.settle(admission, actual);
        Future<Void> settled = redis.settle(admission, actual);
        if (settled.isComplete()) return settled;
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> done.tryComplete());
        settled.onComplete(ar -> {
            vertx.cancelTimer(timer);
            done.tryComplete();
        });
        return done.future();
    }

    @Override
    public Future<Void> adjust(Admission admission, Settlement delta) {
        if (admission.hold() instanceof RedisLimiter.RedisHold) return redis.adjust(admission, delta);
        return local.adjust(admission, delta);
    }

    @Override
    public String redisStatus() {
        return degraded.get() ? "degraded" : "connected";
    }

    private void probe() {
        if (closed) return;
        redis.ping().timeout(Math.max(timeoutMs, 1_000), TimeUnit.MILLISECONDS).onComplete(ar -> {
            if (ar.succeeded()) recover();
            else degrade(ar.cause());
        });
    }

    private void degrade(Throwable cause) {
        if (closed || !degraded.compareAndSet(false, true)) return;
        local.clear();
        LOG.warn("Redis is unreachable ({}): rate limits and budgets are now counted by this instance alone "
                + "(readiness reports redis: degraded). Retrying in the background.", describe(cause));
    }

    private void recover() {
        if (degraded.compareAndSet(true, false)) {
            LOG.info("Redis is reachable again: rate limits and budgets are shared across instances again.");
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        closed = true;
        vertx.cancelTimer(probeTimer);
        redis.close();
    }
}
