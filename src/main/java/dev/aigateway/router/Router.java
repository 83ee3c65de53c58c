package dev.aigateway.router;

import dev.aigateway.error.GatewayException;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the deployment that serves a request. Deployments with the lowest {@code order} are used first;
 * within that tier the choice is random, weighted by {@code weight} (LiteLLM's simple-shuffle).
 */
public final class Router {
    private volatile ModelCatalog catalog;

    public Router(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /** Swaps in a new set of deployments (runtime model changes). */
    public void update(ModelCatalog next) {
        this.catalog = next;
    }

    /** A deployment for the model; 404 model_not_found when no deployment serves it. */
    public Deployment pick(String modelName) {
        List<Deployment> candidates = catalog.deployments(modelName);
        if (candidates.isEmpty()) throw GatewayException.modelNotFound(modelName);
        if (candidates.size() == 1) return candidates.get(0);
        int lowest = Integer.MAX_VALUE;
        for (Deployment d : candidates) lowest = Math.min(lowest, d.order());
        double total = 0;
        for (Deployment d : candidates) if (d.order() == lowest) total += d.weight();
        double r = ThreadLocalRandom.current().nextDouble() * total;
        Deployment last = null;
        for (Deployment d : candidates) {
            if (d.order() != lowest) continue;
            last = d;
            r -= d.weight();
            if (r < 0) return d;
        }
        return last;
    }
}
