package dev.aigateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.ClientCall;
import dev.aigateway.provider.OpenAiResponsesWire;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderErrors;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.MultipartForm;
import dev.aigateway.provider.http.RawBodyDecoder;
import dev.aigateway.provider.http.PassThroughDecoder;
import dev.aigateway.provider.http.SseParser;
import dev.aigateway.provider.http.StreamDecoder;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.provider.http.UpstreamResponse;
import dev.aigateway.provider.openai.responses.ResponsesApi;
import dev.aigateway.provider.openai.responses.ResponsesEventMeter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.function.Supplier;

/**
 * OpenAI and every server that speaks its API ({@code api_base} ending in {@code /v1}): vLLM, Ollama's
 * /v1, Groq, Mistral, DeepSeek, OpenRouter, Together, xAI. The body passes through untouched except
 * for {@code model}; in streams the gateway always asks for usage (it needs it for spend) and the
 * server side strips it again when the client did not ask.
 */
public class OpenAiProvider implements Provider, OpenAiResponsesWire {
    public static final String DEFAULT_BASE = "https://api.openai.com/v1";

    protected final Upstream upstream;
    private final String name;
    private final String defaultBase;

    public OpenAiProvider(Upstream upstream) {
        this(upstream, "openai", DEFAULT_BASE);
    }

    /** An OpenAI-compatible provider known by another prefix (groq/, mistral/ ...) with its default base. */
    public OpenAiProvider(Upstream upstream, String name, String defaultBase) {
        this.upstream = upstream;
        this.name = name;
        this.defaultBase = defaultBase;
    }

    @Override
    public String name() {
        return name;
    }

    /** OpenAI's reasoning models refuse max_tokens; OpenAI and Azure (since 2024-09) take max_completion_tokens everywhere. */
    @Override
    public String outputLimitField() {
        return "openai".equals(name) || "azure".equals(name) ? "max_completion_tokens" : "max_tokens";
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        return guarded(() -> {
            ObjectNode body = withModel(request);
            body.remove("stream");
            body.remove("stream_options");
            return upstream.send(call(request, "/chat/completions", body), request, this::mapError)
                    .map(r -> parseObject(r.body()));
        });
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        return guarded(() -> {
            ObjectNode body = withModel(request);
            body.put("stream", true);
            // keep the client's other stream_options (e.g. include_obfuscation); usage is always needed for spend
            ObjectNode options = body.get("stream_options") instanceof ObjectNode o ? o.deepCopy() : Json.object();
            body.set("stream_options", options.put("include_usage", true));
            return upstream.stream(call(request, "/chat/completions", body), request, this::mapError, new OpenAiStreamDecoder(name), sink);
        });
    }

    @Override
    public Future<ObjectNode> embeddings(ProviderRequest request) {
        return asIs(request, "/embeddings");
    }

    @Override
    public Future<ObjectNode> imageGeneration(ProviderRequest request) {
        return asIs(request, "/images/generations");
    }

    @Override
    public Future<ObjectNode> moderation(ProviderRequest request) {
        return asIs(request, "/moderations");
    }

    /** The request with the deployment's model, posted to {@code path}; the JSON answer as it is. */
    private Future<ObjectNode> asIs(ProviderRequest request, String path) {
        return guarded(() -> upstream.send(call(request, path, withModel(request)), request, this::mapError).map(r -> parseObject(r.body())));
    }

