package dev.aigateway.cli.litellm;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.aigateway.cli.litellm.Convert.fit;
import static dev.aigateway.cli.litellm.Convert.json;
import static dev.aigateway.cli.litellm.Convert.modelBudgets;
import static dev.aigateway.cli.litellm.Convert.orElse;

/**
 * LiteLLM's tenancy into the gateway's tables of the same model (migration V8): budgets, organizations and their
 * members, teams and their members, internal users, end users. This class is the one place that writes those tables
 * with SQL; its column lists mirror V8 exactly. Team members come from a team's {@code members_with_roles} (which
 * gives the role) joined with {@code LiteLLM_TeamMembership} (which gives the member's spend and budget inside the
 * team); a membership row without a role is a plain {@code user}.
 */
final class TenancyImporter {
    static final String BUDGETS = "budgets";
    static final String ORGANIZATIONS = "organizations";
    static final String TEAMS = "teams";
    static final String USERS = "users";
    static final String ORG_MEMBERS = "organization_members";
    static final String TEAM_MEMBERS = "team_members";
    static final String END_USERS = "end_users";

    private final LiteLlmSource source;
    private final Target target;
    private final ImportReport report;
    private final int pageSize;
    private final long now;

    TenancyImporter(LiteLlmSource source, Target target, ImportReport report, int pageSize, long now) {
        this.source = source;
        this.target = target;
        this.report = report;
        this.pageSize = pageSize;
        this.now = now;
    }

    /** What teams and users both keep inline: a budget window, rate limits, per-model budgets and spend. */
    private static void inlineLimits(Map<String, Object> v, SourceRow r) {
        v.put("budget_duration", fit(r.text("budget_duration"), 16));
        v.put("budget_reset_at", r.millis("budget_reset_at"));
        v.put("rpm_limit", r.lng("rpm_limit"));
        v.put("tpm_limit", r.lng("tpm_limit"));
        v.put("max_parallel_requests", r.lng("max_parallel_requests"));
        v.put("model_max_budget", json(modelBudgets(r.json("model_max_budget"))));
        v.put("spend", r.dbl("spend", 0));
        v.put("model_spend", json(r.object("model_spend")));
    }

    /** LiteLLM's created_at / updated_at (now where it kept none), and with {@code by} its created_by / updated_by. */
    private void stamps(Map<String, Object> v, SourceRow r, boolean by) {
        v.put("created_at", orElse(r.millis("created_at"), now));
        v.put("updated_at", orElse(r.millis("updated_at"), now));
        if (by) {
            v.put("created_by", fit(r.text("created_by"), 255));
            v.put("updated_by", fit(r.text("updated_by"), 255));
        }
    }

    void run() throws SQLException {
        budgets();
        organizations();
        teams();
        users();
        organizationMembers();
        endUsers();
    }

