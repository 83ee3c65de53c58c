package dev.aigateway.server;

import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.db.Database;
import dev.aigateway.governance.Governance;
import dev.aigateway.models.RuntimeModels;
import dev.aigateway.provider.Providers;
import dev.aigateway.router.Router;
import dev.aigateway.server.metrics.GatewayMetrics;

/**
 * The services a request uses, shared by every event loop. Everything here is either immutable or
 * safe for concurrent use, and none of it blocks ({@code runtimeModels} reloads block: worker threads only).
 */
public record Gateway(
        GatewayConfig config,
        Governance governance,
        Router router,
        Providers providers,
        ClusterEvents cluster,
        Database database,
        Readiness readiness,
        long startedAtMillis,
        String version,
        RuntimeModels runtimeModels,
        GatewayMetrics metrics,
        BodyBudget bodyBudget) {

    public static String currentVersion() {
        String v = Gateway.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
