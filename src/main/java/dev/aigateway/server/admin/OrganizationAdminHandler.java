package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.AdminFields;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.tenancy.Organization;
import dev.aigateway.governance.tenancy.OrganizationMember;
import dev.aigateway.governance.tenancy.Patch;
import dev.aigateway.governance.tenancy.Role;
import dev.aigateway.governance.tenancy.Rows;
import dev.aigateway.governance.tenancy.Table;
import dev.aigateway.governance.tenancy.TenancyJson;
import dev.aigateway.governance.tenancy.TenancyStore;
import dev.aigateway.governance.tenancy.User;
import dev.aigateway.server.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * LiteLLM's organization routes: {@code /organization/new|info|update|delete|list|member_add|member_update|member_delete}
 * (LiteLLM's methods: PATCH for the updates, DELETE for the deletions; POST is taken too). An organization's limit fields
 * go to its named budget, created for it when it names none, as in LiteLLM. Deleting one deletes its memberships and
 * leaves its teams and users in no organization.
 */
public final class OrganizationAdminHandler {
    static final Patch.Spec FIELDS = Patch.Spec.of("organization_alias", Patch.Type.NAME, "budget_id", Patch.Type.NAME,
            "models", Patch.Type.STRINGS, "metadata", Patch.Type.OBJECT, "blocked", Patch.Type.BOOLEAN);
    /** LiteLLM's roles inside an organization; the first is the default. */
    private static final List<String> ROLES = List.of(Role.INTERNAL_USER.wire(), "org_admin", Role.INTERNAL_USER_VIEWER.wire());

    private final TenancyAdmin admin;

    OrganizationAdminHandler(TenancyAdmin admin) {
        this.admin = admin;
    }

    void register(Routes routes) {
        AdminHttp http = admin.http;
        routes.add(HttpMethod.POST, "/organization/new", req -> http.withBody(req, this::create))
                .add(HttpMethod.GET, "/organization/info", req -> http.withQuery(req, this::info))
                .add(HttpMethod.GET, "/organization/list", req -> http.withQuery(req, this::list));
        for (HttpMethod m : List.of(HttpMethod.PATCH, HttpMethod.POST)) {
            routes.add(m, "/organization/update", req -> http.withBody(req, this::update))
                    .add(m, "/organization/member_update", req -> http.withBody(req, this::memberUpdate));
        }
        for (HttpMethod m : List.of(HttpMethod.DELETE, HttpMethod.POST)) {
            routes.add(m, "/organization/delete", req -> http.withBody(req, this::delete))
                    .add(m, "/organization/member_delete", req -> http.withBody(req, this::memberDelete));
        }
        routes.add(HttpMethod.POST, "/organization/member_add", req -> http.withBody(req, this::memberAdd));
    }

    private Future<ObjectNode> create(Principal p, ObjectNode body) {
        admin.check("/organization/new", p, null, null);
        String id = AdminHttp.optionalName(body, "organization_id");
        AdminHttp.requiredName(body, "organization_alias");
        Patch patch = Patch.read(body, FIELDS.and(Patch.LIMITS));
        return admin.write(store -> {
            var now = admin.tenancy.now();
            Organization org = patch.only(FIELDS).applyTo(Rows.blank(Table.ORGANIZATIONS, id != null ? id : Rows.newId(), now, p.alias()),
                    Organization.class, now);
            // LiteLLM gives every organization a budget row: its own, unless it names a shared one.
            String budgetId = org.budgetId() != null ? requireBudget(store, org.budgetId())
                    : Rows.budgetFor(store, null, withAnyLimit(patch, body), now, p.alias());
            org = TenancyJson.with(org, Organization.class, "budget_id", budgetId);
            store.insert(Table.ORGANIZATIONS, org);
            return orgJson(store, org);
        });
    }

    private Future<ObjectNode> info(Principal p, HttpServerRequest req) {
        admin.check("/organization/info", p, null, null);
        String id = AdminHttp.requiredParam(req, "organization_id");
        return admin.read(store -> orgJson(store, TenancyAdmin.existing(store, Table.ORGANIZATIONS, "organization", id)));
    }

    private Future<ArrayNode> list(Principal p, HttpServerRequest req) {
        admin.check("/organization/list", p, null, null);
        return admin.read(store -> {
            List<ObjectNode> out = new ArrayList<>();
            for (Organization o : store.all(Table.ORGANIZATIONS)) out.add(orgJson(store, o));
            return TenancyAdmin.array(out);
        });
    }

    private Future<ObjectNode> update(Principal p, ObjectNode body) {
        admin.check("/organization/update", p, null, null);
        String id = AdminHttp.requiredName(body, "organization_id");
        Patch patch = Patch.read(body, FIELDS.and(Patch.LIMITS));
        return admin.write(store -> {
            var now = admin.tenancy.now();
            Organization org = patch.only(FIELDS).applyTo(TenancyAdmin.existing(store, Table.ORGANIZATIONS, "organization", id), Organization.class, now);
            if (patch.has("budget_id") && org.budgetId() != null) requireBudget(store, org.budgetId());
            org = TenancyJson.with(org, Organization.class, "budget_id", Rows.budgetFor(store, org.budgetId(), patch, now, p.alias()));
            org = TenancyJson.with(org, Organization.class, "updated_by", p.alias());
            store.update(Table.ORGANIZATIONS, org);
            return orgJson(store, org);
        });
    }

    private Future<ObjectNode> delete(Principal p, ObjectNode body) {
        admin.check("/organization/delete", p, null, null);
        List<String> ids = AdminHttp.stringList(body, "organization_ids");
        if (ids.isEmpty()) throw GatewayException.badRequest("Give the organizations to delete as {\"organization_ids\": [\"...\"]}.", "organization_ids");
        return admin.write(store -> {
            List<String> missing = ids.stream().filter(id -> store.find(Table.ORGANIZATIONS, id).isEmpty()).toList();
            if (!missing.isEmpty()) throw GatewayException.notFound("No organization " + String.join(", ", missing) + "; nothing was deleted.", "organization_ids");
            List<ObjectNode> deleted = new ArrayList<>();
            for (String id : ids) {
                deleted.add(orgJson(store, store.find(Table.ORGANIZATIONS, id).orElseThrow()));
                store.deleteWhere(Table.ORGANIZATION_MEMBERS, "organization_id", id);
                store.unset(Table.TEAMS, "organization_id", id);
                store.unset(Table.USERS, "organization_id", id);
                store.delete(Table.ORGANIZATIONS, id);
            }
            ObjectNode out = Json.object();
            out.set("deleted_organizations", TenancyAdmin.array(deleted));
            return out;
        });
    }

    private Future<ObjectNode> memberAdd(Principal p, ObjectNode body) {
        admin.check("/organization/member_add", p, null, null);
        String orgId = AdminHttp.requiredName(body, "organization_id");
        List<TenancyAdmin.Member> members = TenancyAdmin.members(body.get("member"), "member", ROLES);
        if (members.isEmpty()) throw GatewayException.badRequest("'member' is required: {\"user_id\": ..., \"role\": \"internal_user\"} or a list.", "member");
        return admin.write(store -> {
            TenancyAdmin.existing(store, Table.ORGANIZATIONS, "organization", orgId);
            var now = admin.tenancy.now();
            ArrayNode users = Json.array();
            ArrayNode memberships = Json.array();
            for (TenancyAdmin.Member m : members) {
                User u = Rows.ensureUser(store, m.userId(), m.userEmail(), now, p.alias());
                if (u.organizationId() == null) {
                    u = TenancyJson.with(u, User.class, "organization_id", orgId);
                    store.update(Table.USERS, u);
                }
                OrganizationMember om = new OrganizationMember(orgId, u.userId(), m.role(), null, 0, now, now);
                if (store.find(Table.ORGANIZATION_MEMBERS, orgId, u.userId()).isPresent()) store.update(Table.ORGANIZATION_MEMBERS, om);
                else store.insert(Table.ORGANIZATION_MEMBERS, om);
                users.add(TenancyJson.of(u));
                memberships.add(TenancyJson.of(om));
            }
            ObjectNode out = Json.object();
            out.put("organization_id", orgId);
            out.set("updated_users", users);
            out.set("updated_organization_memberships", memberships);
            return out;
        });
    }

    private Future<ObjectNode> memberUpdate(Principal p, ObjectNode body) {
        admin.check("/organization/member_update", p, null, null);
        String orgId = AdminHttp.requiredName(body, "organization_id");
        String userId = AdminHttp.optionalName(body, "user_id");
        String email = AdminHttp.optionalName(body, "user_email");
        String role = AdminHttp.optionalName(body, "role");
        if (role != null && !ROLES.contains(role)) throw GatewayException.badRequest("'role' must be one of " + ROLES + ".", "role");
        Double maxBudget = body.hasNonNull("max_budget_in_organization")
                ? AdminFields.amount(body.get("max_budget_in_organization"), "max_budget_in_organization") : null;
        return admin.write(store -> {
            String id = TenancyAdmin.userIdOf(store, userId, email);
            OrganizationMember m = TenancyAdmin.existing(store, Table.ORGANIZATION_MEMBERS, "organization member", orgId, id);
            var now = admin.tenancy.now();
            String budgetId = maxBudget == null ? m.budgetId() : Rows.maxBudgetFor(store, m.budgetId(), maxBudget, now, p.alias());
            OrganizationMember changed = new OrganizationMember(orgId, id, role != null ? role : m.userRole(), budgetId, m.spend(), m.createdAt(), now);
            store.update(Table.ORGANIZATION_MEMBERS, changed);
            return TenancyAdmin.withBudget(changed, budgetId, store);
        });
    }

    private Future<ObjectNode> memberDelete(Principal p, ObjectNode body) {
        admin.check("/organization/member_delete", p, null, null);
        String orgId = AdminHttp.requiredName(body, "organization_id");
        String userId = AdminHttp.optionalName(body, "user_id");
        String email = AdminHttp.optionalName(body, "user_email");
        return admin.write(store -> {
            String id = TenancyAdmin.userIdOf(store, userId, email);
            if (store.delete(Table.ORGANIZATION_MEMBERS, orgId, id) == 0) {
                throw GatewayException.notFound("User '" + id + "' is not a member of organization '" + orgId + "'.", "user_id");
            }
            store.find(Table.USERS, id).filter(u -> orgId.equals(u.organizationId()))
                    .ifPresent(u -> store.update(Table.USERS, TenancyJson.with(u, User.class, "organization_id", null)));
            ObjectNode out = Json.object();
            out.put("organization_id", orgId);
            out.put("user_id", id);
            return out;
        });
    }

    // --- helpers (blocking)

    /** LiteLLM's organization answer: its row, its budget, its members and its teams. */
    private static ObjectNode orgJson(TenancyStore store, Organization org) {
        ObjectNode o = TenancyAdmin.withBudget(org, org.budgetId(), store);
        o.set("members", TenancyAdmin.array(store.where(Table.ORGANIZATION_MEMBERS, "organization_id", org.organizationId()).stream()
                .map(TenancyJson::of).toList()));
        o.set("teams", TenancyAdmin.array(store.where(Table.TEAMS, "organization_id", org.organizationId()).stream()
                .map(TenancyJson::of).toList()));
        return o;
    }

    /** The patch, or one with no limit at all (a budget row is made either way, as LiteLLM makes one). */
    private static Patch withAnyLimit(Patch patch, ObjectNode body) {
        if (!patch.only(Patch.LIMITS).isEmpty()) return patch;
        return Patch.read(Json.object().putNull("max_budget"), Patch.LIMITS);
    }

    private static String requireBudget(TenancyStore store, String budgetId) {
        if (store.find(Table.BUDGETS, budgetId).isEmpty()) {
            throw GatewayException.badRequest("No budget '" + budgetId + "'; create it with /budget/new first.", "budget_id");
        }
        return budgetId;
    }

}
