package dev.aigateway.router.strategy;

import dev.aigateway.core.Deployment;
import dev.aigateway.router.DeploymentStats;

import java.util.List;
import java.util.function.Function;

/**
 * The deployment with the most headroom left this minute against its own {@code rpm}/{@code tpm}
 * (the smaller of the two fractions left); deployments without limits count as fully free.
 */
public record UsageBased() implements RoutingStrategy {

    @Override
    public Deployment choose(List<Deployment> candidates, Function<Deployment, DeploymentStats> stats, long nowMillis) {
        Deployment best = candidates.get(0);
        double bestRoom = -1;
        for (Deployment d : candidates) {
            double room = headroom(d, stats.apply(d), nowMillis);
            if (room > bestRoom) {
                bestRoom = room;
                best = d;
            }
        }
        return best;
    }

    static double headroom(Deployment d, DeploymentStats s, long nowMillis) {
        double room = 1;
        Long rpm = d.longParam("rpm");
        if (rpm != null && rpm > 0) room = Math.min(room, 1 - s.minuteRequests(nowMillis) / (double) rpm);
        Long tpm = d.longParam("tpm");
        if (tpm != null && tpm > 0) room = Math.min(room, 1 - s.minuteTokens(nowMillis) / (double) tpm);
        return room;
    }
}
