package dev.aigateway.governance.tenancy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every tenancy row at one moment, by id: what the registry answers requests from. Immutable; a reload builds a new
 * one and swaps it in whole, so a request never sees half a change. Team memberships are keyed {@code teamId/userId}.
 */
public record TenancySnapshot(Map<String, Budget> budgets, Map<String, Organization> organizations,
                              Map<String, OrganizationMember> organizationMembers, Map<String, Team> teams,
                              Map<String, TeamMember> teamMembers, Map<String, User> users, Map<String, EndUser> endUsers) {

    public static final TenancySnapshot EMPTY = new TenancySnapshot(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public TenancySnapshot(List<Budget> budgets, List<Organization> organizations, List<OrganizationMember> organizationMembers,
                           List<Team> teams, List<TeamMember> teamMembers, List<User> users, List<EndUser> endUsers) {
        this(byId(budgets, Budget::budgetId), byId(organizations, Organization::organizationId),
                byId(organizationMembers, m -> m.organizationId() + "/" + m.userId()), byId(teams, Team::teamId),
                byId(teamMembers, TeamMember::id), byId(users, User::userId), byId(endUsers, EndUser::userId));
    }

    /** In the order read (oldest first), so listings are stable. */
    private static <T> Map<String, T> byId(List<T> rows, Function<T, String> id) {
        Map<String, T> m = new LinkedHashMap<>();
        for (T r : rows) m.put(id.apply(r), r);
        return java.util.Collections.unmodifiableMap(m);
    }

    public Budget budget(String id) {
        return id == null ? null : budgets.get(id);
    }

    public TeamMember membership(String teamId, String userId) {
        return teamId == null || userId == null ? null : teamMembers.get(TeamMember.id(teamId, userId));
    }
}
