package dev.aigateway.server.admin;

import dev.aigateway.server.Routes;

/**
 * The LiteLLM-compatible admin API: {@code /key/*}, {@code /model/*}, {@code /spend/*}. Every route needs
 * the master key or an admin key, and does its database work on worker threads.
 */
public final class AdminRoutes {
    private AdminRoutes() {}

    public static void register(Routes routes, KeyAdminHandler keys, ModelAdminHandler models, SpendAdminHandler spend) {
        keys.register(routes);
        models.register(routes);
        spend.register(routes);
    }
}
