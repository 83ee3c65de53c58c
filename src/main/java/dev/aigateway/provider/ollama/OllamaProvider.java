package dev.aigateway.provider.ollama;

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

import java.util.function.Supplier;

/**
 * Ollama's native API ({@code ollama/} prefix): {@code POST {api_base}/api/chat} (NDJSON when streamed) and
 * {@code POST {api_base}/api/embed}. The base is the host, e.g. {@code http://localhost:11434}; Ollama's
 * OpenAI-compatible {@code /v1} is served by the openai provider instead. Ollama itself has no auth, but a
 * key (for a reverse proxy or ollama.com) is sent as a bearer token when configured.
 */
public final class OllamaProvider implements Provider {
    public static final String DEFAULT_BASE = "http://localhost:11434";

    private final Upstream upstream;

    public OllamaProvider(Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        return guarded(() -> {
            Deployment d = request.deployment();
            ObjectNode body = OllamaRequestTranslator.chat(request.body(), d, false);
            return upstream.send(call(d, "/api/chat", body), request, OllamaErrors::map)
                    .map(r -> OllamaResponseTranslator.completion(parseObject(r.body()), d.model()));
        });
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        return guarded(() -> {
            Deployment d = request.deployment();
            ObjectNode body = OllamaRequestTranslator.chat(request.body(), d, true);
            return upstream.stream(call(d, "/api/chat", body), request, OllamaErrors::map,
                    new OllamaStreamDecoder(d.model()), sink);
        });
    }

    @Override
    public Future<ObjectNode> embeddings(ProviderRequest request) {
        return guarded(() -> {
            Deployment d = request.deployment();
            ObjectNode body = OllamaRequestTranslator.embed(request.body(), d.model());
            return upstream.send(call(d, "/api/embed", body), request, OllamaErrors::map)
                    .map(r -> OllamaResponseTranslator.embeddings(parseObject(r.body()), d.model()));
        });
    }

    private static HttpCall call(Deployment d, String path, ObjectNode body) {
        String base = d.apiBase() != null && !d.apiBase().isBlank() ? d.apiBase() : DEFAULT_BASE;
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        HttpCall call = HttpCall.postJson(base + path, Json.toBuffer(body));
        // NDJSON is what /api/chat streams; Ollama ignores Accept, but proxies in front of it may not.
        if (body.path("stream").asBoolean(false)) call.header("accept", "application/x-ndjson");
        return authorized(call, d);
    }

    /** {@code GET {base}/api/tags}: the local models; answers without a key unless a proxy in front asks for one. */
    @Override
    public HttpCall probe(Deployment d) {
        String base = d.apiBase() != null && !d.apiBase().isBlank() ? d.apiBase().strip() : DEFAULT_BASE;
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return authorized(HttpCall.get(base + "/api/tags"), d);
    }

    @Override
    public boolean usesApiKey() {
        return false;
    }

    private static HttpCall authorized(HttpCall call, Deployment d) {
        if (d.apiKey() != null && !d.apiKey().isEmpty()) call.header("authorization", "Bearer " + d.apiKey());
        return call;
    }

    private static ObjectNode parseObject(Buffer body) {
        JsonNode n = Json.tryParse(body);
        if (n instanceof ObjectNode o) return o;
        throw GatewayException.upstream("ollama returned a body that is not a JSON object.");
    }

    /** Request translation rejects some inputs (e.g. http image URLs); those become failed futures, not throws. */
    private static <T> Future<T> guarded(Supplier<Future<T>> work) {
        try {
            return work.get();
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
    }
}
