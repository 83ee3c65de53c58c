package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.AnthropicMessagesWire;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.PassThroughDecoder;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}). As in LiteLLM, {@code api_base} is the host; a
 * base that already ends in {@code /v1} is accepted too. No embeddings: Anthropic has none.
 *
 * <p>Clients of the gateway's own {@code /v1/messages} are passed through ({@link AnthropicMessagesWire}): their
 * Anthropic body and headers go upstream as sent, the answer comes back as Anthropic sent it.
 */
public final class AnthropicProvider implements Provider, AnthropicMessagesWire {
    public static final String DEFAULT_BASE = "https://api.anthropic.com";
    static final String API_VERSION = "2023-06-01";
    private static final String NAME = "anthropic";
    /** The event a client reads as the end of the answer. */
    private static final java.util.List<String> MESSAGE_STOP = java.util.List.of("message_stop");

    private final Upstream upstream;

    public AnthropicProvider(Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code thinking}: its own parameter, sent as it is. */
    @Override
    public boolean readsThinking() {
        return true;
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        HttpCall call;
        try {
            call = call(request, false);
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return upstream.send(call, request, this::mapError).map(r -> {
            JsonNode message = Json.tryParse(r.body());
            if (!(message instanceof ObjectNode)) {
                throw GatewayException.upstream(NAME + " returned a body that is not a JSON object.");
            }
            return AnthropicResponseTranslator.translate(message, request.deployment().model());
        });
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        HttpCall call;
        try {
            call = call(request, true).header("accept", "text/event-stream");
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return upstream.stream(call, request, this::mapError,
                new AnthropicStreamDecoder(NAME, request.deployment().model()), sink);
    }

    @Override
    public Future<Answer> messages(ProviderRequest request) {
        HttpCall call = passThroughCall(request);
        return upstream.send(call, request, this::mapError).map(r -> {
            JsonNode message = Json.tryParse(r.body());
            if (!(message instanceof ObjectNode m)) {
                throw GatewayException.upstream(NAME + " returned a body that is not a JSON object.");
            }
            AnthropicUsage usage = new AnthropicUsage();
            usage.update(m.get("usage"));
            return new Answer(m, usage.toOpenAi(), AnthropicResponseHeaders.forwarded(r.headers()));
        });
    }

    @Override
    public Future<Void> messagesStream(ProviderRequest request, ChunkSink sink) {
        HttpCall call = passThroughCall(request).header("accept", "text/event-stream");
        PassThroughDecoder decoder = new PassThroughDecoder(new AnthropicStreamDecoder(NAME, request.deployment().model()),
                MESSAGE_STOP, AnthropicResponseHeaders::forwarded);
        return upstream.stream(call, request, this::mapError, decoder, sink);
    }

    /** The client's own request, with the deployment's model and key (never the client's credentials). */
    private static HttpCall passThroughCall(ProviderRequest request) {
        Deployment d = request.deployment();
        HttpCall call = HttpCall.postJson(messagesUrl(d.apiBase()), Json.toBuffer(PassThroughRequest.body(request.client(), d)));
        PassThroughRequest.headers(request.client(), call.headers());
        if (d.apiKey() != null && !d.apiKey().isEmpty()) call.header("x-api-key", d.apiKey());
        return call;
    }

    private HttpCall call(ProviderRequest request, boolean stream) {
        Deployment d = request.deployment();
        ObjectNode body = AnthropicRequestTranslator.translate(request.body(), d, stream);
        return authorized(HttpCall.postJson(messagesUrl(d.apiBase()), Json.toBuffer(body)), d);
    }

    /** {@code GET {base}/v1/models}, with the key and API version of a real call. */
    @Override
    public HttpCall probe(Deployment d) {
        return authorized(HttpCall.get(v1Url(d.apiBase(), "/models")), d);
    }

    private static HttpCall authorized(HttpCall call, Deployment d) {
        call.header("anthropic-version", API_VERSION);
        if (d.apiKey() != null && !d.apiKey().isEmpty()) call.header("x-api-key", d.apiKey());
        return call;
    }

    static String messagesUrl(String apiBase) {
        return v1Url(apiBase, "/messages");
    }

    /** A path under the API's {@code /v1}: the base is the host, or already ends in {@code /v1}. */
    private static String v1Url(String apiBase, String path) {
        String base = apiBase == null || apiBase.isBlank() ? DEFAULT_BASE : apiBase.strip();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return base.endsWith("/v1") ? base + path : base + "/v1" + path;
    }

    private GatewayException mapError(int status, MultiMap headers, Buffer body) {
        return AnthropicErrors.fromHttp(NAME, status, headers, body);
    }
}
