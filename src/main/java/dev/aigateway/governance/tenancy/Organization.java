package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.limits.Limits;

import java.time.Instant;
import java.util.List;

/** An organization: teams and users belong to it; its limits come from its named budget. Empty {@code models}: all. */
public record Organization(String organizationId, String organizationAlias, String budgetId, List<String> models,
                           ObjectNode metadata, double spend, ObjectNode modelSpend, Instant budgetResetAt, boolean blocked,
                           Instant createdAt, Instant updatedAt, String createdBy, String updatedBy) {

    public Organization {
        models = models == null ? List.of() : List.copyOf(models);
        if (metadata == null) metadata = Json.object();
        if (modelSpend == null) modelSpend = Json.object();
    }

    /** Its limits: those of its named budget (organizations carry none inline). */
    public Limits limits(Budget budget) {
        return Limits.NONE.over(Budget.of(budget));
    }
}
