package dev.aigateway.governance.limits;

import dev.aigateway.governance.keys.VirtualKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * A key's (or a holder's) soft budget: when its committed spend crosses {@code soft_budget} a warning is logged, and the
 * request goes on (nothing is blocked). Committed spend only grows within a window, so "crossed" happens
 * at most once per window; with Redis only the instance whose settlement crossed it logs.
 */
public final class SoftBudgetWarnings {
    private static final Logger LOG = LoggerFactory.getLogger(SoftBudgetWarnings.class);
    private final LongAdder warnings = new LongAdder();

    /** Logs when {@code before < soft <= after}. */
    void settled(VirtualKey key, Check.Budget budget, long before, long after) {
        long soft = budget.softNanos();
        if (soft < 0 || before >= soft || after < soft) return;
        warnings.increment();
        LOG.warn("{} crossed its soft budget: spend {} USD >= soft_budget {} USD{}{} (requests are still served).",
                budget.owner() != null ? budget.owner() : "Key " + (key == null ? "?" : key.label()), Refusals.usd(after), Refusals.usd(soft),
                budget.limited() ? ", max_budget " + Refusals.usd(budget.limitNanos()) + " USD" : "",
                budget.windowEnd() == null ? "" : ", window ends " + budget.windowEnd());
    }

    /** How many soft-budget warnings this process has logged (for metrics). */
    public long count() {
        return warnings.sum();
    }
}
