package dev.aigateway.governance.limits;

import dev.aigateway.core.Deployment;
import dev.aigateway.governance.BudgetDuration;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.Money;
import dev.aigateway.governance.spend.WorstCase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits that apply to one request, in the order they are checked: the key's budget, its per-model
 * budget, then max_parallel_requests, rpm (key, key and model, deployment) and tpm (same three). Both
 * limiters build the plan here so they judge a request identically; they differ only in where the
 * counters live.
 *
 * <p>Budget windows are decided here too. A key with {@code budget_duration} is in the window ending at
 * its {@code budget_reset_at}; once {@code now} reaches that end the window has rolled to the first
 * later end ({@link BudgetDuration#nextEnd}), and {@link #rolledFrom()} tells the limiter to reset the
 * stored row. The committed spend a window starts from is the key's stored {@code spend} when the stored
 * row describes that window, else 0 (a window nobody has written to yet). Per-model budgets have no
 * stored window: theirs are aligned on the epoch and start at 0.
 *
 * <p>The holders above the key (organization, team, team membership, user, end user: {@link Holder}) add the same
 * checks for their own limits, with their own stored spend and window, so a request passes only if every level it
 * belongs to allows it, and the same reservations keep a budget shared by many keys from being overspent.
 *
 * @param rolledFrom  the key's stored window end that {@code now} has passed (the row needs a reset), or null
 * @param rolledTo    the end of the window {@code now} is in, when rolledFrom is set
 * @param holderRolls the same for holders whose stored windows {@code now} has passed
 */
public record LimitPlan(AdmissionRequest request, List<Check> checks, Instant rolledFrom, Instant rolledTo, List<Roll> holderRolls) {

    /** A holder's stored window that {@code now} has passed: its row needs a reset, as a key's does. */
    public record Roll(Holder holder, Instant from, Instant to) {}

    public static LimitPlan of(AdmissionRequest r) {
        List<Check> checks = new ArrayList<>(4);
        VirtualKey key = r.key();
        Instant rolledFrom = null;
        Instant rolledTo = null;
        String model = r.modelName();
        if (key != null) {
            String hash = key.tokenHash();
            BudgetDuration duration = BudgetDuration.parseOrNull(key.budgetDuration());
            Instant end = windowEnd(duration, key.budgetResetAt(), r.now());
            if (rolled(end, key.budgetResetAt())) {
                rolledFrom = key.budgetResetAt();
                rolledTo = end;
            }
            if (key.maxBudget() != null || key.softBudget() != null) {
                checks.add(budget(Check.Level.KEY, hash, null, key.maxBudget(), key.softBudget(), end, key.budgetResetAt(), key.spend()));
            }
            VirtualKey.ModelBudget mb = key.modelMaxBudget() == null || model == null ? null : key.modelMaxBudget().get(model);
            if (mb != null) {
                BudgetDuration period = BudgetDuration.parseOrNull(mb.timePeriod());
                checks.add(new Check.Budget(Check.Level.KEY_MODEL, hash + ":" + model, null, model, Money.nanos(mb.budgetLimit()), -1,
                        period == null ? null : period.alignedEnd(r.now()), 0));
            }
            if (key.maxParallelRequests() != null) {
                checks.add(new Check.Rate(Check.RateKind.PARALLEL, Check.Level.KEY, hash, null, key.maxParallelRequests(), "Key max_parallel_requests"));
            }
        }
        List<Roll> rolls = List.of();
        for (Holder h : r.holders()) {
            Limits l = h.limits();
            Instant end = windowEnd(BudgetDuration.parseOrNull(l.budgetDuration()), h.budgetResetAt(), r.now());
            if (rolled(end, h.budgetResetAt())) {
                if (rolls.isEmpty()) rolls = new ArrayList<>(2);
                rolls.add(new Roll(h, h.budgetResetAt(), end));
            }
            if (l.hasBudget()) {
                checks.add(budget(h.level(), h.id(), h.label(), l.maxBudget(), l.softBudget(), end, h.budgetResetAt(), h.spend()));
            }
            if (l.maxParallelRequests() != null) {
                checks.add(new Check.Rate(Check.RateKind.PARALLEL, h.level(), h.id(), null, l.maxParallelRequests(), h.label() + " max_parallel_requests"));
            }
        }
        addRate(checks, Check.RateKind.RPM, r, key == null ? null : key.rpmLimit(), key == null ? null : modelLimit(key.modelRpmLimit(), model));
        addRate(checks, Check.RateKind.TPM, r, key == null ? null : key.tpmLimit(), key == null ? null : modelLimit(key.modelTpmLimit(), model));
        return new LimitPlan(r, List.copyOf(checks), rolledFrom, rolledTo, rolls);
    }

    /**
     * The end of the window {@code now} is in: null for a budget that never resets; the first end after the stored one
     * when {@code now} has passed it; an end aligned on the epoch when nothing is stored yet.
     */
    private static Instant windowEnd(BudgetDuration duration, Instant stored, Instant now) {
        if (duration == null) return null;
        return stored != null ? duration.nextEnd(stored, now) : duration.alignedEnd(now);
    }

    private static boolean rolled(Instant end, Instant stored) {
        return end != null && stored != null && !end.equals(stored);
    }

    /** A budget whose committed spend starts from the stored spend when the stored row describes this window, else 0. */
    private static Check.Budget budget(Check.Level level, String id, String owner, Double max, Double soft, Instant end,
                                       Instant storedEnd, double storedSpend) {
        boolean storedWindow = end == null || end.equals(storedEnd);
        return new Check.Budget(level, id, owner, null, max == null ? -1 : Money.nanos(max), soft == null ? -1 : Money.nanos(soft),
                end, storedWindow ? Money.nanos(storedSpend) : 0);
    }

    /** Tells {@code resets} about every stored window this plan found rolled (the key's and its holders'). */
    public void announceRolls(BudgetResets resets) {
        if (rolledFrom != null) resets.windowRolled(request.key(), rolledFrom, rolledTo);
        for (Roll roll : holderRolls) resets.holderWindowRolled(roll.holder(), roll.from(), roll.to());
    }

    private static void addRate(List<Check> checks, Check.RateKind kind, AdmissionRequest r, Long keyLimit, Long modelLimit) {
        String name = kind == Check.RateKind.RPM ? "rpm" : "tpm";
        String model = r.modelName();
        if (keyLimit != null) {
            checks.add(new Check.Rate(kind, Check.Level.KEY, r.key().tokenHash(), null, keyLimit, "Key " + name + "_limit"));
        }
        if (modelLimit != null) {
            checks.add(new Check.Rate(kind, Check.Level.KEY_MODEL, r.key().tokenHash() + ":" + model, model, modelLimit,
                    "Key model_" + name + "_limit for model '" + model + "'"));
        }
        for (Holder h : r.holders()) {
            Long limit = kind == Check.RateKind.RPM ? h.limits().rpmLimit() : h.limits().tpmLimit();
            if (limit != null) checks.add(new Check.Rate(kind, h.level(), h.id(), null, limit, h.label() + " " + name + "_limit"));
        }
        Deployment d = r.deployment();
        Long deploymentLimit = d == null ? null : d.longParam(name);
        if (deploymentLimit != null) {
            checks.add(new Check.Rate(kind, Check.Level.DEPLOYMENT, d.id(), d.modelName(), deploymentLimit,
                    "Deployment " + name + " of model '" + d.modelName() + "' (deployment " + d.id() + ")"));
        }
    }

    private static Long modelLimit(java.util.Map<String, Long> limits, String model) {
        return limits == null || model == null ? null : limits.get(model);
    }

    public boolean isEmpty() {
        return checks.isEmpty();
    }

    /** The request's worst case, by output limit. */
    public WorstCase cost() {
        return request.cost();
    }

    /**
     * Whether settling an admission under this plan changes any counter (a reservation to release, a parallel slot,
     * tokens per minute); rpm counts are final at admission.
     */
    public boolean settlesAnything() {
        for (Check c : checks) {
            if (c instanceof Check.Budget || c instanceof Check.Rate r && r.kind() != Check.RateKind.RPM) return true;
        }
        return false;
    }

    /** Fixed one-minute windows: the minute number since the epoch. */
    public static long minute(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }

    /**
     * The admission, with the x-ratelimit figures of the tightest rpm and tpm checks.
     *
     * @param values        per check, after admission: requests this minute (rpm, including this one), tokens this
     *                      minute (tpm), requests in flight (parallel), committed spend (budget)
     * @param grantedTokens the output limit granted (see {@link #grant})
     * @param reservedNanos what was reserved against each budget: {@code cost().costNanos(grantedTokens)}
     */
    public Admission admitted(long[] values, long grantedTokens, long reservedNanos, Admission.Hold hold) {
        Long limitRequests = null, remainingRequests = null, limitTokens = null, remainingTokens = null;
        long reserved = 0;
        boolean parallel = false;
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            if (c instanceof Check.Rate rate) {
                long remaining = rate.limit() - values[i];
                switch (rate.kind()) {
                    case RPM -> {
                        if (remainingRequests == null || remaining < remainingRequests) {
                            remainingRequests = remaining;
                            limitRequests = rate.limit();
                        }
                    }
                    case TPM -> {
                        if (remainingTokens == null || remaining < remainingTokens) {
                            remainingTokens = remaining;
                            limitTokens = rate.limit();
                        }
                    }
                    case PARALLEL -> parallel = true;
                }
            } else {
                reserved = reservedNanos;
            }
        }
        return new Admission(request, reserved, grantedTokens, parallel, limitRequests,
                remainingRequests == null ? null : Math.max(0, remainingRequests),
                limitTokens, remainingTokens == null ? null : Math.max(0, remainingTokens), hold);
    }

    /** The 429 for check {@code index}, given the counter's value (and, for budgets, what is reserved). */
    public RuntimeException refusal(int index, long current, long reserved) {
        return Refusals.refusal(checks.get(index), current, reserved, request.now());
    }

    /**
     * The 429 for budget check {@code index} when the budget is not spent but the request's worst case does not fit
     * what is left; {@code largestFitting} is the largest output limit that would (-1: not even the prompt fits).
     */
    public RuntimeException worstCaseRefusal(int index, long committed, long reserved, long largestFitting) {
        return Refusals.worstCase((Check.Budget) checks.get(index), committed, reserved, request.cost(), largestFitting, request.now());
    }

    /**
     * The budget rule, for one budget check whose window holds {@code committed} spend and {@code reserved} in
     * flight: the output limit it allows (at most {@code grantedSoFar}, what earlier budget checks allowed), or a
     * negative number when the request must be refused: {@link #SPENT} when the budget is used up, else
     * {@code -2 - largestFitting} (decode with {@link #largestFitting}).
     *
     * <p>A request is admitted only if {@code committed + reserved < limit} (the budget is not spent) and
     * {@code committed + reserved + cost(t) <= limit} for an output limit {@code t} it accepts: its own max_tokens
     * when it set one, else anything from 1 to the model's maximum output (the largest that fits is granted).
     * {@code admit.lua} implements the same rule.
     */
    static long grant(Check.Budget b, long committed, long reserved, WorstCase cost, long grantedSoFar) {
        if (!b.limited()) return grantedSoFar;
        if (committed + reserved >= b.limitNanos()) return SPENT;
        long fitting = cost.largestFitting(b.limitNanos() - committed - reserved);
        if (fitting < cost.minTokens()) return -2 - Math.max(-1, fitting);
        return Math.min(grantedSoFar, fitting);
    }

    /** {@link #grant}'s answer for a spent budget. */
    static final long SPENT = Long.MIN_VALUE;

    /** The largest fitting output limit encoded in a negative {@link #grant} answer other than {@link #SPENT}. */
    static long largestFitting(long refusal) {
        return -2 - refusal;
    }
}
