package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.AdminFields;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.tenancy.Budget;
import dev.aigateway.governance.tenancy.Organization;
import dev.aigateway.governance.tenancy.Patch;
import dev.aigateway.governance.tenancy.Rows;
import dev.aigateway.governance.tenancy.Table;
import dev.aigateway.governance.tenancy.Team;
import dev.aigateway.governance.tenancy.TeamMember;
import dev.aigateway.governance.tenancy.TenancyJson;
import dev.aigateway.governance.tenancy.TenancyStore;
import dev.aigateway.governance.tenancy.User;
import dev.aigateway.server.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * LiteLLM's team routes: {@code /team/new|info|update|delete|list|block|unblock}, {@code /team/member_add|member_delete|
 * member_update}, {@code /team/model/add|delete}. Who may call what is {@link AdminPolicy}'s; the work runs on a worker
 * thread through the tenancy service. Deleting a team deletes its keys and memberships, as LiteLLM does.
 */
public final class TeamAdminHandler {
    static final Patch.Spec FIELDS = Patch.Spec.of("team_alias", Patch.Type.NAME, "organization_id", Patch.Type.NAME,
            "models", Patch.Type.STRINGS, "metadata", Patch.Type.OBJECT, "blocked", Patch.Type.BOOLEAN).and(Patch.LIMITS);
    private static final List<String> ROLES = List.of(TeamMember.USER, TeamMember.ADMIN);

    private final TenancyAdmin admin;

    TeamAdminHandler(TenancyAdmin admin) {
        this.admin = admin;
    }

    void register(Routes routes) {
        AdminHttp http = admin.http;
        routes.add(HttpMethod.POST, "/team/new", req -> http.withBody(req, this::create))
                .add(HttpMethod.GET, "/team/info", req -> http.withQuery(req, this::info))
                .add(HttpMethod.POST, "/team/update", req -> http.withBody(req, this::update))
                .add(HttpMethod.POST, "/team/delete", req -> http.withBody(req, this::delete))
                .add(HttpMethod.GET, "/team/list", req -> http.withQuery(req, this::list))
                .add(HttpMethod.POST, "/team/block", req -> http.withBody(req, (p, b) -> block(p, b, true)))
                .add(HttpMethod.POST, "/team/unblock", req -> http.withBody(req, (p, b) -> block(p, b, false)))
                .add(HttpMethod.POST, "/team/member_add", req -> http.withBody(req, this::memberAdd))
                .add(HttpMethod.POST, "/team/member_delete", req -> http.withBody(req, this::memberDelete))
                .add(HttpMethod.POST, "/team/member_update", req -> http.withBody(req, this::memberUpdate))
                .add(HttpMethod.POST, "/team/model/add", req -> http.withBody(req, (p, b) -> models(p, b, true)))
                .add(HttpMethod.POST, "/team/model/delete", req -> http.withBody(req, (p, b) -> models(p, b, false)));
    }

    private Future<ObjectNode> create(Principal p, ObjectNode body) {
        admin.check("/team/new", p, null, null);
        String id = AdminHttp.optionalName(body, "team_id");
        Patch patch = Patch.read(body, FIELDS);
        List<TenancyAdmin.Member> members = TenancyAdmin.members(body.get("members_with_roles"), "members_with_roles", ROLES);
        Patch memberBudget = memberBudget(body);
        return admin.write(store -> {
            var now = admin.tenancy.now();
            Team team = patch.applyTo(Rows.blank(Table.TEAMS, id != null ? id : Rows.newId(), now, p.alias()), Team.class, now);
            requireOrganization(store, team.organizationId());
            requireWithinOrganization(store, team);
            team = withMemberBudget(team, Rows.budgetFor(store, null, memberBudget, now, p.alias()));
            store.insert(Table.TEAMS, team);
            for (TenancyAdmin.Member m : members) addMember(store, team.teamId(), m, null, p.alias());
            return teamJson(store, team);
        });
    }

    private Future<ObjectNode> info(Principal p, HttpServerRequest req) {
        admin.checkRole("/team/info", p);
        String teamId = AdminHttp.requiredParam(req, "team_id");
        admin.check("/team/info", p, teamId, null);
        return admin.read(store -> {
            Team team = TenancyAdmin.existing(store, Table.TEAMS, "team", teamId);
            ObjectNode out = Json.object();
            out.put("team_id", teamId);
            out.set("team_info", teamJson(store, team));
            out.set("keys", admin.keysOf(null, teamId));
            ArrayNode memberships = out.putArray("team_memberships");
            for (TeamMember m : store.where(Table.TEAM_MEMBERS, "team_id", teamId)) {
                memberships.add(TenancyAdmin.withBudget(m, m.budgetId() != null ? m.budgetId() : team.memberBudgetId(), store));
            }
            return out;
        });
    }

