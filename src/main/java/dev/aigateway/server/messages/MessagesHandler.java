package dev.aigateway.server.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.anthropic.AnthropicEventWriter;
import dev.aigateway.provider.anthropic.MessagesApi;
import dev.aigateway.server.LlmRoute;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RoutingFields;
import dev.aigateway.server.SseResponse;
import dev.aigateway.server.chat.ChatRequestValidator;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API in, any provider out. The request is translated to
 * OpenAI's format once and then takes the same path as a chat completion; answers and streams are
 * translated back. Errors carry both Anthropic's and OpenAI's fields so either SDK family reads them.
 */
public final class MessagesHandler {
    public static final LlmRoute ROUTE = new LlmRoute("messages", MessagesHandler::asChat, Provider::chat,
            (ctx, request, result) -> MessagesApi.toAnthropicResponse(result, ctx.modelName()),
            MessagesHandler::events, MessagesApi::errorBody);

    private MessagesHandler() {}

    /** Checked as Anthropic's API defines it, translated, then checked as the chat request it became. */
    private static ObjectNode asChat(ObjectNode anthropic) {
        MessagesRequestValidator.validate(anthropic);
        return ChatRequestValidator.validate(RoutingFields.carry(anthropic, MessagesApi.toOpenAiRequest(anthropic)));
    }

    /** The chat stream as Anthropic's events. */
    private static ChunkSink events(RequestContext ctx, ObjectNode body) {
        SseResponse out = new SseResponse(ctx);
        AnthropicEventWriter events = new AnthropicEventWriter(body.path("model").asText(), out::write);
        return new ChunkSink() {
            @Override public void chunk(ObjectNode chunk) { if (!out.clientGone()) events.chunk(chunk); }
            // message_delta and message_stop (or the error event) end the stream for the client: they go out once settled
            @Override public void end() { out.end(events::end, null, 200, null); }
            @Override public void fail(GatewayException error) { out.end(() -> events.fail(error), null, error.status(), error.type()); }
            @Override public boolean writeQueueFull() { return out.writeQueueFull(); }
            @Override public void drainHandler(Runnable onDrain) { out.drainHandler(onDrain); }
        };
    }
}
