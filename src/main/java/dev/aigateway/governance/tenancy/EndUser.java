package dev.aigateway.governance.tenancy;

import dev.aigateway.governance.limits.Limits;

import java.time.Instant;

/** An end user of the caller's application (LiteLLM's customer), named per request; limits from its named budget. */
public record EndUser(String userId, String alias, String budgetId, String allowedModelRegion, String defaultModel,
                      boolean blocked, double spend, Instant budgetResetAt, Instant createdAt, Instant updatedAt) {

    public Limits limits(Budget budget) {
        return Limits.NONE.over(Budget.of(budget));
    }
}
