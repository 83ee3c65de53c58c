package dev.aigateway.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * One upstream that can serve a model name: a {@code model_list} entry of config.yaml (or a model added
 * through the admin API). Several deployments may share a {@code modelName}; the router picks among them.
 *
 * @param id           stable id (model_info.id, else derived), reported as x-gateway-model-id
 * @param modelName    the name clients ask for
 * @param provider     the provider prefix of litellm_params.model ("openai", "anthropic", ...)
 * @param model        the provider's own model name (the part after the prefix)
 * @param params       litellm_params as given, with os.environ/ references resolved
 * @param modelInfo    model_info as given (prices, context window overrides)
 */
public record Deployment(
        String id,
        String modelName,
        String provider,
        String model,
        String apiKey,
        String apiBase,
        String apiVersion,
        Duration timeout,
        Duration streamTimeout,
        double weight,
        int order,
        ObjectNode params,
        ObjectNode modelInfo,
        boolean fromConfig) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    /** A litellm_params entry as text, or null. */
    public String param(String name) {
        JsonNode n = params == null ? null : params.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A litellm_params or model_info number, or null. */
    public Long longParam(String name) {
        JsonNode n = params == null ? null : params.get(name);
        if ((n == null || n.isNull()) && modelInfo != null) n = modelInfo.get(name);
        return n == null || n.isNull() || !n.canConvertToLong() && !n.isTextual() ? null : n.asLong();
    }

    @Override
    public String toString() {
        // Never print credentials.
        return "Deployment[" + id + " " + modelName + " -> " + provider + "/" + model + "]";
    }
}
