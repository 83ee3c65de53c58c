package dev.aigateway.server.metrics;

import dev.aigateway.metrics.PromWriter;
import dev.aigateway.server.Gateway;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /metrics}: Prometheus' text format. Public, as LiteLLM's is, unless
 * {@code general_settings.require_auth_for_metrics_endpoint: true}, which asks for any valid key. The page
 * is rendered on a worker thread (it reads /proc and walks every key and deployment), never on the event loop.
 */
public final class MetricsHandler {
    private final RequestPipeline pipeline;
    private final boolean requireAuth;

    public MetricsHandler(RequestPipeline pipeline) {
        this.pipeline = pipeline;
        this.requireAuth = pipeline.gateway().config().generalSettings().path("require_auth_for_metrics_endpoint").asBoolean(false);
    }

    public void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        if (requireAuth) {
            try {
                pipeline.authenticate(ctx);
            } catch (RuntimeException e) {
                Responses.error(ctx, e);
                return;
            }
        }
        Gateway g = pipeline.gateway();
        pipeline.blocking(() -> g.metrics().scrape(g.router(), g.governance().keys(), g.governance().spendLog(), g.version(), g.startedAtMillis()))
                .onSuccess(text -> Responses.send(ctx, 200, PromWriter.CONTENT_TYPE, Buffer.buffer(text)))
                .onFailure(t -> Responses.error(ctx, t));
    }
}
