package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.limits.Limits;

import java.time.Instant;
import java.util.List;

/** A user of the gateway (LiteLLM's internal user): owns keys, belongs to teams, carries its limits inline. */
public record User(String userId, String userAlias, String userEmail, String userRole, String organizationId, List<String> models,
                   ObjectNode metadata, Double maxBudget, Double softBudget, String budgetDuration, Instant budgetResetAt,
                   Long rpmLimit, Long tpmLimit, Long maxParallelRequests, ObjectNode modelMaxBudget, double spend,
                   ObjectNode modelSpend, String ssoUserId, Instant createdAt, Instant updatedAt, String createdBy) {

    public User {
        if (userRole == null) userRole = Role.INTERNAL_USER.wire();
        models = models == null ? List.of() : List.copyOf(models);
        if (metadata == null) metadata = Json.object();
        if (modelMaxBudget == null) modelMaxBudget = Json.object();
        if (modelSpend == null) modelSpend = Json.object();
    }

    public Limits limits() {
        return new Limits(maxBudget, softBudget, budgetDuration, rpmLimit, tpmLimit, maxParallelRequests);
    }

    public Role role() {
        return Role.parse(userRole);
    }
}
