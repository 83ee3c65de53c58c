package dev.aigateway.router.strategy;

import dev.aigateway.core.Deployment;
import dev.aigateway.router.DeploymentStats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** The deployment with the fewest calls in flight (ties broken at random). */
public record LeastBusy() implements RoutingStrategy {

    @Override
    public Deployment choose(List<Deployment> candidates, Function<Deployment, DeploymentStats> stats, long nowMillis) {
        int min = Integer.MAX_VALUE;
        List<Deployment> best = new ArrayList<>(2);
        for (Deployment d : candidates) {
            int n = stats.apply(d).inFlight();
            if (n < min) {
                min = n;
                best.clear();
            }
            if (n == min) best.add(d);
        }
        return best.get(ThreadLocalRandom.current().nextInt(best.size()));
    }
}
