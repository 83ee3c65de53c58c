package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI {@code /v1/embeddings} through Gemini's {@code batchEmbedContents}: one request per input, the
 * answers in the same order. Gemini reports no token usage for embeddings, so it is estimated (about
 * four characters a token) for spend tracking.
 */
final class GeminiEmbeddings {

    /** The upstream body and the texts it was built from (needed again to estimate usage). */
    record Batch(ObjectNode body, List<String> inputs) {}

    private GeminiEmbeddings() {}

    static Batch request(ObjectNode openAi, String model) {
        List<String> inputs = inputs(openAi.get("input"));
        String name = GeminiProvider.modelPath(model);
        JsonNode dims = openAi.get("dimensions");
        ObjectNode body = Json.object();
        ArrayNode requests = body.putArray("requests");
        for (String text : inputs) {
            ObjectNode r = requests.addObject();
            r.put("model", name);
            r.putObject("content").putArray("parts").addObject().put("text", text);
            if (dims != null && dims.isNumber()) r.put("outputDimensionality", dims.asInt());
        }
        return new Batch(body, inputs);
    }

    static ObjectNode response(JsonNode resp, Batch batch, String model) {
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        int i = 0;
        for (JsonNode e : resp.path("embeddings")) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i++);
            ArrayNode vector = item.putArray("embedding");
            for (JsonNode v : e.path("values")) vector.add(v.asDouble());
        }
        if (data.size() != batch.inputs().size()) {
            throw GatewayException.upstream(GeminiProvider.NAME + " returned " + data.size() + " embeddings for "
                    + batch.inputs().size() + " inputs.");
        }
        out.put("model", model);
        long tokens = resp.path("usageMetadata").path("promptTokenCount").asLong(-1);
        if (tokens < 0) {
            tokens = 0;
            for (String s : batch.inputs()) tokens += s.isEmpty() ? 0 : Math.max(1, (s.length() + 3) / 4);
        }
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return out;
    }

    static List<String> inputs(JsonNode input) {
        List<String> out = new ArrayList<>();
        if (input != null && input.isTextual()) {
            out.add(input.asText());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            for (JsonNode i : input) {
                if (!i.isTextual()) {
                    throw GatewayException.badRequest("gemini embeddings take text input (a string or an array of strings), not token ids.", "input");
                }
                out.add(i.asText());
            }
        } else {
            throw GatewayException.badRequest("'input' must be a string or a non-empty array of strings.", "input");
        }
        return out;
    }
}
