package dev.aigateway.governance.limits;

import java.time.Instant;

/**
 * A level of the tenancy above a key whose limits every request of that key must also pass: the key's organization,
 * its team, its user's membership of that team, its user, and the request's end user. Built from memory (the tenancy
 * registry) for each request; {@link LimitPlan} turns each into budget and rate checks exactly as for the key itself,
 * so the same reservations keep a budget shared by many keys (on many instances) from being overspent.
 *
 * @param level         which kind of holder (one of {@link Check.Level#ORGANIZATION} ... {@link Check.Level#END_USER})
 * @param id            its id (for a team membership: {@code teamId/userId})
 * @param label         how refusals name it, in LiteLLM's words ({@code Team=<team_id>})
 * @param spend         spend stored for its current window
 * @param budgetResetAt end of the stored window, or null (no window yet, or a budget that never resets)
 */
public record Holder(Check.Level level, String id, String label, Limits limits, double spend, Instant budgetResetAt) {

    public Holder {
        if (!level.holder) throw new IllegalArgumentException("Not a holder level: " + level);
    }
}
