package dev.aigateway.governance.tenancy;

import java.time.Instant;

/** A user's place in an organization, with their role there (LiteLLM's organization membership). */
public record OrganizationMember(String organizationId, String userId, String userRole, String budgetId, double spend,
                                 Instant createdAt, Instant updatedAt) {
}
