package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Future;

/**
 * Anthropic's {@code POST /v1/messages/count_tokens}, asked of an {@code anthropic/} deployment: the client's body goes
 * as it came (Anthropic's count depends on blocks and tools no translation keeps), with only {@code model} set to the
 * deployment's and the unsigned thinking blocks {@code /v1/messages} leaves out too ({@link UnsignedThinking}), the
 * deployment's key, and the client's {@code anthropic-version} and {@code anthropic-beta} (betas change what is
 * counted). The answer ({@code {"input_tokens": N}}) comes back as Anthropic sent it. Errors are read
 * as on {@code /v1/messages} and redacted by {@link Upstream}.
 */
public final class AnthropicTokenCounter {
    private final Upstream upstream;

    public AnthropicTokenCounter(Upstream upstream) {
        this.upstream = upstream;
    }

    /**
     * @param request the deployment and the client's Anthropic body (its {@code model} is replaced: the body is the
     *                request's own, and a copy of a long prompt would cost more than the count)
     * @param version the client's {@code anthropic-version}, or null for the gateway's
     * @param beta    the client's {@code anthropic-beta}, or null
     */
    public Future<ObjectNode> count(ProviderRequest request, String version, String beta) {
        Deployment d = request.deployment();
        ObjectNode body = request.body();
        body.put("model", d.model());
        JsonNode messages = body.get("messages");
        JsonNode signed = UnsignedThinking.strip(messages); // as /v1/messages sends them: Anthropic refuses unsigned thinking
        if (signed != messages) body.set("messages", signed);
        HttpCall call = HttpCall.postJson(AnthropicProvider.messagesUrl(d.apiBase()) + "/count_tokens", Json.toBuffer(body))
                .header("anthropic-version", version == null || version.isBlank() ? AnthropicProvider.API_VERSION : version);
        if (beta != null && !beta.isBlank()) call.header("anthropic-beta", beta);
        if (d.apiKey() != null && !d.apiKey().isEmpty()) call.header("x-api-key", d.apiKey());
        return upstream.send(call, request, (status, headers, b) -> AnthropicErrors.fromHttp("anthropic", status, headers, b))
                .map(r -> {
                    JsonNode answer = Json.tryParse(r.body());
                    if (!(answer instanceof ObjectNode o) || !answer.path("input_tokens").canConvertToLong()) {
                        throw GatewayException.upstream("anthropic returned a count_tokens answer without input_tokens.");
                    }
                    return o;
                });
    }
}
