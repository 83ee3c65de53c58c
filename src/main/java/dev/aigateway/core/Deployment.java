package dev.aigateway.core;

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
 * @param params       litellm_params as given, with os.environ/ references resolved: for the provider, never shown
 * @param modelInfo    model_info as given (prices, context window overrides)
 * @param shownParams  litellm_params as they may be shown (admin API, UI, metrics, health): as written, so references
 *                     stay references, without credentials, api_base masked ({@link SecretParams#shown})
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
        boolean fromConfig,
        ObjectNode shownParams) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    /** A deployment whose parameters hold no os.environ/ reference (tests, benchmarks): shown as its params, masked. */
    public Deployment(String id, String modelName, String provider, String model, String apiKey, String apiBase, String apiVersion,
                      Duration timeout, Duration streamTimeout, double weight, int order, ObjectNode params, ObjectNode modelInfo,
                      boolean fromConfig) {
        this(id, modelName, provider, model, apiKey, apiBase, apiVersion, timeout, streamTimeout, weight, order, params, modelInfo,
                fromConfig, params == null ? null : SecretParams.shown(params));
    }

    /** The same deployment under another id. */
    public Deployment withId(String newId) {
        return new Deployment(newId, modelName, provider, model, apiKey, apiBase, apiVersion, timeout, streamTimeout, weight, order,
                params, modelInfo, fromConfig, shownParams);
    }

    /**
     * Whether this is a wildcard entry ({@code model_name: "anthropic/*"}): it serves every name its pattern matches,
     * each through a {@link #serving concrete copy}, and is never called as it is.
     */
    public boolean wildcard() {
        return modelName.indexOf('*') >= 0;
    }

    /**
     * The concrete deployment a wildcard entry becomes for one requested name: the same id (so the entry's rpm/tpm,
     * cooldowns and health apply to every name it serves), the requested name as its model name, and the upstream
     * model filled in, which the provider sends and pricing looks up.
     */
    public Deployment serving(String requestedName, String upstreamModel) {
        return new Deployment(id, requestedName, provider, upstreamModel, apiKey, apiBase, apiVersion, timeout, streamTimeout, weight,
                order, params, modelInfo, fromConfig, shownParams);
    }

    /** The same deployment with another timeout. */
    public Deployment withTimeout(Duration newTimeout) {
        return new Deployment(id, modelName, provider, model, apiKey, apiBase, apiVersion, newTimeout, streamTimeout, weight, order,
                params, modelInfo, fromConfig, shownParams);
    }

    /** The timeout a call waits for an answer: {@code timeout}, else {@link #DEFAULT_TIMEOUT}. */
    public Duration effectiveTimeout() {
        return timeout != null ? timeout : DEFAULT_TIMEOUT;
    }

    /**
     * The same deployment with its timeouts cut to at most {@code max} (a request's own {@code timeout}); itself when
     * they are within it already. A request can shorten its deployment's timeouts, never lengthen them.
     */
    public Deployment withTimeoutsAtMost(Duration max) {
        boolean streamLonger = streamTimeout != null && streamTimeout.compareTo(max) > 0;
        if (effectiveTimeout().compareTo(max) <= 0 && !streamLonger) return this;
        Duration t = effectiveTimeout().compareTo(max) > 0 ? max : timeout;
        return new Deployment(id, modelName, provider, model, apiKey, apiBase, apiVersion, t, streamLonger ? max : streamTimeout, weight,
                order, params, modelInfo, fromConfig, shownParams);
    }

    /**
     * api_base as a response header may name it (LiteLLM's {@code x-litellm-model-api-base}): the URL without its user
     * info, query string or fragment, where credentials can be written; null when the deployment sets none.
     */
    public String apiBaseWithoutCredentials() {
        return UrlCredentials.withoutCredentials(apiBase);
    }

    /** api_base as it may be shown: the os.environ/ reference it was written as, or the URL with its credentials masked. */
    public String shownApiBase() {
        JsonNode n = shownParams == null ? null : shownParams.get(SecretParams.API_BASE);
        if (n != null && !n.isNull()) return n.asText();
        return UrlCredentials.masked(apiBase);
    }

    /** {@code provider/model} as it may be shown: an os.environ/ reference stays the reference it was written as. */
    public String shownModel() {
        JsonNode n = shownParams == null ? null : shownParams.get("model");
        if (n != null && n.isTextual() && n.asText().startsWith("os.environ/")) return n.asText();
        return provider + "/" + model;
    }

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
