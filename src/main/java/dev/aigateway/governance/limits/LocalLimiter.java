package dev.aigateway.governance.limits;

import dev.aigateway.core.GatewayException;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Admission control counted in this process: exact for one instance however many event loops admit at
 * once. The rules are {@link Limiter}'s; this class only keeps the counters.
 *
 * <p>Counters live in one {@link Scope} per key, per holder (organization, team, team membership, user, end user) and
 * per deployment, each guarded by its own monitor. An admission locks the scopes its checks touch in the order of
 * {@link Check.Level} (key, holders outermost first, deployment: one order for every admission, so two cannot
 * deadlock), checks every limit, and only if all pass moves every counter: all or nothing. Minute
 * counters keep only the current minute (a new minute overwrites the old one in place), so memory is
 * bounded by the number of keys, models and deployments. Answers are already-completed futures.
 */
public final class LocalLimiter implements Limiter {
    private final Clock clock;
    private final BudgetResets resets;
    private final SoftBudgetWarnings softBudgets;
    private volatile Counters counters = new Counters();

    public LocalLimiter(Clock clock) {
        this(clock, BudgetResets.NONE, new SoftBudgetWarnings());
    }

    public LocalLimiter(Clock clock, BudgetResets resets, SoftBudgetWarnings softBudgets) {
        this.clock = clock;
        this.resets = resets;
        this.softBudgets = softBudgets;
    }

    @Override
    public Future<Admission> admit(AdmissionRequest request) {
        LimitPlan plan = LimitPlan.of(request);
        plan.announceRolls(resets);
        if (plan.isEmpty()) return Future.succeededFuture(Admission.unlimited(request));
        Scope[] scopes = counters.scopesOf(plan);
        Scope[] lockOrder = lockOrder(scopes);
        try {
            return Future.succeededFuture(locked(lockOrder, () -> admitLocked(plan, scopes, lockOrder)));
        } catch (GatewayException refused) {
            return Future.failedFuture(refused);
        }
    }

    private Admission admitLocked(LimitPlan plan, Scope[] scopes, Scope[] lockOrder) {
        List<Check> checks = plan.checks();
        int n = checks.size();
        Object[] held = new Object[n];
        Instant[] windows = new Instant[n];
        long[] values = new long[n];
        long minute = LimitPlan.minute(plan.request().now());
        long granted = plan.cost().maxTokens();
        for (int i = 0; i < n; i++) {
            Check check = checks.get(i);
            Map<String, Object> scope = scopes[i].counters;
            switch (check) {
                case Check.Budget b -> {
                    BudgetCounter bc = (BudgetCounter) scope.computeIfAbsent(b.counterId(), id -> new BudgetCounter());
                    bc.enter(b);
                    long grant = LimitPlan.grant(b, bc.committed, bc.reserved, plan.cost(), granted);
                    if (grant == LimitPlan.SPENT) throw plan.refusal(i, bc.committed, bc.reserved);
                    if (grant < 0) throw plan.worstCaseRefusal(i, bc.committed, bc.reserved, LimitPlan.largestFitting(grant));
                    granted = grant;
                    values[i] = bc.committed;
                    windows[i] = bc.windowEnd;
                    held[i] = bc;
                }
                case Check.Rate r when r.kind() == Check.RateKind.PARALLEL -> {
                    InFlight f = (InFlight) scope.computeIfAbsent(r.counterId(), id -> new InFlight());
                    if (f.count >= r.limit()) throw plan.refusal(i, f.count, 0);
                    values[i] = f.count + 1;
                    held[i] = f;
                }
                case Check.Rate r -> {
                    MinuteCounter m = (MinuteCounter) scope.computeIfAbsent(r.counterId(), id -> new MinuteCounter());
                    long used = m.value(minute);
                    if (used >= r.limit()) throw plan.refusal(i, used, 0);
                    values[i] = r.kind() == Check.RateKind.RPM ? used + 1 : used;
                    held[i] = m;
                }
            }
        }
        // every check passed: count the request against all of them
        long reserve = plan.cost().costNanos(granted);
        for (int i = 0; i < n; i++) {
            switch (held[i]) {
                case BudgetCounter bc -> bc.reserved += reserve;
                case InFlight f -> f.count++;
                case MinuteCounter m -> {
                    if (isKind(checks.get(i), Check.RateKind.RPM)) m.add(minute, 1); // tpm: tokens are added at settlement
                }
                default -> throw new IllegalStateException();
            }
        }
        return plan.admitted(values, granted, reserve, new LocalHold(plan, reserve, lockOrder, held, windows));
    }

