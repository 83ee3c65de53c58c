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
 * @param rolledFrom the stored window end that {@code now} has passed (the row needs a reset), or null
 * @param rolledTo   the end of the window {@code now} is in, when rolledFrom is set
 */
public record LimitPlan(AdmissionRequest request, List<Check> checks, Instant rolledFrom, Instant rolledTo) {

    public static LimitPlan of(AdmissionRequest r) {
        List<Check> checks = new ArrayList<>(4);
        VirtualKey key = r.key();
        Instant rolledFrom = null;
        Instant rolledTo = null;
        String model = r.modelName();
        if (key != null) {
            String hash = key.tokenHash();
            BudgetDuration duration = BudgetDuration.parseOrNull(key.budgetDuration());
            Instant end = null;
            if (duration != null) {
                if (key.budgetResetAt() != null) {
                    end = duration.nextEnd(key.budgetResetAt(), r.now());
                    if (!end.equals(key.budgetResetAt())) {
                        rolledFrom = key.budgetResetAt();
                        rolledTo = end;
                    }
                } else {
                    end = duration.alignedEnd(r.now());
                }
            }
            if (key.maxBudget() != null || key.softBudget() != null) {
                boolean storedWindow = end == null || end.equals(key.budgetResetAt());
                checks.add(new Check.Budget(Check.Level.KEY, hash, null,
                        key.maxBudget() == null ? -1 : Money.nanos(key.maxBudget()),
                        key.softBudget() == null ? -1 : Money.nanos(key.softBudget()),
                        end, storedWindow ? Money.nanos(key.spend()) : 0));
            }
            VirtualKey.ModelBudget mb = key.modelMaxBudget() == null || model == null ? null : key.modelMaxBudget().get(model);
            if (mb != null) {
                BudgetDuration period = BudgetDuration.parseOrNull(mb.timePeriod());
                checks.add(new Check.Budget(Check.Level.KEY_MODEL, hash + ":" + model, model, Money.nanos(mb.budgetLimit()), -1,
                        period == null ? null : period.alignedEnd(r.now()), 0));
            }
            if (key.maxParallelRequests() != null) {
                checks.add(new Check.Rate(Check.RateKind.PARALLEL, Check.Level.KEY, hash, null, key.maxParallelRequests(), "Key max_parallel_requests"));
            }
        }
        addRate(checks, Check.RateKind.RPM, r, key == null ? null : key.rpmLimit(), key == null ? null : modelLimit(key.modelRpmLimit(), model));
        addRate(checks, Check.RateKind.TPM, r, key == null ? null : key.tpmLimit(), key == null ? null : modelLimit(key.modelTpmLimit(), model));
        return new LimitPlan(r, List.copyOf(checks), rolledFrom, rolledTo);
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

    /** Whether any check counts against the key (as opposed to only the deployment). */
    public boolean touchesKey() {
        for (Check c : checks) if (c.level() != Check.Level.DEPLOYMENT) return true;
        return false;
    }

    public boolean touchesDeployment() {
        for (Check c : checks) if (c.level() == Check.Level.DEPLOYMENT) return true;
        return false;
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
