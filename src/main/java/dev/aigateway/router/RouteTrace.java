package dev.aigateway.router;

import dev.aigateway.core.Deployment;

/**
 * Who served a request, as failover went: reported in the x-gateway-* headers and in spend logs.
 * Event-loop confined.
 */
public final class RouteTrace {
    private int attempts;
    private Deployment deployment;
    private String fallbackGroup;

    void attempt(Deployment d) {
        attempts++;
        deployment = d;
    }

    void fallback(String group) {
        fallbackGroup = group;
    }

    public int attempts() {
        return attempts;
    }

    /** The deployment of the latest attempt (the one that served, on success). */
    public Deployment deployment() {
        return deployment;
    }

    /** The fallback model group that served (or was last tried), or null when none was used. */
    public String fallbackGroup() {
        return fallbackGroup;
    }
}
