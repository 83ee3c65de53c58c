package dev.aigateway.server.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.models.ModelService;
import dev.aigateway.provider.DeploymentProbe;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /model/test} (admin): the UI's "Test connection" over HTTP. {@link ModelService#deploymentToTest} builds
 * the deployment from a body shaped like {@code /model/new}'s (a model that need not be saved; an edit form's stored
 * credentials kept while the endpoint stays the same, else 400), {@link ModelService#test} sends it one tiny request.
 * Answers 200 with {@code ok} true or false (the provider's error, redacted and at most
 * {@value ModelService#MAX_ERROR_CHARS} characters); 400 when the parameters are invalid. Nothing is stored.
 */
final class ModelTestHandler {
    private final RequestPipeline pipeline;
    private final ModelService models;

    ModelTestHandler(RequestPipeline pipeline, ModelService models) {
        this.pipeline = pipeline;
        this.models = models;
    }

    void test(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticateAdmin(ctx);
            pipeline.readJson(ctx)
                    .compose(body -> pipeline.blocking(() -> models.deploymentToTest(body)))
                    .compose(models::test)
                    .onSuccess(t -> Responses.json(ctx, 200, answer(t)))
                    .onFailure(t -> Responses.error(ctx, t));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    private static ObjectNode answer(ModelService.Tested t) {
        ObjectNode out = Json.object();
        out.put("ok", t.ok());
        out.put("latency_ms", t.latencyMillis());
        out.set("deployment", DeploymentProbe.describe(t.deployment()));
        if (!t.ok()) {
            ObjectNode e = out.putObject("error");
            if (t.failure().status() != null) {
                e.put("status", t.failure().status());
                e.put("type", t.failure().type());
            }
            e.put("message", t.failure().message());
        }
        return out;
    }
}
