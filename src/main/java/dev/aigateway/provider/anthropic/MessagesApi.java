package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

/**
 * The gateway's inbound Anthropic Messages API ({@code POST /v1/messages}): clients speak Anthropic, the
 * call runs on any provider as an OpenAI-format request, and the answer goes back in Anthropic's format
 * (streams through {@link AnthropicEventWriter}).
 */
public final class MessagesApi {
    private MessagesApi() {}

    /**
     * An Anthropic Messages request -> an OpenAI chat request (streams ask for usage). Throws a 400
     * {@link GatewayException} naming the field when {@code messages} or {@code max_tokens} is missing or invalid.
     */
    public static ObjectNode toOpenAiRequest(ObjectNode anthropicRequest) {
        return MessagesRequestTranslator.translate(anthropicRequest);
    }

    /** An OpenAI chat.completion -> an Anthropic message reporting {@code model}. */
    public static ObjectNode toAnthropicResponse(ObjectNode openAiCompletion, String model) {
        return MessagesResponseTranslator.translate(openAiCompletion, model);
    }

    /**
     * A gateway error as Anthropic's error body; OpenAI's {@code param} and {@code code} are kept inside
     * {@code error} so clients of either SDK family can read it.
     */
    public static ObjectNode errorBody(GatewayException e) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode err = root.putObject("error");
        err.put("type", AnthropicErrors.typeOf(e.status()));
        err.put("message", e.getMessage());
        err.put("param", e.param());
        err.put("code", e.code());
        return root;
    }
}
