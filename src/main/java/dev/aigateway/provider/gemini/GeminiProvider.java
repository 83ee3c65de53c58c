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
import dev.aigateway.provider.http.ErrorMapper;
import dev.aigateway.provider.http.StreamDecoder;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.provider.http.UpstreamResponse;
import dev.aigateway.provider.http.WireEndpoint;
import io.vertx.core.MultiMap;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Google's Gemini API (Generative Language API, AI Studio keys). {@code api_base} is the host, as in
 * LiteLLM; the key travels in {@code x-goog-api-key}, never in the URL (URLs end up in logs).
 *
 * <p>The same translation serves Gemini hosted elsewhere (Vertex AI): that host's {@link WireEndpoint} decides the URL
 * and authorization, this class the body and the answer.
 */
public final class GeminiProvider implements Provider {
    public static final String DEFAULT_BASE = "https://generativelanguage.googleapis.com";
    static final String NAME = "gemini";
    /** The calls' names given to the endpoint (Google's method names). */
    public static final String GENERATE = "generateContent", STREAM = "streamGenerateContent";
    private static final String API_VERSION = "v1beta";

    private final String name;
    private final WireEndpoint endpoint;
    private final GeminiErrors errors;

    public GeminiProvider(Upstream upstream) {
        this(NAME, new GeminiApi(upstream));
    }

    /** Gemini behind another host's endpoint, reported under that provider's name. */
    public GeminiProvider(String name, WireEndpoint endpoint) {
        this.name = name;
        this.endpoint = endpoint;
        this.errors = new GeminiErrors(name);
    }

    /** Google's error body mapping, for a host that answers in it too. */
    public static ErrorMapper errorMapper(String provider) {
        return new GeminiErrors(provider)::map;
    }

    /** An embeddings request's texts ({@code input}: a string or strings), checked as this translation checks them. */
    public static java.util.List<String> embeddingTexts(ObjectNode openAi) {
        return GeminiEmbeddings.inputs(openAi.get("input"));
    }

    @Override
    public String name() {
        return name;
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
        return endpoint.send(request, GENERATE, body, NO_HEADERS, errors::map)
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
        return endpoint.stream(request, STREAM, body, NO_HEADERS, errors::map, new GeminiStreamDecoder(d.model(), errors), sink);
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
        return endpoint.send(request, "batchEmbedContents", batch.body(), NO_HEADERS, errors::map)
                .map(r -> GeminiEmbeddings.response(parseObject(r.body()), batch, d.model()));
    }

    private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

    /** The Generative Language API: {@code {base}/v1beta/models/{model}:{method}} with the key header. */
    private record GeminiApi(Upstream upstream) implements WireEndpoint {
        @Override
        public Future<UpstreamResponse> send(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors) {
            return upstream.send(call(request.deployment(), method, body), request, errors);
        }

        @Override
        public Future<Void> stream(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors,
                                   StreamDecoder decoder, ChunkSink sink) {
            // Without alt=sse Gemini streams one big JSON array instead of SSE events.
            HttpCall call = call(request.deployment(), method + "?alt=sse", body).header("accept", "text/event-stream");
            return upstream.stream(call, request, errors, decoder, sink);
        }

        private static HttpCall call(Deployment d, String method, ObjectNode body) {
            return authorized(HttpCall.postJson(baseOf(d) + "/" + modelPath(d.model()) + ":" + method, Json.toBuffer(body)), d);
        }
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

    private ObjectNode parseObject(Buffer body) {
        JsonNode n = Json.tryParse(body);
        if (n instanceof ObjectNode o) return o;
        throw GatewayException.upstream(name + " returned a body that is not a JSON object.");
    }
}
