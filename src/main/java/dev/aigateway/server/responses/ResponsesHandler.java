package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.OpenAiResponsesWire;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.openai.responses.ResponsesApi;
import dev.aigateway.provider.openai.responses.ResponsesEventWriter;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RoutingFields;
import dev.aigateway.server.SseResponse;
import dev.aigateway.server.chat.ChatRequestValidator;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * {@code POST /v1/responses}: OpenAI's Responses API in (Codex CLI, the OpenAI Agents SDK), any provider out. The
 * request is validated and translated to an OpenAI chat request once: routing, admission and failover work on that.
 * Each attempt then goes one of two ways:
 * <ul>
 *   <li>a deployment that speaks the Responses API ({@link OpenAiResponsesWire}: openai/, azure/, and compatible
 *       servers whose model_info lists {@code /v1/responses}) gets the client's own body (only {@code model}
 *       rewritten), and its answer, JSON or SSE events, goes back unchanged;</li>
 *   <li>any other deployment gets the chat translation, and its answer or stream is written as a Response.</li>
 * </ul>
 * Errors have OpenAI's shape, as the Responses API's own.
 */
public final class ResponsesHandler {
    /** Where a passed-through answer rides inside the result the pipeline accounts (beside its chat usage). */
    private static final String PASSED_THROUGH = "passed_through_response";

    /** Where the Responses this gateway writes itself go once complete (the stored-state seam). */
    private static final ResponseStore STORE = ResponseStore.NONE;

    public static final LlmRoute ROUTE = new LlmRoute("responses", ResponsesHandler::asChat, ResponsesHandler::call,
            ResponsesHandler::answer, new Streaming(), ErrorShape.OPENAI);

    private ResponsesHandler() {}

    /** Checked as the Responses API defines it, translated, then checked as the chat request it became. */
    static ObjectNode asChat(ObjectNode request) {
        ResponsesRequestValidator.validate(request);
        return ChatRequestValidator.validate(RoutingFields.carry(request, ResponsesApi.toChatRequest(request)));
    }

    private static boolean passesThrough(Provider provider, ProviderRequest request) {
        return provider instanceof OpenAiResponsesWire wire && request.client() != null && wire.speaksResponses(request.deployment());
    }

    /**
     * A translated attempt's request, with the conversation a {@code previous_response_id} continues. Stored responses
     * are not kept yet, so a translated attempt cannot continue one: a 400 (a deployment that speaks the Responses
     * API keeps its own and is passed the id untouched).
     */
    static Future<ProviderRequest> expandPrevious(Provider provider, ProviderRequest request) {
        JsonNode previous = request.client() == null ? null : request.client().body().get("previous_response_id");
        if (previous == null || previous.isNull()) return Future.succeededFuture(request);
        return Future.failedFuture(GatewayException.badRequest("previous_response_id is not supported for " + provider.name()
                + " deployments yet: send the whole conversation in 'input'.", "previous_response_id"));
    }

    /** The translated attempt's request as its provider takes it, or the 400 the translation must answer. */
    private static Future<ProviderRequest> translated(Provider provider, ProviderRequest request) {
        GatewayException lost = ResponsesApi.untranslatable(request.body());
        if (lost != null) return Future.failedFuture(lost);
        return expandPrevious(provider, request).map(ResponsesApi::forProvider);
    }

    /** One non-streamed attempt; a passed-through answer travels with its usage, which the pipeline reads for accounting. */
    private static Future<ObjectNode> call(Provider provider, ProviderRequest request) {
        if (!passesThrough(provider, request)) return translated(provider, request).compose(provider::chat);
        return ((OpenAiResponsesWire) provider).responses(request).map(a -> {
            ObjectNode carried = Json.object();
            carried.set("usage", a.usage());
            carried.set(PASSED_THROUGH, a.response());
            return carried;
        });
    }

    private static ObjectNode answer(RequestContext ctx, ObjectNode request, ObjectNode result) {
        if (result.get(PASSED_THROUGH) instanceof ObjectNode response) return response;
        ObjectNode response = ResponsesApi.toResponse(result, ctx.clientBody(), ctx.modelName());
        STORE.completed(ctx.clientBody(), response);
        return response;
    }

    private static final class Streaming implements LlmRoute.Streaming {
        @Override
        public ChunkSink sink(RequestContext ctx, ObjectNode body) {
            return new EventSink(new SseResponse(ctx), ctx.clientBody(), body.path("model").asText());
        }

        @Override
        public Future<Void> start(Provider provider, ProviderRequest request, ChunkSink sink) {
            if (!passesThrough(provider, request)) return translated(provider, request).compose(r -> provider.chatStream(r, sink));
            return ((OpenAiResponsesWire) provider).responsesStream(request, sink);
        }
    }

    /**
     * The client's stream: the upstream's own events when the attempt passed through (the chat chunks beside them
     * only meter it), else the chat stream written as the Responses API's events.
     */
    private static final class EventSink implements ChunkSink {
        private final SseResponse out;
        private final ObjectNode request;
        private final ResponsesEventWriter events;
        private boolean passingThrough;
        /** The final event (response.completed ...), held back until the request is settled. */
        private Buffer last;

        EventSink(SseResponse out, ObjectNode request, String model) {
            this.out = out;
            this.request = request;
            this.events = new ResponsesEventWriter(request, model, out::write);
        }

        @Override
        public void chunk(ObjectNode chunk) {
            if (!passingThrough && !out.clientGone()) events.chunk(chunk);
        }

        @Override
        public void upstreamHeaders(MultiMap headers) {
            headers.forEach(out::header);
        }

        @Override
        public void passThrough(Buffer event, boolean last) {
            passingThrough = true;
            if (last) this.last = this.last == null ? event : this.last.appendBuffer(event);
            else if (this.last != null) this.last.appendBuffer(event); // nothing overtakes the held end
            else out.write(event);
        }

        @Override
        public void end() {
            if (passingThrough) out.end(last, 200, null);
            else out.end(() -> STORE.completed(request, events.end()), null, 200, null);
        }

        @Override
        public void fail(GatewayException error) {
            if (!passingThrough) {
                out.end(() -> events.fail(error), null, error.status(), error.type());
            } else if (last != null || error.providerError() != null) {
                out.end(last, error.status(), error.type()); // the upstream's own final or error event went through already
            } else {
                // cut or silent upstream: the client learns it from an error event, as from OpenAI's own failures
                out.end(() -> out.write(errorEvent(error)), null, error.status(), error.type());
            }
        }

        @Override
        public boolean writeQueueFull() {
            return out.writeQueueFull();
        }

        @Override
        public void drainHandler(Runnable onDrain) {
            out.drainHandler(onDrain);
        }
    }

    /** OpenAI's {@code error} stream event, for a passed-through stream that broke without its own. */
    static Buffer errorEvent(GatewayException error) {
        ObjectNode data = Json.object().put("type", "error").put("sequence_number", 0)
                .put("code", error.code()).put("message", error.getMessage()).put("param", error.param());
        return Buffer.buffer("event: error\ndata: ").appendBuffer(Json.toBuffer(data)).appendString("\n\n");
    }
}
