package dev.aigateway.governance;

import dev.aigateway.governance.keys.VirtualKey;

/**
 * Who is calling, as established by authentication.
 *
 * @param keyHash SHA-256 of the key (never the key itself); null when auth is disabled
 * @param alias   a name safe to log
 * @param admin   may use the admin routes (the master key, an admin-type key, a key of a {@code proxy_admin} user)
 * @param key     the virtual key, or null for the master key (and when auth is disabled)
 * @param viewer  a key of a {@code proxy_admin_viewer} user: reads what admins read
 */
public record Principal(String keyHash, String alias, boolean admin, VirtualKey key, boolean viewer) {

    public Principal(String keyHash, String alias, boolean admin, VirtualKey key) {
        this(keyHash, alias, admin, key, false);
    }

    public static final Principal ANONYMOUS_ADMIN = new Principal(null, "no-auth", true, null);

    /** May read admin information (metrics, lists): the master key, an admin key, a read_only key, an admin viewer's key. */
    public boolean mayReadAdminData() {
        return admin || viewer || key != null && key.isReadOnly();
    }

    public boolean isMasterKey() {
        return key == null && keyHash != null;
    }
}
