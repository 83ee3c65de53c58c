package dev.aigateway.governance.limits;

import dev.aigateway.governance.keys.VirtualKey;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control counted in Redis, so that every gateway instance on the same Redis shares one set of
 * counters. The rules are {@link Limiter}'s; the counting is two Lua scripts ({@code limits/admit.lua},
 * {@code limits/settle.lua}), each one round trip (EVALSHA; EVAL when Redis answers NOSCRIPT, e.g. after a
 * restart), atomic because Redis runs a script alone.
 *
 * <p>Keys (all under the configured prefix, {@code gw:} by default):
 * <ul>
 *   <li>{@code rpm:<level>:<scope>:<minute>}, {@code tpm:...:<minute>}: counters of one minute, expiring after
 *       {@link #MINUTE_TTL_MS}.</li>
 *   <li>{@code par:<level>:<scope>}: the admissions in flight, a sorted set scored by a deadline
 *       ({@link #HOLD_MS} after admission): a slot not released by then (its instance crashed) is dropped.</li>
 *   <li>{@code bud:<level>:<scope>:<window end>}: committed spend of one budget window in nano-USD, seeded
 *       from the key's stored spend with SET NX the first time the window is seen, expiring an hour after
 *       the window ends ({@link #NEVER_WINDOW_TTL_MS}, refreshed on use, for budgets that never reset: it is
 *       re-seeded from the database when it lapses).</li>
 *   <li>{@code res:<level>:<scope>}: reservations in flight, members {@code id|nanos} scored by the same
 *       deadline as parallel slots.</li>
 * </ul>
 * Level is {@code k} (key), {@code km} (key and model), {@code d} (deployment), or a holder's: {@code o}
 * (organization), {@code t} (team), {@code tm} (team membership), {@code u} (user), {@code e} (end user).
 */
public final class RedisLimiter implements Limiter {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLimiter.class);
    /** How long a reservation or parallel slot may be held before Redis drops it (longer than any request). */
    static final long HOLD_MS = 15 * 60_000L;
    static final long MINUTE_TTL_MS = 120_000L;
    static final long WINDOW_MARGIN_MS = 3_600_000L;
    static final long NEVER_WINDOW_TTL_MS = 24 * 3_600_000L;

    private static final Script ADMIT = Script.load("limits/admit.lua");
    private static final Script SETTLE = Script.load("limits/settle.lua");

    private final Redis redis;
    private final String prefix;
    private final Clock clock;
    private final BudgetResets resets;
    private final SoftBudgetWarnings softBudgets;
    private final String instance = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final AtomicLong sequence = new AtomicLong();

    public RedisLimiter(Redis redis, String prefix, Clock clock, BudgetResets resets, SoftBudgetWarnings softBudgets) {
        this.redis = redis;
        this.prefix = prefix;
        this.clock = clock;
        this.resets = resets;
        this.softBudgets = softBudgets;
    }

    /**
     * Opens a connection and loads both scripts (SCRIPT LOAD), so that the first admissions do not pay for
     * it. Optional: a Redis that does not know a script gets it through EVAL.
     */
    public Future<Void> loadScripts() {
        return Future.all(List.of(ADMIT, SETTLE).stream()
                .map(s -> redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(s.source))).toList()).mapEmpty();
    }

    @Override
    public Future<Admission> admit(AdmissionRequest request) {
        LimitPlan plan = LimitPlan.of(request);
        plan.announceRolls(resets);
        if (plan.isEmpty()) return Future.succeededFuture(Admission.unlimited(request));
        String id = instance + Long.toHexString(sequence.incrementAndGet());
        long now = request.now().toEpochMilli();
        long minute = LimitPlan.minute(request.now());
        List<String> keys = new ArrayList<>(8);
        List<String> args = new ArrayList<>(9 + 4 * plan.checks().size());
        args.add(Long.toString(now));
        args.add(id);
        args.add(Long.toString(now + HOLD_MS));
        args.add(Long.toString(HOLD_MS));
        args.add(Long.toString(plan.cost().fixedNanos()));
        args.add(Long.toString(plan.cost().perTokenPicos()));
        args.add(Long.toString(plan.cost().minTokens()));
        args.add(Long.toString(plan.cost().maxTokens()));
        args.add(Long.toString(MINUTE_TTL_MS));
        for (Check check : plan.checks()) {
            switch (check) {
                case Check.Budget b -> {
                    keys.add(committedKey(b));
                    keys.add(reservationsKey(b));
                    args.add("B");
                    args.add(Long.toString(b.limitNanos()));
                    args.add(Long.toString(b.seedNanos()));
                    args.add(Long.toString(b.windowEnd() == null ? NEVER_WINDOW_TTL_MS
                            : Math.max(60_000, b.windowEnd().toEpochMilli() - now + WINDOW_MARGIN_MS)));
                }
                case Check.Rate r -> {
                    keys.add(r.kind() == Check.RateKind.PARALLEL ? prefix + r.counterId() : prefix + r.counterId() + ":" + minute);
                    args.add(switch (r.kind()) {
                        case PARALLEL -> "P";
                        case RPM -> "R";
                        case TPM -> "T";
                    });
                    args.add(Long.toString(r.limit()));
                    args.add("0");
                    args.add("0");
                }
            }
        }
        return eval(ADMIT, keys, args).map(reply -> {
            int failed = reply.get(0).toInteger();
            if (failed > 0) {
                long fit = reply.get(3).toLong();
                if (fit == -2) throw plan.refusal(failed - 1, reply.get(1).toLong(), reply.get(2).toLong());
                throw plan.worstCaseRefusal(failed - 1, reply.get(1).toLong(), reply.get(2).toLong(), fit);
            }
            int n = plan.checks().size();
            long[] values = new long[n];
            for (int i = 0; i < n; i++) values[i] = reply.get(i + 1).toLong();
            String reserved = reply.get(n + 2).toString();
            return plan.admitted(values, reply.get(n + 1).toLong(), Long.parseLong(reserved), new RedisHold(plan, id, reserved));
        });
    }

    @Override
    public Future<Void> settle(Admission admission, Settlement actual) {
        if (!(admission.hold() instanceof RedisHold h) || !h.plan.settlesAnything()) return Future.succeededFuture();
        return settle(h, actual).otherwise(t -> {
            LOG.debug("Settlement in Redis failed (its holds expire on their own): {}", t.getMessage());
            return null;
        });
    }

    @Override
    public Future<Void> adjust(Admission admission, Settlement delta) {
        if (!(admission.hold() instanceof RedisHold h) || delta.costNanos() == 0 && delta.totalTokens() <= 0) return Future.succeededFuture();
        // the settlement script with a member nothing holds: it releases nothing and books the difference
        return settle(h, h.id + "+adjust", "0", delta).otherwise(t -> {
            LOG.debug("Adjustment in Redis failed: {}", t.getMessage());
            return null;
        });
    }

    Future<Void> settle(RedisHold h, Settlement actual) {
        return settle(h, h.id, h.reserved, actual);
    }

    private Future<Void> settle(RedisHold h, String member, String reserved, Settlement actual) {
        long minute = LimitPlan.minute(clock.instant());
        List<String> keys = new ArrayList<>(8);
        List<String> args = new ArrayList<>(5 + h.plan.checks().size());
        args.add(member);
        args.add(reserved);
        args.add(Long.toString(actual.costNanos()));
        args.add(Long.toString(actual.totalTokens()));
        args.add(Long.toString(MINUTE_TTL_MS));
        List<Check.Budget> budgets = new ArrayList<>(2);
        for (Check check : h.plan.checks()) {
            switch (check) {
                case Check.Budget b -> {
                    keys.add(committedKey(b));
                    keys.add(reservationsKey(b));
                    args.add("B");
                    budgets.add(b);
                }
                case Check.Rate r when r.kind() == Check.RateKind.PARALLEL -> {
                    keys.add(prefix + r.counterId());
                    args.add("P");
                }
                case Check.Rate r when r.kind() == Check.RateKind.TPM -> {
                    keys.add(prefix + r.counterId() + ":" + minute);
                    args.add("T");
                }
                case Check.Rate r -> args.add("R");
            }
        }
        VirtualKey key = h.plan.request().key();
        return eval(SETTLE, keys, args).map(reply -> {
            for (int i = 0; i < budgets.size(); i++) {
                long after = reply.get(i).toLong();
                if (after >= 0 && actual.costNanos() > 0) softBudgets.settled(key, budgets.get(i), after - actual.costNanos(), after);
            }
            return null;
        });
    }

    /** One round trip to see whether Redis answers. */
    public Future<Void> ping() {
        return redis.send(Request.cmd(Command.PING)).mapEmpty();
    }

    @Override
    public String redisStatus() {
        return "connected";
    }

    @Override
    public void close() {
        try {
            redis.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing the Redis client: {}", e.getMessage());
        }
    }

    private String committedKey(Check.Budget b) {
        return prefix + b.counterId() + ":" + (b.windowEnd() == null ? "all" : Long.toString(b.windowEnd().toEpochMilli()));
    }

    private String reservationsKey(Check.Budget b) {
        return prefix + "res:" + b.level().tag + ":" + b.scopeId();
    }

    /** EVALSHA, or EVAL (which also caches the script) when this Redis does not know the script yet. */
    private Future<Response> eval(Script script, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, script.sha, keys, args)).recover(t -> {
            if (t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT")) {
                return redis.send(request(Command.EVAL, script.source, keys, args));
            }
            return Future.failedFuture(t);
        });
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request r = Request.cmd(command).arg(script).arg(keys.size());
        for (String k : keys) r.arg(k);
        for (String a : args) r.arg(a);
        return r;
    }

    /**
     * What a Redis admission holds: the plan (its keys), the admission id (its members in the sets) and the amount
     * reserved, as the script wrote it into the reservation members ({@code id|amount}).
     */
    record RedisHold(LimitPlan plan, String id, String reserved) implements Admission.Hold {}

    /** A Lua script from the classpath and its SHA-1 (what EVALSHA names it by). */
    record Script(String source, String sha) {
        static Script load(String resource) {
            try (InputStream in = RedisLimiter.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) throw new IllegalStateException("missing resource " + resource);
                String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                byte[] sha = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
                return new Script(source, HexFormat.of().formatHex(sha));
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new IllegalStateException("cannot load " + resource, e);
            }
        }
    }
}
