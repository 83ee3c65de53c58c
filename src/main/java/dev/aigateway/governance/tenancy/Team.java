package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.limits.Limits;

import java.time.Instant;
import java.util.List;

/**
 * A team: keys and members belong to it; it carries its limits inline, as in LiteLLM.
 *
 * @param memberBudgetId the named budget of each member inside the team unless their membership names another
 */
public record Team(String teamId, String teamAlias, String organizationId, List<String> models, ObjectNode metadata,
                   Double maxBudget, Double softBudget, String budgetDuration, Instant budgetResetAt, Long rpmLimit,
                   Long tpmLimit, Long maxParallelRequests, ObjectNode modelMaxBudget, double spend, ObjectNode modelSpend,
                   String memberBudgetId, boolean blocked, Instant createdAt, Instant updatedAt, String createdBy,
                   String updatedBy) {

    public Team {
        models = models == null ? List.of() : List.copyOf(models);
        if (metadata == null) metadata = Json.object();
        if (modelMaxBudget == null) modelMaxBudget = Json.object();
        if (modelSpend == null) modelSpend = Json.object();
    }

    public Limits limits() {
        return new Limits(maxBudget, softBudget, budgetDuration, rpmLimit, tpmLimit, maxParallelRequests);
    }
}