    private Future<ObjectNode> update(Principal p, ObjectNode body) {
        admin.checkRole("/team/update", p);
        String teamId = AdminHttp.requiredName(body, "team_id");
        admin.check("/team/update", p, teamId, null);
        Patch patch = Patch.read(body, FIELDS);
        Patch memberBudget = memberBudget(body);
        return admin.write(store -> {
            var now = admin.tenancy.now();
            Team team = patch.applyTo(TenancyAdmin.existing(store, Table.TEAMS, "team", teamId), Team.class, now);
            if (patch.has("organization_id")) requireOrganization(store, team.organizationId());
            if (patch.has("organization_id") || patch.has("max_budget") || patch.has("models")) requireWithinOrganization(store, team);
            team = withMemberBudget(team, Rows.budgetFor(store, team.memberBudgetId(), memberBudget, now, p.alias()));
            store.update(Table.TEAMS, team);
            return teamJson(store, team);
        });
    }

    private Future<ObjectNode> delete(Principal p, ObjectNode body) {
        admin.check("/team/delete", p, null, null);
        List<String> ids = AdminHttp.stringList(body, "team_ids");
        if (ids.isEmpty()) throw GatewayException.badRequest("Give the teams to delete as {\"team_ids\": [\"...\"]}.", "team_ids");
        return admin.write(store -> {
            List<String> missing = ids.stream().filter(id -> store.find(Table.TEAMS, id).isEmpty()).toList();
            if (!missing.isEmpty()) throw GatewayException.notFound("No team " + String.join(", ", missing) + "; nothing was deleted.", "team_ids");
            for (String id : ids) {
                admin.deleteKeysOf(null, id);
                store.deleteWhere(Table.TEAM_MEMBERS, "team_id", id);
                store.delete(Table.TEAMS, id);
            }
            ObjectNode out = Json.object();
            ids.forEach(out.putArray("deleted_teams")::add);
            return out;
        });
    }

    private Future<ArrayNode> list(Principal p, HttpServerRequest req) {
        // A user lists its own teams (LiteLLM's internal users); the readers of everything list any user's, or all.
        AdminPolicy.Caller caller = admin.caller(p);
        boolean readsAll = caller.isAdmin() || caller.role() == dev.aigateway.governance.tenancy.Role.PROXY_ADMIN_VIEWER;
        String asked = AdminHttp.blankToNull(req.getParam("user_id"));
        String userId = readsAll ? asked : asked != null ? asked : caller.userId();
        admin.check("/team/list", p, null, readsAll ? null : userId);
        String orgId = AdminHttp.blankToNull(req.getParam("organization_id"));
        return admin.read(store -> {
            Set<String> ofUser = null;
            if (userId != null) {
                ofUser = new LinkedHashSet<>();
                for (TeamMember m : store.where(Table.TEAM_MEMBERS, "user_id", userId)) ofUser.add(m.teamId());
            }
            List<ObjectNode> out = new ArrayList<>();
            for (Team t : orgId != null ? store.where(Table.TEAMS, "organization_id", orgId) : store.all(Table.TEAMS)) {
                if (ofUser == null || ofUser.contains(t.teamId())) out.add(teamJson(store, t));
            }
            return TenancyAdmin.array(out);
        });
    }

    private Future<ObjectNode> block(Principal p, ObjectNode body, boolean blocked) {
        admin.checkRole(blocked ? "/team/block" : "/team/unblock", p);
        String teamId = AdminHttp.requiredName(body, "team_id");
        admin.check(blocked ? "/team/block" : "/team/unblock", p, teamId, null);
        Patch patch = Patch.read(Json.object().put("blocked", blocked), FIELDS);
        return admin.write(store -> {
            Team team = patch.applyTo(TenancyAdmin.existing(store, Table.TEAMS, "team", teamId), Team.class, admin.tenancy.now());
            store.update(Table.TEAMS, team);
            return teamJson(store, team);
        });
    }

