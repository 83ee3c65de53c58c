package dev.aigateway.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderErrors;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Cohere, for its rerank models ({@code cohere/rerank-v3.5}): {@code POST {api_base}/v2/rerank} with a bearer key. The
 * gateway's rerank request is Cohere's own shape, so it goes as it is with the deployment's model; Cohere's answer
 * comes back as it is. Chat and embeddings are not served through this prefix.
 */
public final class CohereProvider implements Provider {
    public static final String DEFAULT_BASE = "https://api.cohere.com";
    /** The request fields Cohere's v2 rerank takes; others (LiteLLM's {@code return_documents}) are the gateway's. */
    private static final java.util.List<String> FIELDS = java.util.List.of("query", "documents", "top_n", "max_tokens_per_doc");

    private final Upstream upstream;

    public CohereProvider(Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return "cohere";
    }

    @Override
    public Future<ObjectNode> rerank(ProviderRequest request) {
        try {
            ObjectNode body = Json.object().put("model", request.deployment().model());
            for (String f : FIELDS) {
                if (request.body().hasNonNull(f)) body.set(f, request.body().get(f));
            }
            HttpCall call = authorized(HttpCall.postJson(base(request.deployment()) + "/v2/rerank", Json.toBuffer(body)), request.deployment());
            return upstream.send(call, request, this::mapError).map(r -> {
                JsonNode n = Json.tryParse(r.body());
                if (n instanceof ObjectNode o) return o;
                throw GatewayException.upstream("cohere returned a body that is not a JSON object.");
            });
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        return unsupported("chat completions (only rerank is served for cohere/ models)");
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        return unsupported("chat completions (only rerank is served for cohere/ models)");
    }

    /** {@code GET {base}/v1/models}: free, refused with a 401 when the key is wrong. */
    @Override
    public HttpCall probe(Deployment d) {
        return authorized(HttpCall.get(base(d) + "/v1/models"), d);
    }

    private static String base(Deployment d) {
        String b = d.apiBase() != null && !d.apiBase().isBlank() ? d.apiBase().strip() : DEFAULT_BASE;
        while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        return b;
    }

    private static HttpCall authorized(HttpCall call, Deployment d) {
        if (d.apiKey() != null && !d.apiKey().isEmpty()) call.header("authorization", "Bearer " + d.apiKey());
        return call;
    }

    /** Cohere's errors are {@code {"message": ...}}. */
    private GatewayException mapError(int status, MultiMap headers, Buffer body) {
        JsonNode json = Json.tryParse(body);
        String message = json != null && json.hasNonNull("message") ? json.get("message").asText() : body.toString();
        return ProviderErrors.map(name(), status, message, null, headers);
    }
}
