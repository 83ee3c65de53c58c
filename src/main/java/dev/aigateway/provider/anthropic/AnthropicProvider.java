package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.AnthropicMessagesWire;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.ErrorMapper;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.PassThroughDecoder;
import dev.aigateway.provider.http.StreamDecoder;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.provider.http.UpstreamResponse;
import dev.aigateway.provider.http.WireEndpoint;
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
    /** The call's name given to the endpoint. */
    public static final String MESSAGES = "messages";
    /** The event a client reads as the end of the answer. */
    private static final java.util.List<String> MESSAGE_STOP = java.util.List.of("message_stop");

    private final String name;
    private final WireEndpoint endpoint;

    public AnthropicProvider(Upstream upstream) {
        this(NAME, new AnthropicApi(upstream));
    }

    /** Claude behind another host's endpoint, reported under that provider's name. */
    public AnthropicProvider(String name, WireEndpoint endpoint) {
        this.name = name;
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code thinking}: its own parameter, sent as it is. */
    @Override
    public boolean readsThinking() {
        return true;
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        ObjectNode body;
        try {
            body = AnthropicRequestTranslator.translate(request.body(), request.deployment(), false);
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return endpoint.send(request, MESSAGES, body, versionHeader(), this::mapError)
                .map(r -> AnthropicResponseTranslator.translate(messageOf(r), request.deployment().model()));
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        ObjectNode body;
        try {
            body = AnthropicRequestTranslator.translate(request.body(), request.deployment(), true);
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return endpoint.stream(request, MESSAGES, body, versionHeader(), this::mapError,
                new AnthropicStreamDecoder(name, request.deployment().model()), sink);
    }

    @Override
    public Future<Answer> messages(ProviderRequest request) {
        return endpoint.send(request, MESSAGES, PassThroughRequest.body(request.client(), request.deployment()),
                passThroughHeaders(request), this::mapError).map(r -> {
            ObjectNode m = messageOf(r);
            AnthropicUsage usage = new AnthropicUsage();
            usage.update(m.get("usage"));
            return new Answer(m, usage.toOpenAi(), AnthropicResponseHeaders.forwarded(r.headers()));
        });
    }

    @Override
    public Future<Void> messagesStream(ProviderRequest request, ChunkSink sink) {
        PassThroughDecoder decoder = new PassThroughDecoder(new AnthropicStreamDecoder(name, request.deployment().model()),
                MESSAGE_STOP, AnthropicResponseHeaders::forwarded);
        return endpoint.stream(request, MESSAGES, PassThroughRequest.body(request.client(), request.deployment()),
                passThroughHeaders(request), this::mapError, decoder, sink);
    }

    /** The Anthropic headers the client chose (never its credentials: the endpoint adds the deployment's). */
    private static MultiMap passThroughHeaders(ProviderRequest request) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        PassThroughRequest.headers(request.client(), h);
        return h;
    }

    private static MultiMap versionHeader() {
        return MultiMap.caseInsensitiveMultiMap().set("anthropic-version", API_VERSION);
    }

    private ObjectNode messageOf(UpstreamResponse r) {
        if (Json.tryParse(r.body()) instanceof ObjectNode m) return m;
        throw GatewayException.upstream(name + " returned a body that is not a JSON object.");
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
        return AnthropicErrors.fromHttp(name, status, headers, body);
    }

    /** Anthropic's own API: {@code {api_base}/v1/messages} with the deployment's {@code x-api-key}. */
    private record AnthropicApi(Upstream upstream) implements WireEndpoint {
        @Override
        public Future<UpstreamResponse> send(ProviderRequest request, String method, ObjectNode body, MultiMap headers,
                                             ErrorMapper errors) {
            return upstream.send(call(request.deployment(), body, headers), request, errors);
        }

        @Override
        public Future<Void> stream(ProviderRequest request, String method, ObjectNode body, MultiMap headers,
                                   ErrorMapper errors, StreamDecoder decoder, ChunkSink sink) {
            HttpCall call = call(request.deployment(), body, headers).header("accept", "text/event-stream");
            return upstream.stream(call, request, errors, decoder, sink);
        }

        private static HttpCall call(Deployment d, ObjectNode body, MultiMap headers) {
            HttpCall call = HttpCall.postJson(messagesUrl(d.apiBase()), Json.toBuffer(body));
            call.headers().addAll(headers);
            if (d.apiKey() != null && !d.apiKey().isEmpty()) call.header("x-api-key", d.apiKey());
            return call;
        }
    }
}
