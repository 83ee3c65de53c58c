package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.error.GatewayException;

import java.util.ArrayList;
import java.util.List;

/**
 * The routing fields LiteLLM accepts in a request body ({@code fallbacks}, {@code num_retries}). They are
 * the gateway's, not the provider's: taken out of the body so no provider sees (and rejects) them.
 */
public record RoutingFields(List<String> fallbacks, int numRetries) {

    static RoutingFields take(ObjectNode body, int defaultRetries) {
        JsonNode f = body.remove("fallbacks");
        JsonNode n = body.remove("num_retries");
        List<String> fallbacks = new ArrayList<>();
        if (f != null && !f.isNull()) {
            if (!f.isArray()) throw GatewayException.badRequest("Invalid type for 'fallbacks': expected an array of model names.", "fallbacks");
            for (JsonNode m : f) {
                if (m.isTextual()) fallbacks.add(m.asText());
                else if (m.isObject() && m.path("model").isTextual()) fallbacks.add(m.path("model").asText());
                else throw GatewayException.badRequest("Invalid value in 'fallbacks': expected model names.", "fallbacks");
            }
        }
        int retries = defaultRetries;
        if (n != null && !n.isNull()) {
            if (!n.isIntegralNumber() || n.asInt() < 0 || n.asInt() > 10) {
                throw GatewayException.badRequest("Invalid value for 'num_retries': expected a whole number from 0 to 10.", "num_retries");
            }
            retries = n.asInt();
        }
        return new RoutingFields(fallbacks, retries);
    }
}
