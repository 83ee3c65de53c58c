package dev.aigateway.server.health;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.DeploymentProbe;
import dev.aigateway.router.Router;
import dev.aigateway.server.Readiness;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The health routes: liveness (the process answers), readiness (its dependencies are reachable; for load
 * balancers and {@code start}), and the authenticated {@code /health}, which sends every deployment a
 * one-token request and reports LiteLLM's {@code healthy_endpoints}/{@code unhealthy_endpoints}.
 */
public final class HealthHandler {
    private static final Buffer ALIVE = Buffer.buffer("\"I'm alive!\"");
    private final RequestPipeline pipeline;
    private final DeploymentProbe probe;
    private final Readiness readiness;
    private final Router router;
    private final String version;
    private final long startedAtMillis;

    public HealthHandler(RequestPipeline pipeline, DeploymentProbe probe, Readiness readiness, Router router, String version,
                         long startedAtMillis) {
        this.pipeline = pipeline;
        this.probe = probe;
        this.readiness = readiness;
        this.router = router;
        this.version = version;
        this.startedAtMillis = startedAtMillis;
    }

    public void liveness(HttpServerRequest req) {
        Responses.send(pipeline.begin(req), 200, "application/json", ALIVE);
    }

    public void readiness(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        ObjectNode out = Json.object();
        boolean ready = readiness.ready();
        out.put("status", ready ? "healthy" : "unhealthy");
        out.put("db", readiness.databaseStatus());
        out.put("redis", readiness.redisStatus());
        out.putObject("spend_queue").put("rows", readiness.spendQueued()).put("oldest_age_ms", readiness.spendOldestAgeMillis());
        out.put("version", version);
        out.put("uptime_seconds", (System.currentTimeMillis() - startedAtMillis) / 1000);
        out.put("models", router.catalog().modelNames().size());
        // LiteLLM's names, for the probes and dashboards written against it ("status" and "db" above already match).
        out.put("litellm_version", version);
        String cache = readiness.cacheType();
        if (cache == null) out.putNull("cache");
        else out.put("cache", cache);
        out.putArray("success_callbacks");
        Responses.json(ctx, ready ? 200 : 503, out);
    }

    public void health(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            if (!pipeline.authenticate(ctx).admin()) throw GatewayException.permission("/health needs an admin key.");
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
            return;
        }
        List<Deployment> all = router.catalog().all();
        List<Future<ObjectNode>> checks = new ArrayList<>();
        for (Deployment d : all) checks.add(probe.probe(d).recover(t -> Future.succeededFuture(failed(d, t))));
        Future.join(checks).onComplete(ar -> {
            ObjectNode out = Json.object();
            ArrayNode healthy = out.putArray("healthy_endpoints");
            ArrayNode unhealthy = out.putArray("unhealthy_endpoints");
            for (Future<ObjectNode> f : checks) {
                ObjectNode r = f.result();
                (r.has("error") ? unhealthy : healthy).add(r);
            }
            out.put("healthy_count", healthy.size());
            out.put("unhealthy_count", unhealthy.size());
            Responses.json(ctx, 200, out);
        });
    }

    private static ObjectNode failed(Deployment d, Throwable t) {
        ObjectNode o = DeploymentProbe.describe(d);
        o.put("error", t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        return o;
    }
}
