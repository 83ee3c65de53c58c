package dev.aigateway.governance.tenancy;

import java.util.Locale;

/**
 * LiteLLM's user roles. A key acts with its user's role; the master key and admin keys act as {@link #PROXY_ADMIN}.
 * Viewers read and change nothing; internal users manage only themselves (and the teams they administer).
 */
public enum Role {
    PROXY_ADMIN, PROXY_ADMIN_VIEWER, INTERNAL_USER, INTERNAL_USER_VIEWER;

    /** The name on the wire and in the database ({@code proxy_admin}...). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A stored or requested role; null when it is none of LiteLLM's four. */
    public static Role parse(String s) {
        if (s == null) return null;
        for (Role r : values()) if (r.wire().equals(s)) return r;
        return null;
    }
}
