package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.ErrorMapper;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.StreamDecoder;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.provider.http.UpstreamResponse;
import dev.aigateway.provider.http.WireEndpoint;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.util.function.BiFunction;

/**
 * Claude's Messages API as Bedrock hosts it, for the Anthropic provider's translation and pass-through: InvokeModel
 * ({@code /invoke}, {@code /invoke-with-response-stream}) with the model in the path, the API version in the body
 * ({@code anthropic_version: "bedrock-2023-05-31"}), {@code anthropic-beta} as a body array ({@code anthropic_beta}),
 * and no {@code model} or {@code stream} field. Streams come as event-stream frames ({@link InvokeStreamDecoder}).
 * Bedrock's error table applies, not Anthropic's.
 */
final class ClaudeOnBedrock implements WireEndpoint {
    static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";

    private final Upstream upstream;
    private final BiFunction<Deployment, HttpCall, Future<HttpCall>> authorize;

    ClaudeOnBedrock(Upstream upstream, BiFunction<Deployment, HttpCall, Future<HttpCall>> authorize) {
        this.upstream = upstream;
        this.authorize = authorize;
    }

    @Override
    public Future<UpstreamResponse> send(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors) {
        BedrockErrors bedrock = new BedrockErrors(BedrockProvider.INVOKE);
        HttpCall call;
        try {
            call = call(request.deployment(), "invoke", body, headers);
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        return authorize.apply(request.deployment(), call).compose(c -> upstream.send(c, request, bedrock::map));
    }

    @Override
    public Future<Void> stream(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors,
                               StreamDecoder decoder, ChunkSink sink) {
        BedrockErrors bedrock = new BedrockErrors(BedrockProvider.INVOKE_STREAM);
        HttpCall call;
        try {
            call = call(request.deployment(), "invoke-with-response-stream", body, headers)
                    .header("accept", "application/vnd.amazon.eventstream");
        } catch (GatewayException e) {
            return Future.failedFuture(e);
        }
        StreamDecoder frames = new InvokeStreamDecoder(decoder, bedrock);
        return authorize.apply(request.deployment(), call).compose(c -> upstream.stream(c, request, bedrock::map, frames, sink));
    }

    private static HttpCall call(Deployment d, String action, ObjectNode body, MultiMap headers) {
        if (!BedrockProvider.isClaude(d)) {
            throw GatewayException.badRequest("bedrock/invoke/ supports Anthropic Claude models only; use bedrock/"
                    + BedrockEndpoint.modelId(d) + " (Converse) for this model.", "model");
        }
        return HttpCall.postJson(BedrockEndpoint.url(d, action), Json.toBuffer(bedrockBody(body, headers)));
    }

    /** A copy (the translated or client's body may be reused by a retry elsewhere) with Bedrock's rules applied. */
    static ObjectNode bedrockBody(ObjectNode messagesBody, MultiMap headers) {
        ObjectNode out = Json.object();
        out.put("anthropic_version", ANTHROPIC_VERSION);
        messagesBody.properties().forEach(f -> {
            String k = f.getKey();
            if (!k.equals("model") && !k.equals("stream") && !k.equals("anthropic_version")) out.set(k, f.getValue());
        });
        String betas = headers == null ? null : headers.get("anthropic-beta");
        if (betas != null && !out.has("anthropic_beta")) {
            ArrayNode a = Json.array();
            for (String b : betas.split(",")) if (!b.isBlank()) a.add(b.strip());
            if (!a.isEmpty()) out.set("anthropic_beta", a);
        }
        return out;
    }
}
