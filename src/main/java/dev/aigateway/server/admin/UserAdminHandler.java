package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.keys.KeyJson;
import dev.aigateway.governance.keys.KeyRequest;
import dev.aigateway.governance.keys.KeyService;
import dev.aigateway.governance.tenancy.Patch;
import dev.aigateway.governance.tenancy.Rows;
import dev.aigateway.governance.tenancy.Table;
import dev.aigateway.governance.tenancy.TeamMember;
import dev.aigateway.governance.tenancy.TenancyJson;
import dev.aigateway.governance.tenancy.TenancyStore;
import dev.aigateway.governance.tenancy.User;
import dev.aigateway.server.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * LiteLLM's user routes: {@code /user/new|info|update|delete|list}. {@code /user/new} also makes the user a key (through
 * the key service) unless {@code auto_create_key} is false, as LiteLLM does; deleting a user deletes its keys and
 * memberships.
 */
public final class UserAdminHandler {
    static final Patch.Spec FIELDS = Patch.Spec.of("user_alias", Patch.Type.NAME, "user_email", Patch.Type.NAME,
            "user_role", Patch.Type.USER_ROLE, "organization_id", Patch.Type.NAME, "models", Patch.Type.STRINGS,
            "metadata", Patch.Type.OBJECT, "sso_user_id", Patch.Type.NAME).and(Patch.LIMITS);
    /** The /user/new fields that go to the user's first key. */
    private static final List<String> KEY_FIELDS = List.of("key_alias", "duration", "models", "team_id");
    public static final int MAX_PAGE_SIZE = 100;

    private final TenancyAdmin admin;

    UserAdminHandler(TenancyAdmin admin) {
        this.admin = admin;
    }

    void register(Routes routes) {
        AdminHttp http = admin.http;
        routes.add(HttpMethod.POST, "/user/new", req -> http.withBody(req, this::create))
                .add(HttpMethod.GET, "/user/info", req -> http.withQuery(req, this::info))
                .add(HttpMethod.POST, "/user/update", req -> http.withBody(req, this::update))
                .add(HttpMethod.POST, "/user/delete", req -> http.withBody(req, this::delete))
                .add(HttpMethod.GET, "/user/list", req -> http.withQuery(req, this::list));
    }

    private Future<ObjectNode> create(Principal p, ObjectNode body) {
        admin.check("/user/new", p, null, null);
        String id = AdminHttp.optionalName(body, "user_id");
        Patch patch = Patch.read(body, FIELDS);
        List<String> teams = AdminHttp.stringList(body, "teams");
        JsonNode auto = body.get("auto_create_key");
        if (auto != null && !auto.isNull() && !auto.isBoolean()) throw GatewayException.badRequest("'auto_create_key' must be true or false.", "auto_create_key");
        boolean withKey = auto == null || auto.isNull() || auto.asBoolean();
        String userId = id != null ? id : Rows.newId();
        ObjectNode keyBody = Json.object().put("user_id", userId);
        for (String f : KEY_FIELDS) if (body.has(f)) keyBody.set(f, body.get(f));
        KeyRequest keyRequest = withKey ? KeyRequest.parse(keyBody, KeyRequest.Route.GENERATE) : null; // checked before anything is written
        return admin.write(store -> {
            var now = admin.tenancy.now();
            User user = patch.applyTo(Rows.blank(Table.USERS, userId, now, p.alias()), User.class, now);
            store.insert(Table.USERS, user);
            for (String t : teams) {
                TenancyAdmin.existing(store, Table.TEAMS, "team", t);
                store.insert(Table.TEAM_MEMBERS, new TeamMember(t, userId, TeamMember.USER, null, 0, null, now, now));
            }
            ObjectNode out = Json.object();
            if (keyRequest != null) {
                KeyService.Generated g = admin.keys.generate(keyRequest, p.alias());
                out.setAll(KeyJson.generated(g.key(), g.virtualKey()));
            } else {
                out.putNull("key");
            }
            out.setAll(TenancyJson.of(user));
            teams.forEach(out.putArray("teams")::add);
            return out;
        });
    }

    private Future<ObjectNode> info(Principal p, HttpServerRequest req) {
        String asked = AdminHttp.blankToNull(req.getParam("user_id"));
        String userId = asked != null ? asked : admin.caller(p).userId();
        if (userId == null) throw GatewayException.badRequest("'user_id' is required: /user/info?user_id=...", "user_id");
        admin.check("/user/info", p, null, userId);
        return admin.read(store -> {
            User user = TenancyAdmin.existing(store, Table.USERS, "user", userId);
            ObjectNode out = Json.object();
            out.put("user_id", userId);
            out.set("user_info", userJson(user, teamsOf(store.where(Table.TEAM_MEMBERS, "user_id", userId))));
            out.set("keys", admin.keysOf(userId, null));
            ArrayNode teams = out.putArray("teams");
            for (TeamMember m : store.where(Table.TEAM_MEMBERS, "user_id", userId)) {
                store.find(Table.TEAMS, m.teamId()).ifPresent(t -> teams.add(TeamAdminHandler.teamJson(store, t)));
            }
            return out;
        });
    }

