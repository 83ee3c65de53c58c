package dev.aigateway.server.health;

import dev.aigateway.core.Deployment;
import dev.aigateway.provider.DeploymentProbe;
import dev.aigateway.router.Router;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * {@code general_settings.background_health_checks}: every {@code health_check_interval}, probe every
 * deployment and tell the router which failed, so requests skip them until a later check passes.
 * A state change is logged once, not every round.
 */
public final class BackgroundHealthChecks {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundHealthChecks.class);

    private BackgroundHealthChecks() {}

    public static void start(Vertx vertx, Router router, DeploymentProbe probe, Duration interval) {
        Runnable round = () -> {
            for (Deployment d : router.catalog().all()) {
                probe.probe(d).onComplete(ar -> {
                    String before = router.stats(d).healthError();
                    String after = ar.succeeded() ? null : String.valueOf(ar.cause().getMessage());
                    router.stats(d).healthError(after);
                    if (before == null && after != null) LOG.warn("Deployment {} failed its health check: {}", d, after);
                    if (before != null && after == null) LOG.info("Deployment {} is healthy again", d);
                });
            }
        };
        vertx.runOnContext(v -> round.run());
        vertx.setPeriodic(interval.toMillis(), id -> round.run());
    }
}
