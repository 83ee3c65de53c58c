package dev.aigateway.router.strategy;

import dev.aigateway.core.Deployment;
import dev.aigateway.router.DeploymentStats;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * LiteLLM's default: random, weighted by {@code weight}; when no deployment sets a weight, by {@code rpm},
 * then {@code tpm}; when none sets those either, uniform.
 */
public record SimpleShuffle() implements RoutingStrategy {

    @Override
    public Deployment choose(List<Deployment> candidates, Function<Deployment, DeploymentStats> stats, long nowMillis) {
        if (candidates.size() == 1) return candidates.get(0);
        double[] weights = weights(candidates);
        double total = 0;
        for (double w : weights) total += w;
        if (total <= 0) return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        double r = ThreadLocalRandom.current().nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) return candidates.get(i);
        }
        return candidates.get(candidates.size() - 1);
    }

    /** Each candidate's share: its {@code weight}, else its {@code rpm}, else its {@code tpm}, else 1 (see above). */
    public static double[] weights(List<Deployment> candidates) {
        String basis = basis(candidates);
        double[] weights = new double[candidates.size()];
        for (int i = 0; i < weights.length; i++) weights[i] = weight(candidates.get(i), basis);
        return weights;
    }

    private static String basis(List<Deployment> candidates) {
        for (String b : new String[]{"weight", "rpm", "tpm"}) {
            for (Deployment d : candidates) if (d.param(b) != null) return b;
        }
        return null;
    }

    private static double weight(Deployment d, String basis) {
        if (basis == null) return 1;
        if (basis.equals("weight")) return d.param("weight") == null ? 1 : d.weight();
        Long v = d.longParam(basis);
        return v == null ? 0 : v;
    }
}
