package dev.aigateway.server.admin;

import dev.aigateway.models.ModelService;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Routes;

/**
 * The LiteLLM-compatible admin API: {@code /key/*}, {@code /model/*}, {@code /spend/*}. Every route needs
 * the master key or an admin key, and does its database work on worker threads.
 */
public final class AdminRoutes {
    private AdminRoutes() {}

    public static void register(Routes routes, RequestPipeline pipeline, ModelService models) {
        // filled in by the key, model and spend handlers
        new KeyAdminHandler(pipeline).register(routes);
        ModelAdminHandler.register(routes, pipeline, models);
        new SpendAdminHandler(pipeline).register(routes);
    }
}