    private void budgets() throws SQLException {
        copy("LiteLLM_BudgetTable", BUDGETS, List.of("budget_id"), List.of("budget_id", "max_budget", "soft_budget",
                "max_parallel_requests", "tpm_limit", "rpm_limit", "model_max_budget", "budget_duration", "created_at",
                "updated_at", "created_by", "updated_by"), r -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("budget_id", r.text("budget_id"));
            v.put("max_budget", r.dbl("max_budget"));
            v.put("soft_budget", r.dbl("soft_budget"));
            v.put("max_parallel_requests", r.lng("max_parallel_requests"));
            v.put("tpm_limit", r.lng("tpm_limit"));
            v.put("rpm_limit", r.lng("rpm_limit"));
            v.put("model_max_budget", json(modelBudgets(r.json("model_max_budget"))));
            v.put("budget_duration", fit(r.text("budget_duration"), 16));
            stamps(v, r, true);
            return v;
        });
    }

    private void organizations() throws SQLException {
        copy("LiteLLM_OrganizationTable", ORGANIZATIONS, List.of("organization_id"), List.of("organization_id", "organization_alias",
                "budget_id", "models", "metadata", "spend", "model_spend", "created_at", "updated_at", "created_by", "updated_by"), r -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("organization_id", r.text("organization_id"));
            v.put("organization_alias", fit(r.text("organization_alias"), 255));
            v.put("budget_id", r.text("budget_id"));
            v.put("models", json(r.array("models")));
            v.put("metadata", json(r.object("metadata")));
            v.put("spend", r.dbl("spend", 0));
            v.put("model_spend", json(r.object("model_spend")));
            v.put("blocked", false);
            stamps(v, r, true);
            return v;
        });
    }

    private void teams() throws SQLException {
        copy("LiteLLM_TeamTable", TEAMS, List.of("team_id"), List.of("team_id", "team_alias", "organization_id", "models", "metadata",
                "max_budget", "soft_budget", "budget_duration", "budget_reset_at", "rpm_limit", "tpm_limit", "max_parallel_requests",
                "model_max_budget", "spend", "model_spend", "blocked", "created_at", "updated_at", "members_with_roles"), r -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("team_id", r.text("team_id"));
            v.put("team_alias", fit(r.text("team_alias"), 255));
            v.put("organization_id", r.text("organization_id"));
            v.put("models", json(r.array("models")));
            v.put("metadata", json(r.object("metadata")));
            v.put("max_budget", r.dbl("max_budget"));
            v.put("soft_budget", r.dbl("soft_budget"));
            inlineLimits(v, r);
            // LiteLLM keeps the budget every member gets inside the team in the team's metadata
            JsonNode memberBudget = r.object("metadata").get("team_member_budget_id");
            v.put("member_budget_id", memberBudget != null && memberBudget.isTextual() ? memberBudget.asText() : null);
            v.put("blocked", r.bool("blocked"));
            stamps(v, r, false);
            return v;
        }, this::teamMembers);
    }

    /** A team's members: members_with_roles (the role) joined with LiteLLM_TeamMembership (spend, budget). */
    private void teamMembers(Connection c, SourceRow team) throws SQLException {
        String teamId = team.text("team_id");
        Map<String, Map<String, Object>> members = new LinkedHashMap<>();
        JsonNode withRoles = team.json("members_with_roles");
        if (withRoles != null && withRoles.isArray()) {
            for (JsonNode m : withRoles) {
                String userId = m.path("user_id").isTextual() ? m.path("user_id").asText() : null;
                if (userId == null || userId.isBlank()) {
                    report.failed(TEAM_MEMBERS, "team " + teamId + ": a member with no user_id (" + (m.path("user_email").isTextual()
                            ? "email " + m.path("user_email").asText() : "no email") + ") cannot be a member here");
                    continue;
                }
                members.put(userId, member(teamId, userId, "admin".equals(m.path("role").asText()) ? "admin" : "user"));
            }
        }
        for (SourceRow m : source.where("LiteLLM_TeamMembership", List.of("user_id", "team_id", "spend", "budget_id"), "team_id", teamId)) {
            Map<String, Object> v = members.computeIfAbsent(m.text("user_id"), u -> member(teamId, u, "user"));
            v.put("budget_id", m.text("budget_id"));
            v.put("spend", m.dbl("spend", 0));
        }
        for (Map<String, Object> v : members.values()) count(TEAM_MEMBERS, target.put(c, TEAM_MEMBERS, List.of("team_id", "user_id"), v),
                "team " + teamId + " member " + v.get("user_id"));
    }

    private Map<String, Object> member(String teamId, String userId, String role) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("team_id", teamId);
        v.put("user_id", userId);
        v.put("role", role);
        v.put("budget_id", null);
        v.put("spend", 0.0);
        v.put("created_at", now);
        v.put("updated_at", now);
        return v;
    }

    private void users() throws SQLException {
        copy("LiteLLM_UserTable", USERS, List.of("user_id"), List.of("user_id", "user_alias", "user_email", "user_role", "organization_id",
                "models", "metadata", "max_budget", "budget_duration", "budget_reset_at", "rpm_limit", "tpm_limit", "max_parallel_requests",
                "model_max_budget", "spend", "model_spend", "sso_user_id", "created_at", "updated_at"), r -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("user_id", r.text("user_id"));
            v.put("user_alias", fit(r.text("user_alias"), 255));
            v.put("user_email", fit(r.text("user_email"), 255));
            v.put("user_role", fit(r.text("user_role") == null ? "internal_user" : r.text("user_role"), 32));
            v.put("organization_id", r.text("organization_id"));
            v.put("models", json(r.array("models")));
            v.put("metadata", json(r.object("metadata")));
            v.put("max_budget", r.dbl("max_budget"));
            inlineLimits(v, r);
            v.put("sso_user_id", fit(r.text("sso_user_id"), 255));
            stamps(v, r, false);
            return v;
        });
    }

    private void organizationMembers() throws SQLException {
        copy("LiteLLM_OrganizationMembership", ORG_MEMBERS, List.of("organization_id", "user_id"), List.of("user_id", "organization_id",
                "user_role", "spend", "budget_id", "created_at", "updated_at"), r -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("organization_id", r.text("organization_id"));
            v.put("user_id", r.text("user_id"));
            v.put("user_role", fit(r.text("user_role"), 32));
            v.put("budget_id", r.text("budget_id"));
            v.put("spend", r.dbl("spend", 0));
            stamps(v, r, false);
            return v;
        });
    }

    private void endUsers() throws SQLException {
        copy("LiteLLM_EndUserTable", END_USERS, List.of("user_id"), List.of("user_id", "alias", "spend", "allowed_model_region",
                "default_model", "budget_id", "blocked"), r -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("user_id", r.text("user_id"));
            v.put("alias", fit(r.text("alias"), 255));
            v.put("budget_id", r.text("budget_id"));
            v.put("allowed_model_region", fit(r.text("allowed_model_region"), 16));
            v.put("default_model", fit(r.text("default_model"), 255));
            v.put("blocked", r.bool("blocked"));
            v.put("spend", r.dbl("spend", 0));
            v.put("created_at", now);
            v.put("updated_at", now);
            return v;
        });
    }

    @FunctionalInterface
    interface Mapping {
        Map<String, Object> row(SourceRow r);
    }

    @FunctionalInterface
    interface After {
        void row(Connection c, SourceRow r) throws SQLException;
    }

    private void copy(String from, String to, List<String> key, List<String> columns, Mapping mapping) throws SQLException {
        copy(from, to, key, columns, mapping, null);
    }

    /** Every row of LiteLLM's {@code from} into our {@code to}, a page per transaction; {@code after} runs per row. */
    private void copy(String from, String to, List<String> key, List<String> columns, Mapping mapping, After after) throws SQLException {
        if (!source.has(from, report)) return;
        report.table(to);
        source.pages(from, columns, key, pageSize, rows -> target.transaction(c -> {
            for (SourceRow r : rows) {
                Map<String, Object> v = mapping.row(r);
                count(to, target.put(c, to, key, v), to + " " + key.stream().map(k -> String.valueOf(v.get(k))).toList());
                if (after != null) after.row(c, r);
            }
        }));
    }

    private void count(String table, Target.Outcome outcome, String what) {
        switch (outcome) {
            case IMPORTED -> report.imported(table);
            case SKIPPED -> report.skipped(table);
            case CONFLICT -> report.failed(table, what + ": conflicts with a row that is there already");
        }
    }
}
