package dev.aigateway.governance;

/**
 * Who is calling, as established by authentication.
 *
 * @param keyHash SHA-256 of the key (never the key itself); null when auth is disabled
 * @param alias   a name safe to log
 * @param admin   may use the admin routes
 */
public record Principal(String keyHash, String alias, boolean admin) {

    public static final Principal ANONYMOUS_ADMIN = new Principal(null, "no-auth", true);

    /** Whether this caller may use the model; every key may use every model until virtual keys restrict it. */
    public boolean allowsModel(String modelName) {
        return true;
    }
}