    private Future<ObjectNode> memberAdd(Principal p, ObjectNode body) {
        admin.checkRole("/team/member_add", p);
        String teamId = AdminHttp.requiredName(body, "team_id");
        admin.check("/team/member_add", p, teamId, null);
        List<TenancyAdmin.Member> members = TenancyAdmin.members(body.get("member"), "member", ROLES);
        if (members.isEmpty()) throw GatewayException.badRequest("'member' is required: {\"user_id\": ..., \"role\": \"user\"} or a list of them.", "member");
        Double maxBudget = body.hasNonNull("max_budget_in_team") ? AdminFields.amount(body.get("max_budget_in_team"), "max_budget_in_team") : null;
        return admin.write(store -> {
            Team team = TenancyAdmin.existing(store, Table.TEAMS, "team", teamId);
            ArrayNode users = Json.array();
            ArrayNode memberships = Json.array();
            for (TenancyAdmin.Member m : members) {
                if (m.userId() != null && store.find(Table.TEAM_MEMBERS, teamId, m.userId()).isPresent()) {
                    throw GatewayException.badRequest("User '" + m.userId() + "' is already a member of team '" + teamId + "'.", "member");
                }
                TeamMember added = addMember(store, teamId, m, maxBudget, p.alias());
                users.add(TenancyJson.of(store.find(Table.USERS, added.userId()).orElseThrow()));
                memberships.add(TenancyAdmin.withBudget(added, added.budgetId(), store));
            }
            ObjectNode out = teamJson(store, team);
            out.set("updated_users", users);
            out.set("updated_team_memberships", memberships);
            return out;
        });
    }

    private Future<ObjectNode> memberDelete(Principal p, ObjectNode body) {
        admin.checkRole("/team/member_delete", p);
        String teamId = AdminHttp.requiredName(body, "team_id");
        admin.check("/team/member_delete", p, teamId, null);
        String userId = AdminHttp.optionalName(body, "user_id");
        String email = AdminHttp.optionalName(body, "user_email");
        return admin.write(store -> {
            Team team = TenancyAdmin.existing(store, Table.TEAMS, "team", teamId);
            String id = TenancyAdmin.userIdOf(store, userId, email);
            if (store.delete(Table.TEAM_MEMBERS, teamId, id) == 0) {
                throw GatewayException.notFound("User '" + id + "' is not a member of team '" + teamId + "'.", "user_id");
            }
            return teamJson(store, team);
        });
    }

    private Future<ObjectNode> memberUpdate(Principal p, ObjectNode body) {
        admin.checkRole("/team/member_update", p);
        String teamId = AdminHttp.requiredName(body, "team_id");
        admin.check("/team/member_update", p, teamId, null);
        String userId = AdminHttp.optionalName(body, "user_id");
        String email = AdminHttp.optionalName(body, "user_email");
        String role = AdminHttp.optionalName(body, "role");
        if (role != null && !ROLES.contains(role)) throw GatewayException.badRequest("'role' must be admin or user.", "role");
        Double maxBudget = body.hasNonNull("max_budget_in_team") ? AdminFields.amount(body.get("max_budget_in_team"), "max_budget_in_team") : null;
        return admin.write(store -> {
            String id = TenancyAdmin.userIdOf(store, userId, email);
            TeamMember m = TenancyAdmin.existing(store, Table.TEAM_MEMBERS, "member", teamId, id);
            var now = admin.tenancy.now();
            String budgetId = maxBudget == null ? m.budgetId() : Rows.maxBudgetFor(store, m.budgetId(), maxBudget, now, p.alias());
            TeamMember changed = new TeamMember(teamId, id, role != null ? role : m.role(), budgetId, m.spend(), m.budgetResetAt(), m.createdAt(), now);
            store.update(Table.TEAM_MEMBERS, changed);
            ObjectNode out = Json.object();
            out.put("team_id", teamId);
            out.put("user_id", id);
            out.put("user_email", store.find(Table.USERS, id).map(User::userEmail).orElse(null));
            out.put("role", changed.role());
            if (maxBudget != null) out.put("max_budget_in_team", maxBudget);
            else out.putNull("max_budget_in_team");
            return out;
        });
    }

    private Future<ObjectNode> models(Principal p, ObjectNode body, boolean add) {
        admin.checkRole(add ? "/team/model/add" : "/team/model/delete", p);
        String teamId = AdminHttp.requiredName(body, "team_id");
        admin.check(add ? "/team/model/add" : "/team/model/delete", p, teamId, null);
        List<String> models = AdminHttp.stringList(body, "models");
        if (models.isEmpty()) throw GatewayException.badRequest("'models' is required: a list of model names.", "models");
        return admin.write(store -> {
            Team team = TenancyAdmin.existing(store, Table.TEAMS, "team", teamId);
            Set<String> now = new LinkedHashSet<>(team.models());
            if (add) now.addAll(models);
            else now.removeAll(models);
            if (now.size() > AdminFields.MAX_LIST) throw GatewayException.badRequest("A team has at most " + AdminFields.MAX_LIST + " models.", "models");
            Patch patch = Patch.read(Json.object().set("models", Json.MAPPER.valueToTree(List.copyOf(now))), FIELDS);
            Team changed = patch.applyTo(team, Team.class, admin.tenancy.now());
            store.update(Table.TEAMS, changed);
            return teamJson(store, changed);
        });
    }

