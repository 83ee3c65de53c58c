package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.responses.ResponseStore;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * The stored responses' own routes, as OpenAI's: {@code GET /v1/responses/{id}} (the Response object as it was
 * answered), {@code DELETE /v1/responses/{id}} and {@code GET /v1/responses/{id}/input_items} (the request's input
 * items, paged). Authenticated as the LLM routes are; a response is read only with the key that created it (403
 * otherwise; the master key reads all). The database is read on a worker thread ({@link RequestPipeline#blocking}).
 * {@code POST /v1/responses} itself is another handler's.
 */
public final class StoredResponsesHandler {
    private static final String INPUT_ITEMS = "/input_items";
    private final RequestPipeline pipeline;
    private final ResponseStore store;

    public StoredResponsesHandler(RequestPipeline pipeline, ResponseStore store) {
        this.pipeline = pipeline;
        this.store = store;
    }

    /** {@code GET /responses/} + {@code rest}: {@code {id}} or {@code {id}/input_items}. */
    public void get(HttpServerRequest req, String rest) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal caller = pipeline.authenticateLlm(ctx);
            if (rest.endsWith(INPUT_ITEMS)) {
                String id = rest.substring(0, rest.length() - INPUT_ITEMS.length());
                ResponseStore.Page page = page(req.params());
                answer(ctx, () -> store.inputItems(id, caller, page));
            } else {
                answer(ctx, () -> store.get(rest, caller).response());
            }
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    /** {@code DELETE /responses/{id}}: OpenAI's {@code {"id", "object": "response", "deleted": true}}. */
    public void delete(HttpServerRequest req, String id) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal caller = pipeline.authenticateLlm(ctx);
            answer(ctx, () -> {
                store.delete(id, caller);
                ObjectNode out = Json.object();
                out.put("id", id);
                out.put("object", "response");
                out.put("deleted", true);
                return out;
            });
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    private void answer(RequestContext ctx, java.util.concurrent.Callable<ObjectNode> read) {
        pipeline.blocking(read)
                .onSuccess(body -> Responses.json(ctx, 200, body))
                .onFailure(t -> Responses.error(ctx, t));
    }

    /** OpenAI's list parameters: {@code after}, {@code before} (item ids), {@code limit} 1-100 (20), {@code order} asc|desc (desc). */
    static ResponseStore.Page page(MultiMap q) {
        int limit = ResponseStore.Page.DEFAULT_LIMIT;
        String l = q.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > ResponseStore.Page.MAX_LIMIT) {
                throw GatewayException.badRequest("limit must be a whole number from 1 to " + ResponseStore.Page.MAX_LIMIT + ".", "limit");
            }
        }
        String order = q.get("order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw GatewayException.badRequest("order must be 'asc' or 'desc'.", "order");
        }
        return new ResponseStore.Page(q.get("after"), q.get("before"), limit, "asc".equals(order));
    }
}