    private Future<ObjectNode> update(Principal p, ObjectNode body) {
        admin.check("/user/update", p, null, null);
        String userId = AdminHttp.optionalName(body, "user_id");
        String email = AdminHttp.optionalName(body, "user_email");
        if (userId == null && email == null) throw GatewayException.badRequest("'user_id' (or 'user_email') is required.", "user_id");
        Patch patch = Patch.read(body, FIELDS);
        return admin.write(store -> {
            User user = userId != null ? TenancyAdmin.existing(store, Table.USERS, "user", userId) : byEmail(store, email);
            User changed = patch.applyTo(user, User.class, admin.tenancy.now());
            store.update(Table.USERS, changed);
            ObjectNode out = Json.object();
            out.put("user_id", changed.userId());
            out.set("data", userJson(changed, teamsOf(store.where(Table.TEAM_MEMBERS, "user_id", changed.userId()))));
            return out;
        });
    }

    private Future<ObjectNode> delete(Principal p, ObjectNode body) {
        admin.check("/user/delete", p, null, null);
        List<String> ids = AdminHttp.stringList(body, "user_ids");
        if (ids.isEmpty()) throw GatewayException.badRequest("Give the users to delete as {\"user_ids\": [\"...\"]}.", "user_ids");
        return admin.write(store -> {
            List<String> missing = ids.stream().filter(id -> store.find(Table.USERS, id).isEmpty()).toList();
            if (!missing.isEmpty()) throw GatewayException.notFound("No user " + String.join(", ", missing) + "; nothing was deleted.", "user_ids");
            for (String id : ids) {
                admin.deleteKeysOf(id, null);
                store.deleteWhere(Table.TEAM_MEMBERS, "user_id", id);
                store.deleteWhere(Table.ORGANIZATION_MEMBERS, "user_id", id);
                store.delete(Table.USERS, id);
            }
            ObjectNode out = Json.object();
            ids.forEach(out.putArray("deleted_users")::add);
            return out;
        });
    }

    private Future<ObjectNode> list(Principal p, HttpServerRequest req) {
        admin.check("/user/list", p, null, null);
        int page = AdminHttp.intParam(req, "page", 1, 1, KeyAdminHandler.MAX_PAGE);
        int size = AdminHttp.intParam(req, "page_size", 25, 1, MAX_PAGE_SIZE);
        String role = AdminHttp.blankToNull(req.getParam("role"));
        String ids = AdminHttp.blankToNull(req.getParam("user_ids"));
        List<String> wanted = ids == null ? null : List.of(ids.split(","));
        return admin.read(store -> {
            List<User> all = store.all(Table.USERS).stream()
                    .filter(u -> role == null || role.equals(u.userRole()))
                    .filter(u -> wanted == null || wanted.contains(u.userId())).toList();
            java.util.Map<String, List<String>> teams = new java.util.HashMap<>();
            for (TeamMember m : store.all(Table.TEAM_MEMBERS)) teams.computeIfAbsent(m.userId(), k -> new java.util.ArrayList<>()).add(m.teamId());
            ObjectNode out = Json.object();
            ArrayNode users = out.putArray("users");
            all.stream().skip((long) (page - 1) * size).limit(size).forEach(u -> users.add(userJson(u, teams.getOrDefault(u.userId(), List.of()))));
            out.put("total", all.size());
            out.put("page", page);
            out.put("page_size", size);
            out.put("total_pages", (all.size() + size - 1) / size);
            return out;
        });
    }

    /** A user as LiteLLM shows it: its row and the ids of its teams. */
    private static ObjectNode userJson(User user, List<String> teamIds) {
        ObjectNode o = TenancyJson.of(user);
        teamIds.forEach(o.putArray("teams")::add);
        return o;
    }

    private static List<String> teamsOf(List<TeamMember> memberships) {
        return memberships.stream().map(TeamMember::teamId).toList();
    }

    private static User byEmail(TenancyStore store, String email) {
        return store.where(Table.USERS, "user_email", email).stream().findFirst()
                .orElseThrow(() -> GatewayException.notFound("No user has the user_email '" + email + "'.", "user_email"));
    }
}
