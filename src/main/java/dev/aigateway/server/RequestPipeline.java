package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.error.GatewayException;
import dev.aigateway.governance.Principal;
import dev.aigateway.json.Json;
import dev.aigateway.router.Deployment;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The steps every LLM route runs, in order: {@link #begin} (request id, disconnect → cancel),
 * {@link #authenticate} (headers only: no body is read for an unknown caller), {@link #readJson}
 * (size limit, one parse), {@link #route} (model check, permission, deployment choice) and
 * {@link #callUpstream} (timed, with synchronous provider failures turned into failed futures).
 * Route handlers compose these and add only what is specific to their API.
 */
public final class RequestPipeline {
    private final Gateway gateway;

    public RequestPipeline(Gateway gateway) {
        this.gateway = gateway;
    }

    public Gateway gateway() {
        return gateway;
    }

    public RequestContext begin(HttpServerRequest req) {
        String incoming = req.getHeader("x-request-id");
        String id = incoming != null && incoming.length() <= 128 && incoming.matches("[A-Za-z0-9._:-]+") ? incoming : newId();
        RequestContext ctx = new RequestContext(req, id);
        req.connection().closeHandler(v -> ctx.cancel.cancel());
        ctx.response.closeHandler(v -> ctx.cancel.cancel());
        return ctx;
    }

    public Principal authenticate(RequestContext ctx) {
        ctx.principal = gateway.authenticator().authenticate(presentedKey(ctx.request));
        return ctx.principal;
    }

    public Future<ObjectNode> readJson(RequestContext ctx) {
        return BodyReader.read(ctx.request, gateway.config().maxRequestBytes()).map(Json::parseRequest);
    }

    /** Validates {@code model}, checks the caller may use it, and picks the deployment. */
    public Deployment route(RequestContext ctx, ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) throw GatewayException.badRequest("Missing required parameter: 'model'.", "model");
        if (!model.isTextual() || model.asText().isBlank()) throw GatewayException.badRequest("'model' must be a non-empty string.", "model");
        ctx.modelName = model.asText();
        if (!gateway.router().catalog().contains(ctx.modelName)) throw GatewayException.modelNotFound(ctx.modelName);
        if (!ctx.principal.allowsModel(ctx.modelName)) {
            throw GatewayException.permission("This key is not allowed to use the model `" + ctx.modelName + "`.");
        }
        ctx.deployment = gateway.router().pick(ctx.modelName);
        return ctx.deployment;
    }

    /** Calls a provider, timing the wait and turning a synchronous throw into a failed future. */
    public <T> Future<T> callUpstream(RequestContext ctx, Supplier<Future<T>> call) {
        ctx.upstreamStarted();
        Future<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.andThen(ar -> ctx.upstreamAnswered());
    }

    /** The caller's key: Authorization Bearer, or x-api-key (Anthropic clients), or api-key (Azure clients). */
    static String presentedKey(HttpServerRequest req) {
        String auth = req.getHeader("authorization");
        if (auth != null) {
            String a = auth.strip();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) return a.substring(7).strip();
            return a;
        }
        String k = req.getHeader("x-api-key");
        if (k == null) k = req.getHeader("api-key");
        return k == null ? null : k.strip();
    }

    private static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "req-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE).substring(0, 8);
    }
}
