package dev.aigateway.governance.limits;

import dev.aigateway.governance.keys.VirtualKey;

import java.time.Instant;

/**
 * Told when a key's (or a holder's) budget window has rolled ({@code now} passed its stored {@code budget_reset_at}),
 * so that the stored row starts the new window too. Called on the request's thread: must not block.
 */
@FunctionalInterface
public interface BudgetResets {

    void windowRolled(VirtualKey key, Instant previousEnd, Instant nextEnd);

    /** The same for an organization, team, team membership, user or end user. */
    default void holderWindowRolled(Holder holder, Instant previousEnd, Instant nextEnd) {}

    /** For limiters without a database (tests). */
    BudgetResets NONE = (key, previousEnd, nextEnd) -> {};
}