    @Override
    public Future<Void> settle(Admission admission, Settlement actual) {
        if (!(admission.hold() instanceof LocalHold h)) return Future.succeededFuture();
        long minute = LimitPlan.minute(clock.instant());
        List<Check> checks = h.plan.checks();
        List<long[]> crossings = new ArrayList<>(1);
        locked(h.lockOrder, () -> {
            for (int i = 0; i < checks.size(); i++) {
                switch (h.held[i]) {
                    case BudgetCounter bc -> {
                        bc.reserved = Math.max(0, bc.reserved - h.reservedNanos);
                        if (Objects.equals(bc.windowEnd, h.windows[i]) && actual.costNanos() > 0) {
                            long before = bc.committed;
                            bc.committed += actual.costNanos();
                            crossings.add(new long[]{i, before, bc.committed});
                        }
                    }
                    case InFlight f -> f.count = Math.max(0, f.count - 1);
                    case MinuteCounter m -> {
                        if (isKind(checks.get(i), Check.RateKind.TPM) && actual.totalTokens() > 0) m.add(minute, actual.totalTokens());
                    }
                    default -> throw new IllegalStateException();
                }
            }
            return null;
        });
        for (long[] c : crossings) {
            softBudgets.settled(h.plan.request().key(), (Check.Budget) checks.get((int) c[0]), c[1], c[2]);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> adjust(Admission admission, Settlement delta) {
        if (!(admission.hold() instanceof LocalHold h) || delta.costNanos() == 0 && delta.totalTokens() <= 0) return Future.succeededFuture();
        long minute = LimitPlan.minute(clock.instant());
        List<Check> checks = h.plan.checks();
        List<long[]> crossings = new ArrayList<>(1);
        locked(h.lockOrder, () -> {
            for (int i = 0; i < checks.size(); i++) {
                if (h.held[i] instanceof BudgetCounter bc && Objects.equals(bc.windowEnd, h.windows[i])) {
                    long before = bc.committed;
                    bc.committed = Math.max(0, bc.committed + delta.costNanos());
                    crossings.add(new long[]{i, before, bc.committed});
                } else if (h.held[i] instanceof MinuteCounter m && isKind(checks.get(i), Check.RateKind.TPM) && delta.totalTokens() > 0) {
                    m.add(minute, delta.totalTokens());
                }
            }
            return null;
        });
        for (long[] c : crossings) {
            softBudgets.settled(h.plan.request().key(), (Check.Budget) checks.get((int) c[0]), c[1], c[2]);
        }
        return Future.succeededFuture();
    }

    /** Forgets every counter: budgets re-seed from the stored spend. Used when counting moves back here from Redis. */
    public void clear() {
        counters = new Counters();
    }

    @Override
    public String redisStatus() {
        return "not configured";
    }

    private static boolean isKind(Check check, Check.RateKind kind) {
        return check instanceof Check.Rate r && r.kind() == kind;
    }

    /** Runs {@code body} holding the monitor of every scope of {@link #lockOrder}, in that order. */
    private static <T> T locked(Scope[] lockOrder, Supplier<T> body) {
        return lockFrom(lockOrder, 0, body);
    }

    private static <T> T lockFrom(Scope[] ordered, int i, Supplier<T> body) {
        if (i >= ordered.length) return body.get();
        synchronized (ordered[i]) {
            return lockFrom(ordered, i + 1, body);
        }
    }

    /**
     * A plan's distinct scopes in {@link Check.Level} order (a plan has at most one scope per level): every admission
     * locks in this one order, so two cannot deadlock.
     */
    private static Scope[] lockOrder(Scope[] scopes) {
        List<Scope> distinct = new ArrayList<>(scopes.length);
        for (Scope s : scopes) if (!distinct.contains(s)) distinct.add(s);
        distinct.sort(Comparator.comparingInt(s -> s.level.ordinal()));
        return distinct.toArray(new Scope[0]);
    }

    /** Every counter this limiter keeps, replaced whole by {@link #clear()}. */
    private static final class Counters {
        /** Per level (key and key-model share the key's), per id: the key hash, holder id or deployment id. */
        final Map<Check.Level, Map<String, Scope>> byLevel = new EnumMap<>(Check.Level.class);

        Counters() {
            for (Check.Level level : Check.Level.values()) {
                if (level != Check.Level.KEY_MODEL) byLevel.put(level, new ConcurrentHashMap<>());
            }
        }

        /** The scope of each of the plan's checks, in the plan's order. */
        Scope[] scopesOf(LimitPlan plan) {
            List<Check> checks = plan.checks();
            Scope[] scopes = new Scope[checks.size()];
            String keyHash = plan.request().key() == null ? null : plan.request().key().tokenHash();
            for (int i = 0; i < scopes.length; i++) {
                Check c = checks.get(i);
                String id = switch (c.level()) {
                    case KEY, KEY_MODEL -> keyHash;
                    default -> c.scopeId();
                };
                Check.Level level = c.level() == Check.Level.KEY_MODEL ? Check.Level.KEY : c.level();
                scopes[i] = byLevel.get(level).computeIfAbsent(id, x -> new Scope(level));
            }
            return scopes;
        }
    }

    /** The counters of one key, holder or deployment, by {@link Check#counterId()}; guarded by this object's monitor. */
    private static final class Scope {
        final Check.Level level;
        final Map<String, Object> counters = new HashMap<>();

        Scope(Check.Level level) {
            this.level = level;
        }
    }

    /** A budget's current window: committed spend and reservations in flight, in nano-USD. */
    private static final class BudgetCounter {
        boolean seeded;
        Instant windowEnd;
        long committed;
        long reserved;

        /**
         * Moves to the check's window if it is a different one, starting from its seed. A check for an
         * older window (a request whose clock read came just before another's roll) uses the current one.
         */
        void enter(Check.Budget b) {
            if (seeded && Objects.equals(windowEnd, b.windowEnd())) return;
            if (seeded && windowEnd != null && b.windowEnd() != null && b.windowEnd().isBefore(windowEnd)) return;
            seeded = true;
            windowEnd = b.windowEnd();
            committed = b.seedNanos();
        }
    }

    /** A count for the current minute only; a count for an earlier minute is dropped when a new minute starts. */
    private static final class MinuteCounter {
        long minute = Long.MIN_VALUE;
        long count;

        long value(long m) {
            return m > minute ? 0 : count;
        }

        void add(long m, long n) {
            if (m > minute) {
                minute = m;
                count = n;
            } else {
                count += n; // this minute, or a late one: counted in the current window
            }
        }
    }

    private static final class InFlight {
        long count;
    }

    /** What one admission moved, so that settlement releases exactly that. */
    private record LocalHold(LimitPlan plan, long reservedNanos, Scope[] lockOrder, Object[] held, Instant[] windows)
            implements Admission.Hold {}
}
