package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /routes} (admin only): the route table in LiteLLM's shape, {@code {"routes": [{"path", "methods", "name",
 * "endpoint"}]}}. LiteLLM's {@code name} and {@code endpoint} are its Python handler; here both are the route's own
 * name, made from its path ({@code /chat/completions} → {@code chat_completions}).
 */
public final class RouteListHandler {
    private final RequestPipeline pipeline;
    private final Routes routes;

    private RouteListHandler(RequestPipeline pipeline, Routes routes) {
        this.pipeline = pipeline;
        this.routes = routes;
    }

    /** Adds {@code GET /routes}, which lists the table as it is when asked (so routes added later are listed too). */
    public static void register(Routes routes, RequestPipeline pipeline) {
        routes.add(HttpMethod.GET, "/routes", new RouteListHandler(pipeline, routes)::handle);
    }

    private void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticateAdmin(ctx);
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("routes");
            for (Routes.Entry e : routes.entries()) {
                ObjectNode r = list.addObject();
                r.put("path", e.path());
                ArrayNode methods = r.putArray("methods");
                e.methods().forEach(methods::add);
                String name = name(e.path());
                r.put("name", name);
                r.put("endpoint", name);
            }
            Responses.json(ctx, 200, out);
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    static String name(String path) {
        String n = path.replace("{param}", "").replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return n.isEmpty() ? "root" : n;
    }
}
