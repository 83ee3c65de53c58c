package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.pricing.PriceTable;
import io.vertx.core.Future;

import java.time.Duration;

/**
 * Asks one deployment whether it works: the cheapest real call it has (a one-token chat; an embedding of
 * "ping" for embedding and moderation models, a one-document rerank for rerank models; image and audio models are
 * not called), bounded to 30 s. Used by {@code /health}, the background health checks and
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
        String mode = mode(d);
        try {
            Future<ObjectNode> call;
            ProviderRequest request = new ProviderRequest(bounded, body, new Cancellation());
            switch (mode) {
                case "embedding", "moderation" -> {
                    body.put("input", "ping");
                    call = mode.equals("embedding") ? p.embeddings(request) : p.moderation(request);
                }
                case "rerank" -> {
                    body.put("query", "ping").putArray("documents").add("ping");
                    call = p.rerank(request);
                }
                case "image_generation", "audio_transcription", "audio_speech" -> {
                    // no free call exists (an image or audio costs money, a transcription needs a file): not checked,
                    // and never a chat call, which such a model would refuse
                    return Future.succeededFuture(describe(d).put("health_check", "skipped: mode " + mode + " has no free check"));
                }
                default -> {
                    body.putArray("messages").addObject().put("role", "user").put("content", "ping");
                    body.put("max_tokens", 1);
                    call = p.chat(request);
                }
            }
            return call.map(r -> describe(d));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * The model's mode ({@code chat}, {@code embedding}, {@code image_generation}...): its {@code model_info.mode}, else
     * the price table's for its model, else chat.
     */
    static String mode(Deployment d) {
        String mode = d.modelInfo() == null ? null : d.modelInfo().path("mode").asText(null);
        if (mode == null) mode = PriceTable.bundled().lookup(d.provider(), d.model()).mode();
        return mode == null ? "chat" : mode;
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
