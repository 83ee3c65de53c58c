package dev.aigateway.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.pricing.PriceTable;
import dev.aigateway.provider.ProviderRequest;

/**
 * The gateway's inbound OpenAI Responses API ({@code POST /v1/responses}) for deployments that do not speak it: the
 * request becomes an OpenAI chat request, the chat answer a Response, the chat stream the Responses API's events
 * ({@link ResponsesEventWriter}). Deployments that speak it pass the client's body through instead
 * ({@link dev.aigateway.provider.OpenAiResponsesWire}).
 */
public final class ResponsesApi {
    private ResponsesApi() {}

    /**
     * A Responses request -> an OpenAI chat request (streams ask for usage). What the chat format cannot carry is
     * noted for {@link #untranslatable}; a malformed item is a 400 naming {@code input}.
     */
    public static ObjectNode toChatRequest(ObjectNode responsesRequest) {
        return ResponsesRequestTranslator.translate(responsesRequest);
    }

    /**
     * A chat request that carries Responses-style {@code input} (and {@code instructions}) instead of {@code messages},
     * as Cursor sends it: the same request with those turned into {@code messages}. A copy; the request is not changed.
     */
    public static ObjectNode withMessagesFromInput(ObjectNode chatRequest) {
        ObjectNode out = Json.object();
        out.setAll(chatRequest); // shallow: the conversation is rebuilt, the rest shared
        out.set("messages", ResponsesRequestTranslator.messagesOnly(chatRequest));
        out.remove("input");
        out.remove("instructions");
        return out;
    }

    /**
     * The 400 an attempt that sends the translation must answer instead (a built-in tool, an input item or content
     * type the chat format cannot carry); null when the translation left nothing out.
     */
    public static GatewayException untranslatable(ObjectNode chatRequest) {
        JsonNode m = chatRequest.get(ResponsesRequestTranslator.UNTRANSLATABLE);
        return m == null ? null : GatewayException.badRequest(m.asText(), chatRequest.path(ResponsesRequestTranslator.UNTRANSLATABLE_PARAM).asText("input"));
    }

    /**
     * The translation as the attempt's deployment takes it: without {@code reasoning_effort} for a model that does
     * not reason (the price map's {@code supports_reasoning}, or the deployment's model_info), since such models
     * refuse it and Codex asks for an effort on every call. The request is not changed.
     */
    public static ProviderRequest forProvider(ProviderRequest request) {
        ObjectNode body = request.body();
        if (!body.has("reasoning_effort") || PriceTable.bundled().priceOf(request.deployment()).reasons()) return request;
        ObjectNode sent = Json.object();
        sent.setAll(body); // shallow: the conversation is shared, not copied
        sent.remove("reasoning_effort");
        return new ProviderRequest(request.deployment(), sent, request.cancel(), request.client());
    }

    /** An OpenAI chat.completion -> the Response answering {@code request} (the client's Responses request) as {@code model}. */
    public static ObjectNode toResponse(ObjectNode chatCompletion, ObjectNode request, String model) {
        return ResponsesResponseTranslator.translate(chatCompletion, request, model);
    }

    /** A Response's usage (input/output tokens) as OpenAI chat's usage, which accounting reads. */
    public static ObjectNode chatUsage(JsonNode responsesUsage) {
        return ResponseShape.chatUsage(responsesUsage);
    }
}
