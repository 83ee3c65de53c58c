package dev.aigateway.router;

import dev.aigateway.core.Deployment;

/**
 * Who served a request, as failover went: reported in the x-gateway-* headers and in spend logs.
 * Event-loop confined.
 */
public final class RouteTrace {
    private int attempts;
    private int retries;
    private int fallbacks;
    private Deployment deployment;
    private String fallbackGroup;

    void attempt(Deployment d, boolean retry) {
        attempts++;
        if (retry) retries++;
        deployment = d;
    }

    void fallback(String group) {
        fallbacks++;
        fallbackGroup = group;
    }

    /** Attempts that retried a failed one in the same model group (over all groups tried). */
    public int retries() {
        return retries;
    }

    /** Fallback groups tried. */
    public int fallbacks() {
        return fallbacks;
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
