package dev.aigateway.governance.limits;

import java.time.Instant;

/** Where the holders' budget windows are stored (the tenancy's tables), for {@link StoredBudgetResets}. */
@FunctionalInterface
public interface HolderBudgets {

    /**
     * Starts a holder's stored budget window again ({@code spend = 0}, {@code budget_reset_at = nextEnd}) if the stored
     * row is still in the window that ended at {@code previousEnd}, then re-reads it. Blocking: call on a worker thread.
     *
     * @return whether this call reset the row (false: another instance did, or the row is gone)
     */
    boolean resetBudget(Check.Level level, String id, Instant previousEnd, Instant nextEnd);

    HolderBudgets NONE = (level, id, previousEnd, nextEnd) -> false;
}
