package dev.aigateway.server.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.router.ModelCatalog;
import dev.aigateway.router.Router;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.http.HttpServerRequest;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the model names this caller may use. */
public final class ModelsHandler {
    private final RequestPipeline pipeline;
    private final Router router;
    /** Each model's {@code created}: when this gateway started. */
    private final long createdSeconds;

    public ModelsHandler(RequestPipeline pipeline, Router router, long startedAtMillis) {
        this.pipeline = pipeline;
        this.router = router;
        this.createdSeconds = startedAtMillis / 1000;
    }

    public void list(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticate(ctx);
            ObjectNode out = Json.object();
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            ModelCatalog catalog = router.catalog();
            for (String name : catalog.modelNames()) {
                if (ctx.principal().allowsModel(name)) data.add(model(name));
            }
            Responses.json(ctx, 200, out);
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    public void get(HttpServerRequest req, String id) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticate(ctx);
            if (!router.catalog().contains(id) || !ctx.principal().allowsModel(id)) {
                throw GatewayException.modelNotFound(id);
            }
            Responses.json(ctx, 200, model(id));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    private ObjectNode model(String name) {
        ObjectNode m = Json.object();
        m.put("id", name);
        m.put("object", "model");
        m.put("created", createdSeconds);
        m.put("owned_by", "ai-gateway");
        return m;
    }
}
