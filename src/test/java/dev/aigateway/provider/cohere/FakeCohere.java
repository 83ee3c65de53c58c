package dev.aigateway.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cohere's v2 rerank API as an in-process server: {@code POST /v2/rerank} with {@code Authorization: Bearer}, a body of
 * {@code model}, {@code query}, {@code documents} (strings only, as v2 takes them), {@code top_n},
 * {@code max_tokens_per_doc}; any other field is refused with a 400, as Cohere refuses unknown fields. Answers
 * {@code id}, {@code results} ({@code index}, {@code relevance_score}, best first) and {@code meta.billed_units.search_units}
 * (one per 100 documents). Errors are Cohere's {@code {"message": ...}}.
 */
public final class FakeCohere extends FakeUpstream {
    private static final Set<String> FIELDS = Set.of("model", "query", "documents", "top_n", "max_tokens_per_doc");
    private final String expectedKey;

    public FakeCohere(String expectedKey) {
        this.expectedKey = expectedKey;
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded recorded, Scenario scenario) {
        if (!"POST".equals(recorded.method()) || !"/v2/rerank".equals(recorded.path())) {
            send(req, 404, Json.object().put("message", "404 page not found"));
            return;
        }
        if (!("Bearer " + expectedKey).equals(req.getHeader("authorization"))) {
            send(req, 401, Json.object().put("message", "invalid api token"));
            return;
        }
        if (scenario instanceof Scenario.Error e) {
            send(req, e.status(), Json.object().put("message", "fake error " + e.status()));
            return;
        }
        JsonNode parsed = Json.tryParse(recorded.body().getBytes());
        if (!(parsed instanceof ObjectNode body)) {
            send(req, 400, Json.object().put("message", "invalid request: could not parse JSON"));
            return;
        }
        for (String f : (Iterable<String>) body::fieldNames) {
            if (!FIELDS.contains(f)) {
                send(req, 400, Json.object().put("message", "invalid request: unknown field '" + f + "'"));
                return;
            }
        }
        if (!body.path("query").isTextual() || !body.path("documents").isArray()) {
            send(req, 400, Json.object().put("message", "invalid request: query and documents are required"));
            return;
        }
        String query = body.get("query").asText();
        List<ObjectNode> results = new ArrayList<>();
        int i = 0;
        for (JsonNode d : body.get("documents")) {
            if (!d.isTextual()) {
                send(req, 400, Json.object().put("message", "invalid request: documents must be strings"));
                return;
            }
            double score = d.asText().toLowerCase().contains(query.toLowerCase()) ? 0.95 - i * 0.01 : 0.05 / (i + 1);
            results.add(Json.object().put("index", i++).put("relevance_score", score));
        }
        results.sort((a, b) -> Double.compare(b.get("relevance_score").asDouble(), a.get("relevance_score").asDouble()));
        ObjectNode r = Json.object().put("id", "07734bd2-2473-4f07-94e1-0d9f0e6843cf");
        ArrayNode arr = r.putArray("results");
        results.stream().limit(body.path("top_n").asInt(results.size())).forEach(arr::add);
        ObjectNode meta = r.putObject("meta");
        meta.putObject("api_version").put("version", "2");
        meta.putObject("billed_units").put("search_units", (results.size() + 99) / 100);
        send(req, 200, r);
    }

    private static void send(HttpServerRequest req, int status, ObjectNode body) {
        req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }
}
