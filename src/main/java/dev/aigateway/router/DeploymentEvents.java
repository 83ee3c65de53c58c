package dev.aigateway.router;

import dev.aigateway.core.Deployment;

/**
 * What the router tells observers (metrics) about deployments as attempts fail. Called on event loops:
 * implementations must be cheap and never block.
 */
public interface DeploymentEvents {
    DeploymentEvents NONE = new DeploymentEvents() {};

    /** An attempt on {@code d} failed with this HTTP status (every failed attempt, retried or not). */
    default void attemptFailed(Deployment d, String requestedModel, int status) {}

    /** That failure put {@code d} into cooldown. */
    default void cooledDown(Deployment d, int status) {}
}
