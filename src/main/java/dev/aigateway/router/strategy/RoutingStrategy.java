package dev.aigateway.router.strategy;

import dev.aigateway.core.Deployment;
import dev.aigateway.router.DeploymentStats;

import java.util.List;
import java.util.function.Function;

/**
 * Chooses one deployment among those that may serve a request right now (same priority tier, not
 * cooling down, healthy). Implementations are LiteLLM's routing strategies.
 */
public sealed interface RoutingStrategy
        permits SimpleShuffle, LeastBusy, LatencyBased, UsageBased, CostBased {

    /**
     * @param candidates never empty
     * @param stats      the live statistics of a deployment
     * @param nowMillis  the router's clock
     */
    Deployment choose(List<Deployment> candidates, Function<Deployment, DeploymentStats> stats, long nowMillis);
}
