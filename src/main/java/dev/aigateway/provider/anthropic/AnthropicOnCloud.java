package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.provider.ClientCall;
import dev.aigateway.provider.http.PassThroughDecoder;
import dev.aigateway.provider.http.StreamDecoder;
import io.vertx.core.MultiMap;

import java.util.List;

/**
 * Anthropic's Messages API as the clouds host it (Bedrock's InvokeModel): the same bodies and events, but the model in
 * the URL, the API version in the body ({@code anthropic_version}), betas as a body array ({@code anthropic_beta})
 * and no {@code model} or {@code stream} field. The translations and decoders of this package, for those providers.
 */
public final class AnthropicOnCloud {
    private AnthropicOnCloud() {}

    /** An OpenAI chat body as the cloud's Anthropic body. */
    public static ObjectNode chatBody(ObjectNode openAi, Deployment d, String anthropicVersion) {
        return forCloud(AnthropicRequestTranslator.translate(openAi, d, false), anthropicVersion, List.of());
    }

    /** A {@code /v1/messages} client's own body as the cloud's, its {@code anthropic-beta} headers moved into the body. */
    public static ObjectNode passThroughBody(ClientCall client, Deployment d, String anthropicVersion) {
        List<String> betas = client.headers() == null ? List.of()
                : client.headers().getAll("anthropic-beta").stream()
                        .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return forCloud(PassThroughRequest.body(client, d), anthropicVersion, betas);
    }

    private static ObjectNode forCloud(ObjectNode body, String anthropicVersion, List<String> betas) {
        body.remove("model");
        body.remove("stream");
        body.put("anthropic_version", anthropicVersion);
        if (!betas.isEmpty()) {
            ArrayNode a = body.putArray("anthropic_beta");
            betas.forEach(a::add);
        }
        return body;
    }

    /** An Anthropic message as an OpenAI {@code chat.completion}. */
    public static ObjectNode completion(JsonNode message, String model) {
        return AnthropicResponseTranslator.translate(message, model);
    }

    /** A message's usage as OpenAI's, cache reads and writes included. */
    public static ObjectNode usage(JsonNode message) {
        AnthropicUsage u = new AnthropicUsage();
        u.update(message.get("usage"));
        return u.toOpenAi();
    }

    /** Anthropic SSE events to OpenAI chunks. */
    public static StreamDecoder chatStreamDecoder(String provider, String model) {
        return new AnthropicStreamDecoder(provider, model);
    }

    /** Anthropic SSE events passed through to a {@code /v1/messages} client, metered on the way. */
    public static StreamDecoder messagesStreamDecoder(String provider, String model) {
        return new PassThroughDecoder(new AnthropicStreamDecoder(provider, model), List.of("message_stop"), h -> MultiMap.caseInsensitiveMultiMap());
    }
}