    /**
     * The client's form with the deployment's model, encoded again. A text format ({@code text}, {@code srt},
     * {@code vtt}) comes back as {@code {"text": ...}}, as LiteLLM answers it.
     */
    @Override
    public Future<ObjectNode> transcription(ProviderRequest request) {
        return guarded(() -> {
            String boundary = MultipartForm.newBoundary();
            Buffer form = MultipartForm.encode(withModel(request), boundary);
            return upstream.send(post(request, "/audio/transcriptions", form, "multipart/form-data; boundary=" + boundary), request, this::mapError)
                    .map(r -> {
                        String type = r.headers().get("content-type");
                        if (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json")) return parseObject(r.body());
                        return Json.object().put("text", r.body().toString(java.nio.charset.StandardCharsets.UTF_8));
                    });
        });
    }

    @Override
    public Future<Void> speech(ProviderRequest request, ChunkSink sink) {
        return guarded(() -> {
            HttpCall call = call(request, "/audio/speech", withModel(request)).header("accept", "*/*");
            return upstream.stream(call, request, this::mapError, new RawBodyDecoder(), sink);
        });
    }

    /**
     * {@code POST {base}/rerank}: the Cohere-shaped request as OpenAI-compatible rerank servers take it (vLLM, Jina);
     * their answer (results with {@code index} and {@code relevance_score}, perhaps {@code usage}) as it is. OpenAI and
     * Azure OpenAI have no rerank: an {@code openai/} deployment reranks only on a server of its own ({@code api_base}).
     */
    @Override
    public Future<ObjectNode> rerank(ProviderRequest request) {
        if ("azure".equals(name) || "openai".equals(name) && request.deployment().apiBase() == null) return unsupported("rerank");
        return asIs(request, "/rerank");
    }

    @Override
    public Future<ObjectNode> textCompletion(ProviderRequest request) {
        return guarded(() -> {
            ObjectNode body = withModel(request);
            body.remove("stream");
            body.remove("stream_options"); // OpenAI rejects stream_options on a non-streamed call with a 400
            return upstream.send(call(request, "/completions", body), request, this::mapError)
                    .map(r -> parseObject(r.body()));
        });
    }

    /** The events a Responses client reads as the end of the answer: held until the request is settled. */
    private static final List<String> RESPONSES_END = List.of("response.completed", "response.incomplete", "response.failed");

    /**
     * What LiteLLM's {@code model_info.supported_endpoints} says, when a deployment lists it: whether it names
     * {@code /v1/responses} (so an {@code openai/} entry for a chat-only server can opt out, and a compatible server
     * that has the API can opt in). Without that list, OpenAI and Azure serve the API and other servers do not.
     */
    @Override
    public boolean speaksResponses(Deployment d) {
        JsonNode endpoints = d.modelInfo() == null ? null : d.modelInfo().get("supported_endpoints");
        if (endpoints == null || !endpoints.isArray()) return "openai".equals(name) || "azure".equals(name);
        for (JsonNode e : endpoints) {
            String path = e.asText();
            if (path.equals("/v1/responses") || path.equals("/responses")) return true;
        }
        return false;
    }

    @Override
    public Future<Answer> responses(ProviderRequest request) {
        return guarded(() -> upstream.send(responsesCall(request, "", responsesBody(request)), request, this::mapError).map(this::answer));
    }

    /** The client's compaction body with the deployment's model: compaction takes no output limit, so none is added. */
    @Override
    public Future<Answer> compact(ProviderRequest request) {
        return guarded(() -> {
            ObjectNode body = Json.object();
            body.setAll(request.client().body()); // shallow, as responsesBody
            for (String f : ClientCall.GATEWAY_FIELDS) body.remove(f);
            body.put("model", request.deployment().model());
            return upstream.send(responsesCall(request, "/compact", body), request, this::mapError).map(this::answer);
        });
    }

    /** A Responses API answer as it is, with its usage (when it has one) as chat usage for accounting. */
    private Answer answer(UpstreamResponse r) {
        ObjectNode response = parseObject(r.body());
        JsonNode usage = response.get("usage");
        return new Answer(response, usage != null && usage.isObject() ? ResponsesApi.chatUsage(usage) : null);
    }

    @Override
    public Future<Void> responsesStream(ProviderRequest request, ChunkSink sink) {
        return guarded(() -> {
            HttpCall call = responsesCall(request, "", responsesBody(request)).header("accept", "text/event-stream");
            PassThroughDecoder decoder = new PassThroughDecoder(new ResponsesEventMeter(name), RESPONSES_END, h -> io.vertx.core.MultiMap.caseInsensitiveMultiMap());
            return upstream.stream(call, request, this::mapError, decoder, sink);
        });
    }

    /** The client's own Responses body with the deployment's model, without the gateway's fields; nothing else changes. */
    private static ObjectNode responsesBody(ProviderRequest request) {
        ObjectNode body = Json.object();
        body.setAll(request.client().body()); // shallow: the client's tree is not touched, a retry reuses it
        for (String f : ClientCall.GATEWAY_FIELDS) body.remove(f);
        body.put("model", request.deployment().model());
        // the client set no limit and its budget affords less than the model's maximum: the cap admission granted
        JsonNode cap = request.body().has("max_completion_tokens") ? request.body().get("max_completion_tokens") : request.body().get("max_tokens");
        if (!body.hasNonNull("max_output_tokens") && cap != null && cap.isIntegralNumber()) body.set("max_output_tokens", cap);
        return body;
    }

    /**
     * {@code POST {base}/responses{sub}} with the deployment's key ({@code sub} is empty, or {@code /compact}); Azure
     * overrides this.
     */
    protected HttpCall responsesCall(ProviderRequest request, String sub, ObjectNode body) {
        return call(request, "/responses" + sub, body);
    }

    /** A request refused while it is being built (e.g. Azure without api_base) is a failed future, never a throw. */
    private static <T> Future<T> guarded(Supplier<Future<T>> work) {
        try {
            return work.get();
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
    }

    /** A JSON POST to a path under the deployment's base; Azure overrides this. */
    protected HttpCall call(ProviderRequest request, String path, ObjectNode body) {
        return post(request, path, Json.toBuffer(body), "application/json");
    }

    /** A POST of {@code body} ({@code contentType}) to a path under the deployment's base, with its auth; Azure overrides this. */
    protected HttpCall post(ProviderRequest request, String path, Buffer body, String contentType) {
        Deployment d = request.deployment();
        String base = d.apiBase() != null ? d.apiBase() : defaultBase;
        return authorized(HttpCall.post(stripSlash(base) + path, body, contentType), d);
    }

    /** {@code GET {base}/models}: free, and refused with the same 401 as a chat when the key is wrong. Azure overrides this. */
    @Override
    public HttpCall probe(Deployment d) {
        String base = d.apiBase() != null && !d.apiBase().isBlank() ? d.apiBase() : defaultBase;
        if (base == null) return null; // an OpenAI-compatible prefix with no public base and no api_base
        return authorized(HttpCall.get(trimmed(base) + "/models"), d);
    }

    private static HttpCall authorized(HttpCall call, Deployment d) {
        if (d.apiKey() != null && !d.apiKey().isEmpty()) call.header("authorization", "Bearer " + d.apiKey());
        String org = d.param("organization");
        if (org != null) call.header("openai-organization", org);
        return call;
    }

    /** The client's body with the provider's model name. */
    protected ObjectNode withModel(ProviderRequest request) {
        // A shallow copy: top-level fields are replaced, nested values are shared and never changed, so a
        // 150 KB conversation is not copied just to rename the model.
        ObjectNode body = Json.object();
        body.setAll(request.body());
        body.put("model", request.deployment().model());
        return body;
    }

    protected GatewayException mapError(int status, MultiMap headers, Buffer body) {
        JsonNode json = Json.tryParse(body);
        JsonNode err = json == null ? null : json.get("error");
        String message;
        String code = null;
        if (err != null && err.isObject()) {
            message = err.path("message").asText(body.toString());
            code = err.hasNonNull("code") ? err.get("code").asText() : err.path("type").asText(null);
        } else if (err != null && err.isTextual()) { // vLLM / Ollama style
            message = err.asText();
        } else if (json != null && json.has("detail")) {
            message = json.get("detail").toString();
        } else {
            message = body.toString();
        }
        return ProviderErrors.map(name, status, message, code, headers); // credentials: redacted by Upstream (ProviderErrors.scrub)
    }

    /** A base URL without surrounding blanks and trailing slashes. */
    protected static String trimmed(String base) {
        String b = base.strip();
        while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        return b;
    }

    static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private ObjectNode parseObject(Buffer body) {
        JsonNode n = Json.tryParse(body);
        if (n instanceof ObjectNode o) return o;
        throw GatewayException.upstream(name + " returned a body that is not a JSON object.");
    }

    /** OpenAI SSE: {@code data: {chunk}} events ending in {@code data: [DONE]}. */
    static final class OpenAiStreamDecoder implements StreamDecoder {
        private final String provider;
        private final SseParser parser;
        private ChunkSink sink;
        private boolean done;

        OpenAiStreamDecoder(String provider) {
            this.provider = provider;
            this.parser = new SseParser(this::onEvent);
        }

        @Override
        public void feed(Buffer data, ChunkSink sink) {
            this.sink = sink;
            parser.feed(data);
        }

        @Override
        public void end(ChunkSink sink) {
            this.sink = sink;
            parser.finish();
            if (!done) {
                throw GatewayException.upstream(provider + " stream ended before [DONE]: the connection was cut mid-answer.");
            }
        }

        private void onEvent(String event, String data) {
            if (done) return;
            if ("[DONE]".equals(data)) {
                done = true;
                return;
            }
            JsonNode n = Json.tryParse(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!(n instanceof ObjectNode chunk)) {
                throw GatewayException.upstream(provider + " sent a stream event that is not JSON.");
            }
            JsonNode err = chunk.get("error");
            if (err != null && !err.isNull()) {
                String msg = err.isObject() ? err.path("message").asText() : err.asText();
                throw GatewayException.upstream(provider + " stream error: " + msg);
            }
            // Azure opens every stream with a chunk that only carries prompt_filter_results (no choices, no id,
            // object ""): it is not an OpenAI chunk, and clients and spend tracking would take it for the usage chunk.
            JsonNode choices = chunk.get("choices");
            boolean noChoices = choices == null || choices.isArray() && choices.isEmpty();
            JsonNode usage = chunk.get("usage");
            if (noChoices && (usage == null || usage.isNull())) return;
            sink.chunk(chunk);
        }
    }
}
