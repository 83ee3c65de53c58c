package dev.aigateway.server.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.provider.Provider;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;
import dev.aigateway.server.RequestContext;

/**
 * {@code POST /v1/rerank} ({@code /rerank}, {@code /v2/rerank}) in Cohere's shape, as LiteLLM serves it: {@code query},
 * {@code documents}, {@code top_n}, {@code return_documents} in; {@code id}, {@code results} ({@code index},
 * {@code relevance_score}, and {@code document} unless {@code return_documents} is false) and {@code meta} out, whatever
 * the provider's own answer looked like. Billed per search unit ({@code input_cost_per_query}, one per query unless the
 * provider counts more) and per token when the provider reports tokens (Jina).
 */
public final class RerankHandler {
    public static final LlmRoute ROUTE = new LlmRoute("rerank", RerankRequestValidator::validate, Provider::rerank,
            RerankHandler::answer, null, ErrorShape.OPENAI).metered(RerankHandler::usage);

    private RerankHandler() {}

    static JsonNode usage(ObjectNode request, ObjectNode result) {
        ObjectNode usage = Json.object();
        JsonNode answer = result == null ? Json.object() : result; // asked before the answer: one query
        long tokens = answer.path("usage").path("total_tokens").asLong(0);
        if (tokens > 0) usage.put("prompt_tokens", tokens).put("total_tokens", tokens);
        long units = answer.path("meta").path("billed_units").path("search_units").asLong(1);
        // the provider's count of search units (Cohere: one per 100 documents), bounded by what the request could cost
        usage.putObject(Pricing.BILLED_UNITS).put("queries", Math.max(1, Math.min(units, RerankRequestValidator.MAX_DOCUMENTS)));
        return usage;
    }

    private static ObjectNode answer(RequestContext ctx, ObjectNode request, ObjectNode result) {
        JsonNode documents = request.get("documents");
        boolean withDocuments = request.path("return_documents").asBoolean(true);
        ObjectNode out = Json.object();
        out.put("id", result.hasNonNull("id") ? result.get("id").asText() : ctx.requestId());
        ArrayNode results = out.putArray("results");
        for (JsonNode r : result.path("results")) {
            int index = r.path("index").asInt(-1);
            ObjectNode o = results.addObject().put("index", index);
            o.set("relevance_score", r.path("relevance_score"));
            if (!withDocuments) continue;
            if (r.get("document") instanceof ObjectNode d) o.set("document", d);
            else if (index >= 0 && index < documents.size()) o.putObject("document").put("text", documents.get(index).asText());
        }
        JsonNode meta = result.get("meta");
        if (meta instanceof ObjectNode m) out.set("meta", m);
        else out.putObject("meta").putObject("billed_units").put("search_units", 1);
        return out;
    }
}
