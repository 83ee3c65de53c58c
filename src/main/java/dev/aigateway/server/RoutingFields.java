package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;

import java.util.ArrayList;
import java.util.List;

/**
 * The routing fields LiteLLM accepts in a request body ({@code fallbacks}, {@code num_retries}). They are
 * the gateway's, not the provider's: taken out of the body so no provider sees (and rejects) them.
 */
public record RoutingFields(List<String> fallbacks, int numRetries) {
    /** Fallback groups a request may name; each may cost a round of attempts. */
    public static final int MAX_FALLBACKS = 32;
    /** {@code num_retries}, as router_settings bounds it. */
    public static final int MAX_RETRIES = 10;

    /**
     * Copies the routing fields from a client's body to the body a translation made of it (an API whose
     * translator knows only its provider's fields would drop them, and with them the client's fallbacks).
     */
    public static ObjectNode carry(ObjectNode from, ObjectNode to) {
        for (String f : new String[] {"fallbacks", "num_retries"}) {
            JsonNode v = from.get(f);
            if (v != null) to.set(f, v);
        }
        return to;
    }

    static RoutingFields take(ObjectNode body, int defaultRetries) {
        JsonNode f = body.remove("fallbacks");
        JsonNode n = body.remove("num_retries");
        List<String> fallbacks = new ArrayList<>();
        if (f != null && !f.isNull()) {
            if (!f.isArray()) throw GatewayException.badRequest("Invalid type for 'fallbacks': expected an array of model names.", "fallbacks");
            RequestFields.maxItems(f, "fallbacks", MAX_FALLBACKS);
            for (JsonNode m : f) {
                if (m.isTextual()) fallbacks.add(m.asText());
                else if (m.isObject() && m.path("model").isTextual()) fallbacks.add(m.path("model").asText());
                else throw GatewayException.badRequest("Invalid value in 'fallbacks': expected model names.", "fallbacks");
            }
        }
        int retries = defaultRetries;
        if (n != null && !n.isNull()) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > MAX_RETRIES) {
                throw GatewayException.badRequest("Invalid value for 'num_retries': expected a whole number from 0 to " + MAX_RETRIES + ".", "num_retries");
            }
            retries = n.asInt();
        }
        return new RoutingFields(fallbacks, retries);
    }
}
