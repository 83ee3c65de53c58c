package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Google's Gemini API (Generative Language API, AI Studio keys). {@code api_base} is the host, as in
 * LiteLLM; the key travels in {@code x-goog-api-key}, never in the URL (URLs end up in logs).
 */
public final class GeminiProvider implements Provider {
    public static final String DEFAULT_BASE = "https://generativelanguage.googleapis.com";
    static final String NAME = "gemini";
    private static final String API_VERSION = "v1beta";

    private final Upstream upstream;
    private final GeminiErrors errors = new GeminiErrors(NAME);

    public GeminiProvider(Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code thinking}: its translation turns the budget into thinkingConfig. */
    @Override
    public boolean readsThinking() {
        return true;
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        Deployment d = request.deployment();
        ObjectNode body;
        try {
            body = GeminiRequestTranslator.translate(request.body(), d);
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return upstream.send(call(d, "generateContent", body), request, errors::map)
                .map(r -> GeminiResponseTranslator.toCompletion(parseObject(r.body()), d.model()));
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        Deployment d = request.deployment();
        ObjectNode body;
        try {
            body = GeminiRequestTranslator.translate(request.body(), d);
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        // Without alt=sse Gemini streams one big JSON array instead of SSE events.
        HttpCall call = call(d, "streamGenerateContent?alt=sse", body).header("accept", "text/event-stream");
        return upstream.stream(call, request, errors::map, new GeminiStreamDecoder(d.model(), errors), sink);
    }

    @Override
    public Future<ObjectNode> embeddings(ProviderRequest request) {
        Deployment d = request.deployment();
        GeminiEmbeddings.Batch batch;
        try {
            batch = GeminiEmbeddings.request(request.body(), d.model());
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return upstream.send(call(d, "batchEmbedContents", batch.body()), request, errors::map)
                .map(r -> GeminiEmbeddings.response(parseObject(r.body()), batch, d.model()));
    }

    /** {@code {base}/v1beta/models/{model}:{method}} with the key header. */
    private static HttpCall call(Deployment d, String method, ObjectNode body) {
        return authorized(HttpCall.postJson(baseOf(d) + "/" + modelPath(d.model()) + ":" + method, Json.toBuffer(body)), d);
    }

    /** {@code GET {base}/v1beta/models} with the key header (a wrong key is Gemini's 400 API_KEY_INVALID). */
    @Override
    public HttpCall probe(Deployment d) {
        return authorized(HttpCall.get(baseOf(d) + "/models"), d);
    }

    private static HttpCall authorized(HttpCall call, Deployment d) {
        if (d.apiKey() != null && !d.apiKey().isEmpty()) call.header("x-goog-api-key", d.apiKey());
        return call;
    }

    /** The host plus API version; a base that already names a version is taken as it is. */
    static String baseOf(Deployment d) {
        String base = d.apiBase() == null || d.apiBase().isBlank() ? DEFAULT_BASE : d.apiBase().strip();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        if (base.endsWith("/v1beta") || base.endsWith("/v1") || base.endsWith("/v1alpha")) return base;
        return base + "/" + API_VERSION;
    }

    /** "models/x" for base models; tuned models keep their own collection ("tunedModels/x"). */
    static String modelPath(String model) {
        if (model.startsWith("models/") || model.startsWith("tunedModels/")) return model;
        return "models/" + model;
    }

    private static ObjectNode parseObject(Buffer body) {
        JsonNode n = Json.tryParse(body);
        if (n instanceof ObjectNode o) return o;
        throw GatewayException.upstream(NAME + " returned a body that is not a JSON object.");
    }
}
