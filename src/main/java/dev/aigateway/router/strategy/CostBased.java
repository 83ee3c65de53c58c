package dev.aigateway.router.strategy;

import dev.aigateway.core.Deployment;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.router.DeploymentStats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** The cheapest deployment (input + output price per token, from the price table and model_info); ties at random. */
public record CostBased(Function<Deployment, ModelPrice> prices) implements RoutingStrategy {

    @Override
    public Deployment choose(List<Deployment> candidates, Function<Deployment, DeploymentStats> stats, long nowMillis) {
        double min = Double.MAX_VALUE;
        List<Deployment> best = new ArrayList<>(2);
        for (Deployment d : candidates) {
            ModelPrice p = prices.apply(d);
            double c = (p.inputCostPerToken() == null ? 0 : p.inputCostPerToken()) + (p.outputCostPerToken() == null ? 0 : p.outputCostPerToken());
            if (c < min) {
                min = c;
                best.clear();
            }
            if (Double.compare(c, min) == 0) best.add(d); // equal prices tie: the strategy picks among them
        }
        return best.get(ThreadLocalRandom.current().nextInt(best.size()));
    }
}
