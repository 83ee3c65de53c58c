package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI embeddings through InvokeModel. Titan text embeddings take one text per call ({@code {inputText,
 * dimensions}}), so a batch is one call per input; Cohere embed takes the batch ({@code {texts, input_type}}).
 */
final class BedrockEmbeddings {
    /** Inputs one request may embed (Cohere's own limit per call is 96). */
    static final int MAX_INPUTS = 96;

    private BedrockEmbeddings() {}

    static boolean isCohere(String modelId) {
        return modelId.contains("cohere.embed");
    }

    static List<String> inputs(ObjectNode body) {
        JsonNode input = body.get("input");
        List<String> out = new ArrayList<>();
        if (input != null && input.isTextual()) out.add(input.asText());
        else if (input != null && input.isArray()) {
            for (JsonNode n : input) {
                if (!n.isTextual()) throw GatewayException.badRequest("Bedrock embeddings take text inputs (strings).", "input");
                out.add(n.asText());
            }
        }
        if (out.isEmpty()) throw GatewayException.badRequest("input must be a string or a non-empty array of strings.", "input");
        if (out.size() > MAX_INPUTS) throw GatewayException.badRequest("At most " + MAX_INPUTS + " inputs per request.", "input");
        return out;
    }

    static ObjectNode titanBody(String text, ObjectNode request) {
        ObjectNode b = Json.object();
        b.put("inputText", text);
        if (request.path("dimensions").canConvertToInt()) b.put("dimensions", request.get("dimensions").asInt());
        return b;
    }

    static ObjectNode cohereBody(List<String> texts, ObjectNode request) {
        ObjectNode b = Json.object();
        ArrayNode t = b.putArray("texts");
        texts.forEach(t::add);
        b.put("input_type", request.path("input_type").asText("search_document"));
        return b;
    }

    /** One OpenAI list from the vectors in order, with the token count the answers gave. */
    static ObjectNode list(List<JsonNode> vectors, long promptTokens, String model) {
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            e.set("embedding", vectors.get(i));
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return out;
    }
}
