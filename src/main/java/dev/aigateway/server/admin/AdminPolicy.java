package dev.aigateway.server.admin;

import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.tenancy.Role;
import dev.aigateway.governance.tenancy.TeamMember;
import dev.aigateway.governance.tenancy.TenancySnapshot;
import dev.aigateway.governance.tenancy.User;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may call which tenancy and key admin route, as one table (LiteLLM's roles): every route has one {@link Access}, and
 * {@link #check} judges a caller's role, and its place in the target team, against it. The master key and admin keys act
 * as {@code proxy_admin}, a {@code read_only} key as {@code proxy_admin_viewer}, any other key with its user's role.
 */
public final class AdminPolicy {

    /** What a route needs. */
    public enum Access {
        /** proxy_admin only. */
        ADMIN,
        /** proxy_admin, or proxy_admin_viewer. */
        READ_ALL,
        /** The readers of READ_ALL, or any user reading itself. */
        READ_SELF,
        /** The readers of READ_ALL, an internal_user member of the target team, or a key of that team. */
        READ_TEAM,
        /** proxy_admin, or an admin of the target team. */
        MANAGE_TEAM,
        /** proxy_admin, an admin of the key's team, or an internal_user for a key of its own in no team. */
        MANAGE_KEY,
        /** proxy_admin, or an admin of the key's team (blocking is not for the key's own user). */
        BLOCK_KEY
    }

    /** Every route this policy covers and what it needs. */
    public static final Map<String, Access> ROUTES = routes();

    private static Map<String, Access> routes() {
        Map<String, Access> m = new LinkedHashMap<>();
        m.put("/key/generate", Access.MANAGE_KEY);
        m.put("/key/update", Access.MANAGE_KEY);
        m.put("/key/regenerate", Access.ADMIN);
        m.put("/key/block", Access.BLOCK_KEY);
        m.put("/key/unblock", Access.BLOCK_KEY);
        m.put("/team/new", Access.ADMIN);
        m.put("/team/info", Access.READ_TEAM);
        m.put("/team/update", Access.MANAGE_TEAM);
        m.put("/team/list", Access.READ_SELF);
        m.put("/team/block", Access.ADMIN);
        m.put("/team/unblock", Access.ADMIN);
        m.put("/team/member_add", Access.MANAGE_TEAM);
        m.put("/team/member_update", Access.MANAGE_TEAM);
        m.put("/team/member_delete", Access.MANAGE_TEAM);
        m.put("/team/model/add", Access.ADMIN);
        m.put("/team/model/delete", Access.ADMIN);
        m.put("/user/new", Access.ADMIN);
        m.put("/user/info", Access.READ_SELF);
        m.put("/user/update", Access.ADMIN);
        m.put("/user/list", Access.READ_ALL);
        m.put("/budget/new", Access.ADMIN);
        m.put("/budget/info", Access.READ_ALL);
        m.put("/budget/update", Access.ADMIN);
        m.put("/budget/list", Access.READ_ALL);
        m.put("/organization/new", Access.ADMIN);
        m.put("/organization/info", Access.READ_ALL);
        m.put("/organization/update", Access.ADMIN);
        m.put("/organization/list", Access.READ_ALL);
        m.put("/organization/member_add", Access.ADMIN);
        m.put("/organization/member_update", Access.ADMIN);
        m.put("/organization/member_delete", Access.ADMIN);
        for (String prefix : new String[] {"/customer", "/end_user"}) {
            m.put(prefix + "/new", Access.ADMIN);
            m.put(prefix + "/info", Access.READ_ALL);
            m.put(prefix + "/update", Access.ADMIN);
            m.put(prefix + "/list", Access.READ_ALL);
            m.put(prefix + "/block", Access.ADMIN);
            m.put(prefix + "/unblock", Access.ADMIN);
            m.put(prefix + "/delete", Access.ADMIN);
        }
        // Deletions last, so that a test walking the table in order deletes what the others use at the end.
        m.put("/key/delete", Access.MANAGE_KEY);
        m.put("/team/delete", Access.ADMIN);
        m.put("/user/delete", Access.ADMIN);
        m.put("/budget/delete", Access.ADMIN);
        m.put("/organization/delete", Access.ADMIN);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Who calls: a role, and the user it acts for (null for the master key and keys of no user).
     *
     * @param role   null for a key that belongs to no user and is no admin key: it may only read its own team
     * @param teamId the calling key's team: a team's keys may read their team, as in LiteLLM
     */
    public record Caller(Role role, String userId, String teamId) {
        public static Caller of(Principal p, TenancySnapshot tenancy) {
            String teamId = p.key() == null ? null : p.key().teamId();
            if (p.admin()) return new Caller(Role.PROXY_ADMIN, p.key() == null ? null : p.key().userId(), teamId);
            if (p.key() == null) return new Caller(null, null, null);
            if (p.key().isReadOnly()) return new Caller(Role.PROXY_ADMIN_VIEWER, p.key().userId(), teamId);
            String userId = p.key().userId();
            if (userId == null) return new Caller(null, null, teamId);
            User u = tenancy.users().get(userId);
            // A key naming a user that has no row yet acts as LiteLLM's default role.
            Role role = u == null ? Role.INTERNAL_USER : u.role() != null ? u.role() : Role.INTERNAL_USER;
            return new Caller(role, userId, teamId);
        }

        public boolean isAdmin() {
            return role == Role.PROXY_ADMIN;
        }
    }

    private AdminPolicy() {}

    /**
     * Throws 403 unless {@code caller} may call {@code route} on the target.
     *
     * @param teamId the team the request is about (the team's, or the key's), or null
     * @param userId the user the request is about (the user read, or the key's owner), or null
     */
    public static void check(String route, Caller caller, TenancySnapshot tenancy, String teamId, String userId) {
        Access access = ROUTES.get(route);
        if (access == null) throw new IllegalArgumentException("No policy for " + route);
        if (allowed(access, caller, tenancy, teamId, userId)) return;
        throw refusal(route, access, caller);
    }

    private static GatewayException refusal(String route, Access access, Caller caller) {
        return GatewayException.permission(route + " needs " + needs(access) + "; this key acts as "
                + (caller.role() == null ? "no user (give the key a user_id)" : caller.role().wire()) + ".");
    }

    /**
     * Throws 403 when no target at all would let the caller call {@code route}: checked before the body is read, so
     * that a caller without the role learns that first, not what its request lacks.
     */
    public static void checkRole(String route, Caller caller) {
        Access access = ROUTES.get(route);
        if (access == null) throw new IllegalArgumentException("No policy for " + route);
        Role role = caller.role();
        boolean possible = role == Role.PROXY_ADMIN || access == Access.READ_TEAM && caller.teamId() != null || role != null && switch (access) {
            case ADMIN -> false;
            case READ_ALL -> role == Role.PROXY_ADMIN_VIEWER;
            case READ_SELF -> true;
            case READ_TEAM -> role == Role.PROXY_ADMIN_VIEWER || role == Role.INTERNAL_USER;
            case MANAGE_TEAM, MANAGE_KEY, BLOCK_KEY -> role == Role.INTERNAL_USER;
        };
        if (!possible) throw refusal(route, access, caller);
    }

    static boolean allowed(Access access, Caller c, TenancySnapshot tenancy, String teamId, String userId) {
        Role role = c.role();
        if (access == Access.READ_TEAM && c.teamId() != null && c.teamId().equals(teamId)) return true;
        if (role == null) return false;
        if (role == Role.PROXY_ADMIN) return true;
        boolean viewer = role == Role.PROXY_ADMIN_VIEWER;
        boolean self = c.userId() != null && c.userId().equals(userId);
        TeamMember membership = tenancy.membership(teamId, c.userId());
        boolean teamAdmin = membership != null && membership.isAdmin() && (role == Role.INTERNAL_USER);
        return switch (access) {
            case ADMIN -> false;
            case READ_ALL -> viewer;
            case READ_SELF -> viewer || self;
            case READ_TEAM -> viewer || membership != null && role == Role.INTERNAL_USER;
            case MANAGE_TEAM, BLOCK_KEY -> teamAdmin;
            case MANAGE_KEY -> teamAdmin || role == Role.INTERNAL_USER && self && teamId == null;
        };
    }

    /** Who proxy_admin is, in every refusal: callers that hold the master key should see that it is what they need. */
    private static final String PROXY_ADMIN = "the role proxy_admin (the master key, an admin key or a proxy_admin user's key)";

    private static String needs(Access access) {
        return switch (access) {
            case ADMIN -> PROXY_ADMIN;
            case READ_ALL -> PROXY_ADMIN + " or proxy_admin_viewer";
            case READ_SELF -> PROXY_ADMIN + " or proxy_admin_viewer (any user may read itself)";
            case READ_TEAM -> PROXY_ADMIN + " or proxy_admin_viewer, membership of the team, or a key of the team";
            case MANAGE_TEAM, BLOCK_KEY -> PROXY_ADMIN + ", or the role admin in the team";
            case MANAGE_KEY -> PROXY_ADMIN + ", the role admin in the key's team, or an internal_user for its own key in no team";
        };
    }
}
