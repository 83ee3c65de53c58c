package dev.aigateway.governance;

import dev.aigateway.governance.keys.VirtualKey;

/**
 * Who is calling, as established by authentication.
 *
 * @param keyHash SHA-256 of the key (never the key itself); null when auth is disabled
 * @param alias   a name safe to log
 * @param admin   may use the admin routes
 * @param key     the virtual key, or null for the master key (and when auth is disabled)
 */
public record Principal(String keyHash, String alias, boolean admin, VirtualKey key) {

    public static final Principal ANONYMOUS_ADMIN = new Principal(null, "no-auth", true, null);

    /** May read admin information (metrics, lists): the master key, an admin key or a read_only key. */
    public boolean mayReadAdminData() {
        return admin || key != null && key.isReadOnly();
    }

    public boolean isMasterKey() {
        return key == null && keyHash != null;
    }
}
