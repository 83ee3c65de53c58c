package dev.aigateway.governance.keys;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A virtual key as the gateway holds it in memory: everything LiteLLM's {@code /key/generate} accepts,
 * keyed by the SHA-256 of the key (the key itself is never stored). Immutable; an update replaces it.
 *
 * @param keyName        a display form of the key ({@code sk-...abcd}), safe to show and log
 * @param spend          spend as last read from the database (the live figure is the limiter's)
 * @param modelMaxBudget per-model budgets in USD, with their windows
 * @param budgetResetAt  end of the current budget window, or null when the budget never resets
 * @param organizationId the organization the key belongs to directly (else through its team or user), or null
 * @param budgetId       a named budget whose limits apply where the key sets none, or null
 */
public record VirtualKey(
        String tokenHash,
        String keyName,
        String keyAlias,
        double spend,
        Double maxBudget,
        Double softBudget,
        String budgetDuration,
        Instant budgetResetAt,
        List<String> models,
        Map<String, ModelBudget> modelMaxBudget,
        Long rpmLimit,
        Long tpmLimit,
        Long maxParallelRequests,
        Map<String, Long> modelRpmLimit,
        Map<String, Long> modelTpmLimit,
        Instant expiresAt,
        ObjectNode metadata,
        String userId,
        String teamId,
        boolean blocked,
        Map<String, String> aliases,
        List<String> allowedRoutes,
        String keyType,
        Instant createdAt,
        Instant updatedAt,
        String createdBy,
        String organizationId,
        String budgetId) {

    /** Key types that may call the admin API (LiteLLM's "management", and "admin"). */
    public static final Set<String> ADMIN_TYPES = Set.of("admin", "management");
    public static final String READ_ONLY_TYPE = "read_only";

    /** A per-model budget: {@code {"gpt-4o": {"budget_limit": 1.0, "time_period": "1d"}}} in LiteLLM's format. */
    public record ModelBudget(@JsonProperty("budget_limit") double budgetLimit, @JsonProperty("time_period") String timePeriod) {}

    public boolean isAdmin() {
        return ADMIN_TYPES.contains(keyType);
    }

    /** A key that may read what admins read (key and model lists, metrics) without changing anything. */
    public boolean isReadOnly() {
        return READ_ONLY_TYPE.equals(keyType);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Whether {@code allowed_routes} lets this key call a route (path without /v1): see {@link AllowedRoutes}. */
    public boolean allowsRoute(String normalizedPath) {
        return AllowedRoutes.allows(allowedRoutes, normalizedPath);
    }

    /** The model a key-level alias points to ({@code aliases: {"gpt-4": "gpt-4o"}}), or the name itself. */
    public String resolveAlias(String modelName) {
        if (aliases == null) return modelName;
        return aliases.getOrDefault(modelName, modelName);
    }

    /** The same key showing another spend (the admin API adds spend settled but not yet written). */
    public VirtualKey withSpend(double newSpend) {
        return new VirtualKey(tokenHash, keyName, keyAlias, newSpend, maxBudget, softBudget, budgetDuration, budgetResetAt, models,
                modelMaxBudget, rpmLimit, tpmLimit, maxParallelRequests, modelRpmLimit, modelTpmLimit, expiresAt, metadata, userId,
                teamId, blocked, aliases, allowedRoutes, keyType, createdAt, updatedAt, createdBy, organizationId, budgetId);
    }

    /** A name safe to log: the alias, else the display form. */
    public String label() {
        return keyAlias != null ? keyAlias : keyName;
    }
}
