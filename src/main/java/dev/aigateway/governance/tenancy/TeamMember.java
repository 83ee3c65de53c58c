package dev.aigateway.governance.tenancy;

import dev.aigateway.governance.limits.Limits;

import java.time.Instant;

/**
 * A user's place in a team: their role there ({@link #ADMIN} manages the team's keys and members, {@link #USER} uses
 * it) and what they may spend inside it.
 */
public record TeamMember(String teamId, String userId, String role, String budgetId, double spend, Instant budgetResetAt,
                         Instant createdAt, Instant updatedAt) {
    public static final String ADMIN = "admin";
    public static final String USER = "user";

    public TeamMember {
        if (role == null) role = USER;
    }

    /** How a membership is named as a holder and in the registry: {@code teamId/userId}. */
    public static String id(String teamId, String userId) {
        return teamId + "/" + userId;
    }

    public String id() {
        return id(teamId, userId);
    }

    public boolean isAdmin() {
        return ADMIN.equals(role);
    }

    /** Its limits: its own named budget, else the team's member budget (memberships carry none inline). */
    public Limits limits(Budget budget) {
        return Limits.NONE.over(Budget.of(budget));
    }
}
