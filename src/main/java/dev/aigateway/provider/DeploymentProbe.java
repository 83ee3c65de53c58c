package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import io.vertx.core.Future;

import java.time.Duration;

/**
 * Asks one deployment whether it works: the cheapest real call it has (a one-token chat; an embedding of
 * "ping" for embedding models), bounded to 30 s. Used by {@code /health}, the background health checks and
 * {@code /model/test}.
 */
public final class DeploymentProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Providers providers;

    public DeploymentProbe(Providers providers) {
        this.providers = providers;
    }

    /** Succeeds with a description of the deployment, or fails with the provider's error. */
    public Future<ObjectNode> probe(Deployment d) {
        if (d.wildcard()) {
            // A wildcard entry has no model of its own to call: LiteLLM's model_info.health_check_model names one.
            String model = d.modelInfo() == null ? null : d.modelInfo().path("health_check_model").asText(null);
            if (model == null || model.isBlank() || model.indexOf('*') >= 0) {
                return Future.succeededFuture(describe(d).put("health_check", "skipped: a wildcard entry; set model_info.health_check_model to check it"));
            }
            String upstream = model.startsWith(d.provider() + "/") ? model.substring(d.provider().length() + 1) : model;
            return probe(d.serving(model, upstream)).map(r -> describe(d));
        }
        Provider p = providers.get(d.provider());
        Deployment bounded = d.withTimeout(d.timeout() == null || d.timeout().compareTo(TIMEOUT) > 0 ? TIMEOUT : d.timeout());
        ObjectNode body = Json.object();
        body.put("model", d.modelName());
        boolean embedding = "embedding".equals(d.modelInfo() == null ? null : d.modelInfo().path("mode").asText(null));
        try {
            Future<ObjectNode> call;
            if (embedding) {
                body.put("input", "ping");
                call = p.embeddings(new ProviderRequest(bounded, body, new Cancellation()));
            } else {
                body.putArray("messages").addObject().put("role", "user").put("content", "ping");
                body.put("max_tokens", 1);
                call = p.chat(new ProviderRequest(bounded, body, new Cancellation()));
            }
            return call.map(r -> describe(d));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    public static ObjectNode describe(Deployment d) {
        ObjectNode o = Json.object();
        o.put("model", d.shownModel());
        o.put("model_name", d.modelName());
        o.put("model_id", d.id());
        if (d.apiBase() != null) o.put("api_base", d.shownApiBase());
        return o;
    }
}