    // --- helpers (blocking)

    /** Adds one member (creating the user if it is new); {@code maxBudget} gives the membership a budget of its own. */
    private TeamMember addMember(TenancyStore store, String teamId, TenancyAdmin.Member m, Double maxBudget, String by) {
        var now = admin.tenancy.now();
        User user = Rows.ensureUser(store, m.userId(), m.userEmail(), now, by);
        String budgetId = maxBudget == null ? null : Rows.maxBudgetFor(store, null, maxBudget, now, by);
        TeamMember member = new TeamMember(teamId, user.userId(), m.role(), budgetId, 0, null, now, now);
        if (store.find(Table.TEAM_MEMBERS, teamId, user.userId()).isPresent()) store.update(Table.TEAM_MEMBERS, member);
        else store.insert(Table.TEAM_MEMBERS, member);
        return member;
    }


    private static void requireOrganization(TenancyStore store, String organizationId) {
        if (organizationId != null && store.find(Table.ORGANIZATIONS, organizationId).isEmpty()) {
            throw GatewayException.badRequest("No organization '" + organizationId + "'; create it with /organization/new first.", "organization_id");
        }
    }

    /**
     * LiteLLM's {@code team_member_budget}, {@code team_member_rpm_limit} and {@code team_member_tpm_limit}: the limits of the
     * named budget every member gets inside the team (an empty patch when none is given).
     */
    private static Patch memberBudget(ObjectNode body) {
        ObjectNode limits = Json.object();
        if (body.has("team_member_budget")) limits.set("max_budget", body.get("team_member_budget"));
        if (body.has("team_member_rpm_limit")) limits.set("rpm_limit", body.get("team_member_rpm_limit"));
        if (body.has("team_member_tpm_limit")) limits.set("tpm_limit", body.get("team_member_tpm_limit"));
        if (limits.has("max_budget") && body.has("budget_duration")) limits.set("budget_duration", body.get("budget_duration"));
        try {
            return Patch.read(limits, Patch.LIMITS);
        } catch (GatewayException e) {
            throw GatewayException.badRequest("The team member limits (team_member_budget, team_member_rpm_limit, team_member_tpm_limit) "
                    + "must be amounts and whole numbers: " + e.getMessage(), "team_member_budget");
        }
    }

    /**
     * LiteLLM's rule for a team in an organization: its models must be ones the organization may use (a team of every
     * model only in an organization of every model), and its max_budget at most the organization's.
     */
    private void requireWithinOrganization(TenancyStore store, Team team) {
        if (team.organizationId() == null) return;
        Organization org = store.find(Table.ORGANIZATIONS, team.organizationId()).orElse(null);
        if (org == null) return;
        if (!org.models().isEmpty()) {
            if (team.models().isEmpty()) {
                throw GatewayException.badRequest("Team has access to all models, but organization '" + org.organizationId()
                        + "' does not: give the team a models list within " + org.models() + ".", "models");
            }
            for (String m : team.models()) {
                if (!admin.tenancy.registry().allows(org.models(), m)) {
                    throw GatewayException.badRequest("Organization '" + org.organizationId() + "' may not use model " + AdminFields.abbreviate(m)
                            + "; its models are " + org.models() + ".", "models");
                }
            }
        }
        Budget b = org.budgetId() == null ? null : store.find(Table.BUDGETS, org.budgetId()).orElse(null);
        if (team.maxBudget() != null && b != null && b.maxBudget() != null && team.maxBudget() > b.maxBudget()) {
            throw GatewayException.badRequest("Team max_budget " + team.maxBudget() + " is greater than organization '" + org.organizationId()
                    + "''s max_budget " + b.maxBudget() + ".", "max_budget");
        }
    }

    private static Team withMemberBudget(Team t, String budgetId) {
        return TenancyJson.with(t, Team.class, "member_budget_id", budgetId);
    }

    /** The team as LiteLLM shows it: its row, and its members with their roles. */
    static ObjectNode teamJson(TenancyStore store, Team team) {
        ObjectNode o = TenancyJson.of(team);
        ArrayNode members = o.putArray("members_with_roles");
        for (TeamMember m : store.where(Table.TEAM_MEMBERS, "team_id", team.teamId())) {
            ObjectNode e = members.addObject();
            e.put("user_id", m.userId());
            e.put("user_email", store.find(Table.USERS, m.userId()).map(User::userEmail).orElse(null));
            e.put("role", m.role());
        }
        o.put("team_member_budget_id", team.memberBudgetId());
        return o;
    }
}
