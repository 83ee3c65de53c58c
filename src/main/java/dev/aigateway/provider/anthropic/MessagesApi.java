package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.pricing.PriceTable;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;

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

    /**
     * The 400 an attempt that sends {@code openAiRequest} (a translation made by {@link #toOpenAiRequest}) must
     * answer instead, because the translation left out a content block it cannot express; null when it left out
     * nothing. A pass-through attempt ignores it: Anthropic reads the client's blocks itself.
     */
    public static GatewayException untranslatable(ObjectNode openAiRequest) {
        com.fasterxml.jackson.databind.JsonNode m = openAiRequest.get(MessagesRequestTranslator.UNTRANSLATABLE);
        return m == null ? null : GatewayException.badRequest(m.asText(), "messages");
    }

    /**
     * The translated request as the attempt's provider and deployment take it. A model that does not reason gets
     * neither {@code thinking} nor the {@code reasoning_effort} it was mapped to: the thinking request is dropped, as
     * LiteLLM drops it, since such models refuse both (OpenAI's gpt-4o answers 400 to {@code reasoning_effort}, and
     * Claude Code asks for thinking on nearly every call). A model reasons when the price map says so
     * ({@code supports_reasoning}) or the deployment's {@code model_info} does; unknown models do not. A reasoning
     * model whose provider reads Anthropic's {@code thinking} ({@link Provider#readsThinking}) gets that (its exact
     * budget wins over the effort there); the others get the effort. The request is not changed.
     */
    public static ProviderRequest forProvider(Provider provider, ProviderRequest request) {
        ObjectNode body = request.body();
        if (!body.has("thinking")) return request;
        ObjectNode sent = Json.object();
        sent.setAll(body); // shallow: the conversation is shared, not copied
        if (!PriceTable.bundled().priceOf(request.deployment()).reasons()) {
            sent.remove("thinking");
            sent.remove("reasoning_effort");
        } else if (provider.readsThinking()) {
            sent.remove("reasoning_effort");
        } else {
            sent.remove("thinking");
        }
        return new ProviderRequest(request.deployment(), sent, request.cancel(), request.client());
    }

    /** An OpenAI chat.completion -> an Anthropic message reporting {@code model}. */
    public static ObjectNode toAnthropicResponse(ObjectNode openAiCompletion, String model) {
        return MessagesResponseTranslator.translate(openAiCompletion, model);
    }

    /**
     * A gateway error as Anthropic's error body; OpenAI's {@code param} and {@code code} are kept inside
     * {@code error} so clients of either SDK family can read it. An error an Anthropic upstream answered is passed
     * on as Anthropic worded it: its {@code type} and {@code message} only.
     */
    public static ObjectNode errorBody(GatewayException e) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode err = root.putObject("error");
        GatewayException.ProviderError own = e.providerError();
        if (own != null) { // Anthropic's own error (redacted): its type and text unchanged, as agents match on them
            err.put("type", own.type());
            err.put("message", own.message());
            err.put("code", e.code()); // ours, beside them: Anthropic's clients ignore a field they do not know
            return root;
        }
        err.put("type", AnthropicErrors.typeOf(e.status()));
        err.put("message", e.getMessage());
        err.put("param", e.param());
        err.put("code", e.code());
        return root;
    }
}
