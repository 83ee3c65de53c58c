package dev.aigateway.governance;

/**
 * A user's role (LiteLLM's {@code user_role}), read from memory when a key names its user: a key of a
 * {@code proxy_admin} user may call every admin route, one of a {@code proxy_admin_viewer} user read them.
 */
@FunctionalInterface
public interface UserRoles {
    String PROXY_ADMIN = "proxy_admin";
    String PROXY_ADMIN_VIEWER = "proxy_admin_viewer";

    /** The user's role as LiteLLM spells it, or null for an unknown user. */
    String roleOf(String userId);

    UserRoles NONE = userId -> null;
}
