package dev.aigateway.server.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.AnthropicMessagesWire;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.anthropic.AnthropicEventWriter;
import dev.aigateway.provider.anthropic.MessagesApi;
import dev.aigateway.server.ClientStreamSink;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.Responses;
import dev.aigateway.server.RoutingFields;
import dev.aigateway.server.SseResponse;
import dev.aigateway.server.chat.ChatRequestValidator;
import io.vertx.core.Future;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API in, any provider out. The request is validated and translated
 * to OpenAI's format once: routing, admission and failover work on that. Each attempt then goes one of two ways:
 * <ul>
 *   <li>a deployment that speaks Anthropic's API ({@link AnthropicMessagesWire}) gets the client's own body and
 *       Anthropic headers (only {@code model} rewritten) and its answer, JSON or SSE events, goes back unchanged;</li>
 *   <li>any other deployment gets the translation, and its answer or stream is translated back.</li>
 * </ul>
 * Errors carry Anthropic's fields (and OpenAI's {@code param}/{@code code} beside them for the gateway's own errors),
 * so either SDK family reads them; an Anthropic upstream's own error keeps its type and text.
 */
public final class MessagesHandler {
    /** Where a passed-through answer rides inside the result the pipeline accounts (beside its OpenAI usage). */
    private static final String PASSED_THROUGH = "passed_through_message";
    /** And the upstream's headers the client gets with it. */
    private static final String PASSED_THROUGH_HEADERS = "passed_through_headers";

    public static final LlmRoute ROUTE = new LlmRoute("messages", MessagesHandler::asChat, MessagesHandler::call,
            MessagesHandler::answer, new Streaming(), ErrorShape.ANTHROPIC);

    private MessagesHandler() {}

    /** Checked as Anthropic's API defines it, translated, then checked as the chat request it became. */
    static ObjectNode asChat(ObjectNode anthropic) {
        MessagesRequestValidator.validate(anthropic);
        return ChatRequestValidator.validate(RoutingFields.carry(anthropic, MessagesApi.toOpenAiRequest(anthropic)));
    }

    private static boolean passesThrough(Provider provider, ProviderRequest request) {
        return provider instanceof AnthropicMessagesWire wire && request.client() != null && wire.passesThrough(request.deployment());
    }

    /** One non-streamed attempt; a passed-through answer travels with its usage, which the pipeline reads for accounting. */
    private static Future<ObjectNode> call(Provider provider, ProviderRequest request) {
        if (!passesThrough(provider, request)) {
            GatewayException lost = MessagesApi.untranslatable(request.body());
            return lost != null ? Future.failedFuture(lost) : provider.chat(MessagesApi.forProvider(provider, request));
        }
        return ((AnthropicMessagesWire) provider).messages(request).map(a -> {
            ObjectNode carried = Json.object();
            carried.set("usage", a.usage());
            carried.set(PASSED_THROUGH, a.message());
            ObjectNode headers = carried.putObject(PASSED_THROUGH_HEADERS);
            a.headers().forEach(headers::put);
            return carried;
        });
    }

    private static ObjectNode answer(RequestContext ctx, ObjectNode request, ObjectNode result) {
        JsonNode passed = result.get(PASSED_THROUGH);
        if (passed instanceof ObjectNode message) {
            result.path(PASSED_THROUGH_HEADERS).properties().forEach(h -> Responses.header(ctx, h.getKey(), h.getValue().asText()));
            return message;
        }
        return MessagesApi.toAnthropicResponse(result, ctx.modelName());
    }

    private static final class Streaming implements LlmRoute.Streaming {
        @Override
        public ChunkSink sink(RequestContext ctx, ObjectNode body) {
            return new EventSink(new SseResponse(ctx), body.path("model").asText());
        }

        @Override
        public Future<Void> start(Provider provider, ProviderRequest request, ChunkSink sink) {
            if (!passesThrough(provider, request)) {
                GatewayException lost = MessagesApi.untranslatable(request.body());
                return lost != null ? Future.failedFuture(lost) : provider.chatStream(MessagesApi.forProvider(provider, request), sink);
            }
            return ((AnthropicMessagesWire) provider).messagesStream(request, sink);
        }
    }

    /**
     * The client's stream: the upstream's own events when the attempt passed through (the OpenAI chunks beside them
     * only meter it), else the chat stream written as Anthropic's events.
     */
    private static final class EventSink extends ClientStreamSink {
        private final AnthropicEventWriter events;

        EventSink(SseResponse out, String model) {
            super(out);
            this.events = new AnthropicEventWriter(model, out::write);
        }

        @Override
        public void chunk(ObjectNode chunk) {
            if (!out.passingThrough() && !out.clientGone()) events.chunk(chunk);
        }

        @Override
        public void end() {
            // message_delta and message_stop (or the error event) end the stream for the client: they go out once settled
            if (out.passingThrough()) out.end(out.held(), 200, null);
            else out.end(events::end, null, 200, null);
        }

        @Override
        public void fail(GatewayException error) {
            if (!out.passingThrough()) {
                out.end(() -> events.fail(error), null, error.status(), error.type());
            } else if (error.providerError() != null) {
                out.end(out.held(), error.status(), error.type()); // the upstream's own error event went through already
            } else {
                // cut or silent upstream: the client learns it from an error event, as from Anthropic's own failures
                out.end(() -> new AnthropicEventWriter(out::write).fail(error), out.held(), error.status(), error.type());
            }
        }
    }
}
