package dev.aigateway.server.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.router.DeploymentStats;
import dev.aigateway.router.Router;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.http.HttpServerRequest;

import java.time.Clock;
import java.time.Instant;

/**
 * {@code GET /ui/api/deployments} (admin): what the router knows about each deployment right now, from memory, without
 * calling any provider: calls in flight, smoothed latency and time to first token, requests and tokens this minute,
 * cooldown, and the last background health check's error. The health page polls it.
 */
final class DeploymentsHandler {
    private final RequestPipeline pipeline;
    private final Router router;
    private final Clock clock;

    DeploymentsHandler(RequestPipeline pipeline, Router router, Clock clock) {
        this.pipeline = pipeline;
        this.router = router;
        this.clock = clock;
    }

    void list(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticateAdmin(ctx);
            long now = clock.millis();
            ObjectNode out = Json.object();
            out.put("now", Instant.ofEpochMilli(now).toString());
            out.put("background_health_checks", router.settings().healthCheckInterval() != null);
            ArrayNode list = out.putArray("deployments");
            for (Deployment d : router.catalog().all()) list.add(describe(d, router.stats(d), now));
            Responses.json(ctx, 200, out);
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    static ObjectNode describe(Deployment d, DeploymentStats s, long now) {
        ObjectNode o = Json.object();
        o.put("id", d.id());
        o.put("model_name", d.modelName());
        o.put("provider", d.provider());
        o.put("model", d.shownModel());
        if (d.apiBase() != null) o.put("api_base", d.shownApiBase());
        o.put("db_model", !d.fromConfig());
        boolean cooling = s.coolingDown(now);
        String error = s.healthError();
        o.put("status", cooling ? "cooling_down" : error != null ? "unhealthy" : "healthy");
        o.put("in_flight", s.inFlight());
        putMillis(o, "latency_ms", s.latencyMs());
        putMillis(o, "ttft_ms", s.ttftMs());
        o.put("requests_this_minute", s.minuteRequests(now));
        o.put("tokens_this_minute", s.minuteTokens(now));
        if (cooling) o.put("cooldown_until", Instant.ofEpochMilli(s.cooldownUntilMillis()).toString());
        else o.putNull("cooldown_until");
        if (error != null) o.put("health_error", error);
        else o.putNull("health_error");
        return o;
    }

    private static void putMillis(ObjectNode o, String field, double ms) {
        if (ms < 0) o.putNull(field);
        else o.put(field, Math.round(ms * 10) / 10.0);
    }
}
