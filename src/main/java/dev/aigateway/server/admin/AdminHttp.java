package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.AdminFields;
import dev.aigateway.governance.Principal;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The plumbing every admin handler shares: authenticate, read the JSON body or the query, run the work (on a worker
 * thread, by the handler's choice), answer with its JSON or the error. Field readers for bodies and query parameters
 * with clear 400s.
 */
final class AdminHttp {
    private final RequestPipeline pipeline;

    AdminHttp(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    RequestPipeline pipeline() {
        return pipeline;
    }

    /** A route any key may call, with a JSON body (an empty body counts as {}): {@code op} decides who may do what. */
    void withBody(HttpServerRequest req, BiFunction<Principal, ObjectNode, Future<? extends JsonNode>> op) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal p = pipeline.authenticate(ctx);
            respond(ctx, pipeline.readJsonOrEmpty(ctx, Long.MAX_VALUE).compose(body -> op.apply(p, body)));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    /** A route any key may call, answering from the query string: {@code op} decides who may read what. */
    void withQuery(HttpServerRequest req, BiFunction<Principal, HttpServerRequest, Future<? extends JsonNode>> op) {
        RequestContext ctx = pipeline.begin(req);
        try {
            respond(ctx, op.apply(pipeline.authenticate(ctx), req));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    static void respond(RequestContext ctx, Future<? extends JsonNode> result) {
        result.onComplete(ar -> {
            if (ar.succeeded()) Responses.send(ctx, 200, "application/json", Json.toBuffer(ar.result()));
            else Responses.error(ctx, ar.cause());
        });
    }

    // --- fields

    /** A required id or name field of a body. */
    static String requiredName(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw GatewayException.badRequest("'" + field + "' is required.", field);
        return AdminFields.name(n, field);
    }

    /** An optional id or name field of a body, or null. */
    static String optionalName(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : AdminFields.name(n, field);
    }

    /** A list of non-empty strings (at most {@link AdminFields#MAX_LIST}); empty when absent. */
    static List<String> stringList(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return new ArrayList<>();
        List<String> out = new ArrayList<>(AdminFields.strings(n, field));
        for (String s : out) {
            if (s.length() > AdminFields.MAX_NAME) throw GatewayException.badRequest("'" + field + "' has an entry longer than " + AdminFields.MAX_NAME + " characters.", field);
        }
        return out;
    }

    /** A required query parameter naming an id. */
    static String requiredParam(HttpServerRequest req, String name) {
        String v = blankToNull(req.getParam(name));
        if (v == null) throw GatewayException.badRequest("'" + name + "' is required: " + req.path() + "?" + name + "=...", name);
        if (v.length() > AdminFields.MAX_NAME) throw GatewayException.badRequest("'" + name + "' is longer than " + AdminFields.MAX_NAME + " characters.", name);
        return v;
    }

    static int intParam(HttpServerRequest req, String name, int dflt, int min, int max) {
        String v = req.getParam(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            int i = Integer.parseInt(v.strip());
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw GatewayException.badRequest("'" + name + "' must be a whole number from " + min + " to " + max + ", not '"
                    + AdminFields.abbreviate(v) + "'.", name);
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
