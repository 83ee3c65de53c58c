package dev.aigateway.server.metrics;

import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.Principal;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Supplier;

/**
 * {@code GET /metrics}: Prometheus' text format. The page names keys (hashes, aliases), their spend and budgets, and
 * every deployment, so it needs a key by default: the master key, an admin key, or a {@code read_only} key (what a
 * scraper should get: it can read, not change). {@code general_settings.require_auth_for_metrics_endpoint: false}
 * opens it, for a scraper that cannot send a key and a port that only it can reach (docs/security.md). The page is
 * rendered on a worker thread (it reads /proc and walks every key and deployment), never on the event loop.
 */
public final class MetricsHandler {
    private final RequestPipeline pipeline;
    private final boolean requireAuth;
    /** Renders the page (blocking: worker threads only). */
    private final Supplier<String> page;

    public MetricsHandler(RequestPipeline pipeline, boolean requireAuth, Supplier<String> page) {
        this.pipeline = pipeline;
        this.requireAuth = requireAuth;
        this.page = page;
    }

    public void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        if (requireAuth) {
            try {
                Principal p = pipeline.authenticate(ctx);
                if (!p.mayReadAdminData()) {
                    throw GatewayException.permission("/metrics needs the master key, an admin key or a read_only key "
                            + "(give the scraper a key with key_type 'read_only').");
                }
            } catch (RuntimeException e) {
                Responses.error(ctx, e);
                return;
            }
        }
        pipeline.blocking(page::get)
                .onSuccess(text -> Responses.send(ctx, 200, PromWriter.CONTENT_TYPE, Buffer.buffer(text)))
                .onFailure(t -> Responses.error(ctx, t));
    }
}
