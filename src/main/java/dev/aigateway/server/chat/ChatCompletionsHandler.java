package dev.aigateway.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.openai.responses.ResponsesApi;
import dev.aigateway.server.RequestFields;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;

/** {@code POST /v1/chat/completions}: OpenAI chat in, any provider out, streamed or not. */
public final class ChatCompletionsHandler {
    /** What the chat route adds to the pipeline: its validator, and an SSE writer that adds usage when the client asks. */
    public static final LlmRoute ROUTE = new LlmRoute("chat", ChatCompletionsHandler::validate, Provider::chat, LlmRoute.Answer.AS_IS,
            (ctx, body) -> new SseChatWriter(ctx, body.path("stream_options").path("include_usage").asBoolean(false)),
            ErrorShape.OPENAI);

    private ChatCompletionsHandler() {}

    /**
     * The chat request, checked. One that sends Responses-style {@code input} (and {@code instructions}) instead of
     * {@code messages}, as Cursor does, has them turned into messages first, as the Responses route translates them.
     */
    static ObjectNode validate(ObjectNode body) {
        JsonNode messages = body.get("messages");
        JsonNode input = body.get("input");
        if ((messages == null || messages.isNull()) && input != null && (input.isTextual() || input.isArray())) {
            RequestFields.maxItems(input, "input", ChatRequestValidator.MAX_MESSAGES);
            return ChatRequestValidator.validate(ResponsesApi.withMessagesFromInput(body));
        }
        return ChatRequestValidator.validate(body);
    }
}
