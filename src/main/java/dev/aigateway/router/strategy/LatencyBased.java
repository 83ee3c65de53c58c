package dev.aigateway.router.strategy;

import dev.aigateway.core.Deployment;
import dev.aigateway.router.DeploymentStats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The deployment with the lowest smoothed latency (time to first token for streams). A deployment not
 * measured yet goes first, so every one gets measured. With {@code lowest_latency_buffer} b, any deployment
 * within (1 + b) × the lowest latency may be picked, at random, which spreads load across near-equals.
 */
public record LatencyBased(double buffer) implements RoutingStrategy {

    @Override
    public Deployment choose(List<Deployment> candidates, Function<Deployment, DeploymentStats> stats, long nowMillis) {
        List<Deployment> unmeasured = new ArrayList<>();
        double min = Double.MAX_VALUE;
        for (Deployment d : candidates) {
            double l = stats.apply(d).routingLatency();
            if (l < 0) unmeasured.add(d);
            else min = Math.min(min, l);
        }
        if (!unmeasured.isEmpty()) return unmeasured.get(ThreadLocalRandom.current().nextInt(unmeasured.size()));
        double limit = min * (1 + buffer);
        List<Deployment> near = new ArrayList<>();
        for (Deployment d : candidates) if (stats.apply(d).routingLatency() <= limit) near.add(d);
        return near.get(ThreadLocalRandom.current().nextInt(near.size()));
    }
}
