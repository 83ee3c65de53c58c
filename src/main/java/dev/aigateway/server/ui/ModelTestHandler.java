package dev.aigateway.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.models.RuntimeModels;
import dev.aigateway.models.StoredModel;
import dev.aigateway.provider.ProviderErrors;
import dev.aigateway.provider.Providers;
import dev.aigateway.router.Router;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.admin.ModelAdminHandler;
import dev.aigateway.server.admin.ModelParamsMerge;
import dev.aigateway.server.health.DeploymentProbe;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /model/test} (admin): the UI's "Test connection". Sends one tiny request (as {@code /health} does, through
 * {@link DeploymentProbe}) to a model that need not be saved yet. The body is shaped like {@code /model/new}'s:
 * <ul>
 *   <li>{@code litellm_params} given: those parameters are tested; with the {@code model_info.id} of a database model,
 *       they are merged over its stored ones first, exactly as /model/update merges ({@link ModelParamsMerge}): an empty
 *       credential keeps the stored one, so an edit form can test without asking for the key again, but only while the
 *       endpoint stays the same; a new api_base needs the key again (400)</li>
 *   <li>only {@code model_info.id}: that deployment, as it is served now</li>
 * </ul>
 * Answers 200 with {@code ok} true or false (the provider's error, redacted and at most {@value #MAX_ERROR_CHARS}
 * characters); 400 when the parameters are invalid.
 * Nothing is stored.
 */
final class ModelTestHandler {
    /** How much of an upstream's error text a test shows. */
    static final int MAX_ERROR_CHARS = 500;
    private final RequestPipeline pipeline;
    private final DeploymentProbe probe;
    private final RuntimeModels models;
    private final Router router;

    ModelTestHandler(RequestPipeline pipeline, DeploymentProbe probe, RuntimeModels models, Router router) {
        this.pipeline = pipeline;
        this.probe = probe;
        this.models = models;
        this.router = router;
    }

    void test(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticateAdmin(ctx);
            pipeline.readJson(ctx)
                    .compose(body -> pipeline.blocking(() -> deployment(body)))
                    .compose(this::run)
                    .onSuccess(out -> Responses.json(ctx, 200, out))
                    .onFailure(t -> Responses.error(ctx, ModelAdminHandler.translate(t)));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    private Future<ObjectNode> run(Deployment d) {
        long start = System.nanoTime();
        return probe.probe(d).transform(ar -> {
            ObjectNode out = Json.object();
            out.put("ok", ar.succeeded());
            out.put("latency_ms", (System.nanoTime() - start) / 1_000_000);
            out.set("deployment", DeploymentProbe.describe(d));
            if (ar.failed()) {
                // The upstream's own words, for the admin who asked (this route is admin-only): its credentials were
                // redacted where every upstream error passes (ProviderErrors.scrub), and its length is bounded, so a
                // URL pointing at some internal service reads back no more than a line of it.
                Throwable t = ar.cause();
                ObjectNode e = out.putObject("error");
                if (t instanceof GatewayException g) {
                    e.put("status", g.status());
                    e.put("type", g.type());
                }
                e.put("message", ProviderErrors.bounded(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), MAX_ERROR_CHARS));
            }
            return Future.succeededFuture(out);
        });
    }

    /** The deployment to test (blocking: may read a stored model). */
    private Deployment deployment(ObjectNode body) {
        ObjectNode info = object(body, "model_info");
        String id = text(info.get("id"));
        JsonNode lp = body.get("litellm_params");
        if (lp == null || lp.isNull()) {
            if (id == null) throw GatewayException.badRequest("Give litellm_params to test, or the model_info.id of a model.", "litellm_params");
            return router.catalog().all().stream().filter(d -> d.id().equals(id)).findFirst()
                    .orElseThrow(() -> GatewayException.notFound("No model with id '" + id + "' on this gateway (GET /model/info lists them)."));
        }
        ObjectNode params = object(body, "litellm_params");
        String name = text(body.get("model_name"));
        Optional<StoredModel> stored = id == null || models.isConfigured(id) ? Optional.empty() : models.store().byId(id);
        if (stored.isPresent()) {
            params = ModelParamsMerge.apply(stored.get().litellmParams(), params);
            if (name == null) name = stored.get().modelName();
            info = mergedInfo(stored.get().modelInfo(), info);
        }
        checkPrefix(params);
        ObjectNode cleanInfo = info.deepCopy();
        cleanInfo.remove(java.util.List.of("id", "db_model"));
        Instant now = Instant.now();
        StoredModel m = new StoredModel("connection-test", name == null ? "connection-test" : name, params, cleanInfo, now, now);
        return models.toDeployment(m, "");
    }

    private static ObjectNode mergedInfo(ObjectNode stored, ObjectNode given) {
        ObjectNode out = stored.deepCopy();
        given.properties().forEach(e -> {
            if (!e.getValue().isNull()) out.set(e.getKey(), e.getValue());
        });
        return out;
    }

    private static void checkPrefix(ObjectNode params) {
        String model = text(params.get("model"));
        if (model == null) throw GatewayException.badRequest("litellm_params.model is required (e.g. openai/gpt-4o-mini).", "litellm_params.model");
        int slash = model.indexOf('/');
        if (slash > 0 && text(params.get("custom_llm_provider")) == null && !Providers.knownPrefixes().contains(model.substring(0, slash))) {
            throw GatewayException.badRequest("litellm_params.model: unknown provider '" + model.substring(0, slash) + "'. Known prefixes: "
                    + String.join(", ", new java.util.TreeSet<>(Providers.knownPrefixes())) + ".", "litellm_params.model");
        }
    }


    private static ObjectNode object(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return Json.object();
        if (!(v instanceof ObjectNode o)) throw GatewayException.badRequest(field + " must be a JSON object.", field);
        return o.deepCopy();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }
}
