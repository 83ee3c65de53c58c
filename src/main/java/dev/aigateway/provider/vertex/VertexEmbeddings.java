package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.List;

/**
 * OpenAI {@code /v1/embeddings} through Vertex's {@code :predict} for Google's text embedding models:
 * {@code {"instances": [{"content": ...}]}} in, {@code predictions[].embeddings.values} out, the tokens from each
 * prediction's {@code statistics.token_count}.
 */
final class VertexEmbeddings {
    private VertexEmbeddings() {}

    static ObjectNode request(List<String> texts, JsonNode dimensions) {
        ObjectNode body = Json.object();
        ArrayNode instances = body.putArray("instances");
        for (String t : texts) instances.addObject().put("content", t);
        if (dimensions != null && dimensions.isNumber()) body.putObject("parameters").put("outputDimensionality", dimensions.asInt());
        return body;
    }

    static ObjectNode response(JsonNode resp, int inputs, String model) {
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens = 0;
        int i = 0;
        for (JsonNode p : resp.path("predictions")) {
            JsonNode e = p.path("embeddings");
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i++);
            ArrayNode vector = item.putArray("embedding");
            for (JsonNode v : e.path("values")) vector.add(v.asDouble());
            tokens += e.path("statistics").path("token_count").asLong(0);
        }
        if (data.size() != inputs) {
            throw GatewayException.upstream(VertexProvider.NAME + " returned " + data.size() + " embeddings for " + inputs + " inputs.");
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return out;
    }
}
