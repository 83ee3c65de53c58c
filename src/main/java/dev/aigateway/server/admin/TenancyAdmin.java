package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.AdminFields;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.keys.KeyJson;
import dev.aigateway.governance.keys.KeyService;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.tenancy.Budget;
import dev.aigateway.governance.tenancy.Table;
import dev.aigateway.governance.tenancy.TenancyJson;
import dev.aigateway.governance.tenancy.TenancyService;
import dev.aigateway.governance.tenancy.TenancyStore;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.Function;

/**
 * What the tenancy admin handlers share: the policy check of a caller, worker-thread reads and writes through the
 * {@link TenancyService}, the keys of a team or user (read and deleted through the {@link KeyService}), and the JSON
 * pieces LiteLLM nests ({@code litellm_budget_table}).
 */
final class TenancyAdmin {
    /** Keys shown or deleted with a team or user at once: far more than any team has. */
    static final int MAX_KEYS = 100_000;

    final AdminHttp http;
    final TenancyService tenancy;
    final KeyService keys;

    TenancyAdmin(AdminHttp http, TenancyService tenancy, KeyService keys) {
        this.http = http;
        this.tenancy = tenancy;
        this.keys = keys;
    }

    /** 403 unless the caller may call {@code route} about this team and user (see {@link AdminPolicy}). */
    void check(String route, Principal p, String teamId, String userId) {
        var snapshot = tenancy.registry().snapshot();
        AdminPolicy.check(route, AdminPolicy.Caller.of(p, snapshot), snapshot, teamId, userId);
    }

    /** 403 when no target would let the caller call {@code route} (before the body is read). */
    void checkRole(String route, Principal p) {
        AdminPolicy.checkRole(route, caller(p));
    }

    AdminPolicy.Caller caller(Principal p) {
        return AdminPolicy.Caller.of(p, tenancy.registry().snapshot());
    }

    <T extends JsonNode> Future<T> write(Function<TenancyStore, T> work) {
        return http.pipeline().blocking(() -> tenancy.write(work));
    }

    <T extends JsonNode> Future<T> read(Function<TenancyStore, T> work) {
        return http.pipeline().blocking(() -> tenancy.read(work));
    }

    static <T> T existing(TenancyStore store, Table<T> table, String what, String... ids) {
        return store.find(table, ids).orElseThrow(() -> GatewayException.notFound("No " + what + " '" + String.join("/", ids) + "'.",
                table.keys().get(0)));
    }

    /** The keys of a team or a user (blocking), as /key/list shows them with return_full_object. */
    ArrayNode keysOf(String userId, String teamId) {
        ArrayNode a = Json.array();
        for (VirtualKey k : keys.list(1, MAX_KEYS, userId, teamId, null).keys()) a.add(KeyJson.object(k));
        return a;
    }

    /** Deletes the keys of a team or a user (blocking), as LiteLLM does when it deletes them. */
    void deleteKeysOf(String userId, String teamId) {
        List<String> hashes = keys.list(1, MAX_KEYS, userId, teamId, null).keys().stream().map(VirtualKey::tokenHash).toList();
        if (!hashes.isEmpty()) keys.delete(hashes);
    }

    /** A row that references a named budget, with the budget nested as {@code litellm_budget_table} (LiteLLM's shape). */
    static ObjectNode withBudget(Object row, String budgetId, TenancyStore store) {
        ObjectNode o = TenancyJson.of(row);
        Budget b = budgetId == null ? null : store.find(Table.BUDGETS, budgetId).orElse(null);
        o.set("litellm_budget_table", b == null ? Json.MAPPER.nullNode() : TenancyJson.of(b));
        return o;
    }

    /** One entry of LiteLLM's {@code member} / {@code members_with_roles}: a user by id or email, and a role. */
    record Member(String userId, String userEmail, String role) {}

    /** A member object or a list of them (at most {@link AdminFields#MAX_LIST}); {@code roles} are the allowed roles, the first the default. */
    static List<Member> members(JsonNode n, String field, List<String> roles) {
        if (n == null || n.isNull()) return List.of();
        List<JsonNode> entries = new java.util.ArrayList<>();
        if (n.isArray()) n.forEach(entries::add);
        else entries.add(n);
        if (entries.size() > AdminFields.MAX_LIST) throw GatewayException.badRequest("'" + field + "' has more than " + AdminFields.MAX_LIST + " members.", field);
        List<Member> out = new java.util.ArrayList<>();
        for (JsonNode e : entries) {
            if (!(e instanceof ObjectNode o)) throw GatewayException.badRequest("'" + field + "' must be {\"user_id\": ..., \"role\": ...} or a list of them.", field);
            String userId = AdminHttp.optionalName(o, "user_id");
            String email = AdminHttp.optionalName(o, "user_email");
            if (userId == null && email == null) throw GatewayException.badRequest("Each of '" + field + "' needs a user_id or a user_email.", field);
            String role = AdminHttp.optionalName(o, "role");
            if (role == null) role = roles.get(0);
            if (!roles.contains(role)) throw GatewayException.badRequest("A member's role must be one of " + roles + ", not '" + AdminFields.abbreviate(role) + "'.", field);
            out.add(new Member(userId, email, role));
        }
        return out;
    }

    /** The user a member request names: by id, else by email (404 when no user has it). */
    static String userIdOf(TenancyStore store, String userId, String email) {
        if (userId != null) return userId;
        if (email == null) throw GatewayException.badRequest("Give the member's 'user_id' or 'user_email'.", "user_id");
        return store.where(Table.USERS, "user_email", email).stream().findFirst().map(dev.aigateway.governance.tenancy.User::userId)
                .orElseThrow(() -> GatewayException.notFound("No user has the user_email '" + email + "'.", "user_email"));
    }

    static ArrayNode array(List<? extends JsonNode> nodes) {
        ArrayNode a = Json.array();
        a.addAll(nodes);
        return a;
    }
}
