package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.limits.Limits;

import java.time.Instant;

/**
 * A named set of limits (LiteLLM's budget table) that organizations, team memberships, end users and keys reference
 * by {@code budget_id}. It keeps no spend: each holder that uses it counts its own.
 */
public record Budget(String budgetId, Double maxBudget, Double softBudget, Long maxParallelRequests, Long tpmLimit, Long rpmLimit,
                     ObjectNode modelMaxBudget, String budgetDuration, Instant createdAt, Instant updatedAt, String createdBy,
                     String updatedBy) {

    public Budget {
        if (modelMaxBudget == null) modelMaxBudget = Json.object();
    }

    public Limits limits() {
        return new Limits(maxBudget, softBudget, budgetDuration, rpmLimit, tpmLimit, maxParallelRequests);
    }

    /** The limits of a named budget, or none when there is none. */
    static Limits of(Budget b) {
        return b == null ? null : b.limits();
    }
}
