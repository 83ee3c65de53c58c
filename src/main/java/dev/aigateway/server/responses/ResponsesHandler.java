package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.responses.ResponseState;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.OpenAiResponsesWire;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderErrors;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.openai.responses.ResponsesApi;
import dev.aigateway.provider.openai.responses.ResponsesEventWriter;
import dev.aigateway.server.ClientStreamSink;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.Responses;
import dev.aigateway.server.RoutingFields;
import dev.aigateway.server.SseResponse;
import dev.aigateway.server.chat.ChatRequestValidator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Stored state ({@link ResponseState}): every Response is remembered unless the request says {@code store: false}
 * (one the gateway wrote: before its answer or final stream event goes out, so any instance can continue it at once;
 * a native one too, bound to its key, though a failure to store it does not fail the answer its upstream stored). A
 * request continuing a remembered response ({@code previous_response_id}; another key's is a 403) is expanded before
 * it is validated to the whole conversation, which routing, admission and translated attempts see; a native attempt
 * is sent the id itself when the response was native (its upstream holds the conversation), else the whole
 * conversation. An id the gateway never saw passes on to native attempts and is a 404 on translated ones.
 */
public final class ResponsesHandler {
    /** Where a passed-through answer rides inside the result the pipeline accounts (beside its chat usage). */
    private static final String PASSED_THROUGH = "passed_through_response";

    private static final Logger LOG = LoggerFactory.getLogger(ResponsesHandler.class);

    private ResponsesHandler() {}

    /**
     * {@code POST /v1/responses/compact}: OpenAI's compaction of a long conversation (OpenAI's SDKs'
     * {@code responses.compact}; Codex CLI before its remote_compaction_v2, which compacts through /v1/responses).
     * Routed, admitted and accounted as a Responses request (its body is one, without {@code stream}); a deployment
     * that speaks the Responses API gets the client's body at its own {@code /responses/compact}, and its answer (a
     * {@code response.compaction} object, whose {@code compaction} item only its upstream can read) goes back
     * unchanged. Other deployments have no compaction to offer: a 400 says so, before any upstream is called (Codex
     * then reports the compaction failed, with no fallback; its local compaction, an ordinary {@code /v1/responses}
     * turn asking for a summary, works on every deployment).
     */
    public static final LlmRoute COMPACT = new LlmRoute("responses_compact", ResponsesHandler::asChat, ResponsesHandler::compact,
            (ctx, request, result) -> (ObjectNode) result.get(PASSED_THROUGH), null, ErrorShape.OPENAI);

    /** The route, over the gateway's stored responses. */
    public static LlmRoute route(ResponseState state) {
        return new LlmRoute("responses", ResponsesHandler::asChat, ResponsesHandler::call, new Answer(state),
                new Streaming(state), ErrorShape.OPENAI, (ctx, body) -> prepare(state, ctx, body));
    }

    /**
     * What this request continues and keeps, between its steps.
     *
     * @param previousId the {@code previous_response_id} the gateway expanded, or null
     * @param expanded   its input as items (what is stored), after the conversation it continues
     * @param store      whether a Response the gateway writes is stored ({@code store} not false)
     */
    private record Turn(String previousId, ResponseState.Expanded expanded, boolean store, JsonNode instructions) {}

    /** Expands a stored conversation the request continues; remembers what a stored Response needs. */
    private static Future<LlmRoute.Prepared> prepare(ResponseState state, RequestContext ctx, ObjectNode body) {
        JsonNode previous = body.get("previous_response_id");
        String previousId = previous != null && previous.isTextual() ? previous.asText() : null;
        boolean store = !body.path("store").isBoolean() || body.path("store").asBoolean();
        if (previousId == null && !store) return Future.succeededFuture(new LlmRoute.Prepared(body, body)); // Codex: nothing to keep
        return state.expandInput(previousId, ctx.principal(), body.get("input")).map(expanded -> {
            ctx.routeState(new Turn(previousId, expanded, store, body.get("instructions")));
            if (previousId == null) return new LlmRoute.Prepared(body, body);
            // routing, admission and translated attempts see the whole conversation; a native attempt continues a native
            // response by its id (its upstream holds the conversation), anything else gets the whole conversation
            ObjectNode whole = ResponseState.withConversation(body, expanded);
            if (expanded.pinnedDeploymentId() == null) return new LlmRoute.Prepared(whole, whole);
            ctx.preferDeployment(expanded.pinnedDeploymentId()); // back to the account that holds it
            return new LlmRoute.Prepared(whole, body);
        }).recover(e -> {
            // not stored here: a native attempt's upstream may hold it (translated attempts answer the 404 themselves)
            if (previousId == null || !(e instanceof GatewayException g) || !GatewayException.NOT_FOUND.equals(g.code())) {
                return Future.failedFuture(e);
            }
            return Future.succeededFuture(new LlmRoute.Prepared(body, body));
        });
    }

    /** Checked as the Responses API defines it, translated, then checked as the chat request it became. */
    static ObjectNode asChat(ObjectNode request) {
        ResponsesRequestValidator.validate(request);
        return ChatRequestValidator.validate(RoutingFields.carry(request, ResponsesApi.toChatRequest(request)));
    }

    private static boolean passesThrough(Provider provider, ProviderRequest request) {
        return provider instanceof OpenAiResponsesWire wire && request.client() != null && wire.speaksResponses(request.deployment());
    }

    /**
     * A translated attempt's request. A {@code previous_response_id} still in the client's body is one the gateway did
     * not store (a stored one was expanded before routing): only a deployment that speaks the Responses API may know
     * it, so a translated attempt answers 404 as OpenAI does for an unknown id.
     */
    static Future<ProviderRequest> expandPrevious(Provider provider, ProviderRequest request) {
        JsonNode previous = request.client() == null ? null : request.client().body().get("previous_response_id");
        if (previous == null || previous.isNull()) return Future.succeededFuture(request);
        return Future.failedFuture(GatewayException.notFound("Previous response with id '" + ProviderErrors.bounded(previous.asText(), 64)
                + "' not found (the gateway did not store it, and a " + provider.name() + " deployment cannot continue it).",
                "previous_response_id"));
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
        return ((OpenAiResponsesWire) provider).responses(request).map(ResponsesHandler::carried);
    }

    /** One compaction attempt: only a deployment that speaks the Responses API has the endpoint. */
    private static Future<ObjectNode> compact(Provider provider, ProviderRequest request) {
        if (!passesThrough(provider, request)) {
            return Future.failedFuture(GatewayException.badRequest("Compaction (/v1/responses/compact) needs a deployment that speaks the "
                    + "Responses API; this model's " + provider.name() + " deployment does not. Compact locally (a summary asked "
                    + "through /v1/responses) or route to an openai/ or azure/ deployment.", "model"));
        }
        return ((OpenAiResponsesWire) provider).compact(request).map(ResponsesHandler::carried);
    }

    /** A passed-through answer with its usage beside it, which the pipeline reads for accounting. */
    private static ObjectNode carried(OpenAiResponsesWire.Answer a) {
        ObjectNode carried = Json.object();
        carried.set("usage", a.usage());
        carried.set(PASSED_THROUGH, a.response());
        return carried;
    }

    /** A Response the gateway wrote, stored when the request asks (see the class comment); done at once when not. */
    /** Whether this request's Response is to be remembered (its Turn says store, and a deployment answered). */
    private static boolean stores(RequestContext ctx) {
        Turn turn = ctx.routeState(Turn.class);
        return turn != null && turn.store() && ctx.deployment() != null;
    }

    private static Future<Void> remember(ResponseState state, RequestContext ctx, ObjectNode response) {
        if (!stores(ctx)) return Future.succeededFuture();
        Turn turn = ctx.routeState(Turn.class);
        return state.remember(ctx.principal(), turn.previousId(), ctx.deployment().id(), false, turn.expanded(), turn.instructions(), response);
    }

    /**
     * A native Response, remembered too: so that it is bound to the key that made it (403 for others) and continued, on
     * any deployment, as the whole conversation. Its upstream stored it as well, so a failure to store it here (the
     * database down, a Response over the size bound) does not fail the answer: its id then passes on unknown to the
     * gateway, as one made outside it does.
     */
    private static Future<Void> rememberNative(ResponseState state, RequestContext ctx, ObjectNode response) {
        if (!stores(ctx) || response == null) return Future.succeededFuture();
        Turn turn = ctx.routeState(Turn.class);
        return state.remember(ctx.principal(), turn.previousId(), ctx.deployment().id(), true, turn.expanded(), turn.instructions(), response)
                .recover(e -> {
                    LOG.warn("Request {}: a native Response could not be stored ({}); its id is not bound to the key.", ctx.requestId(),
                            e instanceof GatewayException g ? g.code() : e.getClass().getSimpleName());
                    return Future.succeededFuture();
                });
    }

    /** The Response of a passed-through stream's held final event ({@code response.completed} ...), or null. */
    static ObjectNode finalResponse(Buffer held) {
        if (held == null) return null;
        for (String line : held.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("data:")) continue;
            JsonNode event = Json.tryParse(Buffer.buffer(line.substring(5).strip()));
            if (event != null && event.path("response") instanceof ObjectNode r && r.hasNonNull("id")) return r;
        }
        return null;
    }

    private record Answer(ResponseState state) implements LlmRoute.Answer {
        @Override
        public ObjectNode answer(RequestContext ctx, ObjectNode request, ObjectNode result) {
            if (result.get(PASSED_THROUGH) instanceof ObjectNode response) return response;
            return ResponsesApi.toResponse(result, ctx.clientBody(), ctx.modelName());
        }

        @Override
        public Future<ObjectNode> answerLater(RequestContext ctx, ObjectNode request, ObjectNode result) {
            if (result.get(PASSED_THROUGH) instanceof ObjectNode response) return rememberNative(state, ctx, response).map(v -> response);
            ObjectNode response = answer(ctx, request, result);
            return remember(state, ctx, response).map(v -> response);
        }
    }

    private record Streaming(ResponseState state) implements LlmRoute.Streaming {
        @Override
        public ChunkSink sink(RequestContext ctx, ObjectNode body) {
            return new EventSink(new SseResponse(ctx), ctx, body.path("model").asText(), state);
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
    private static final class EventSink extends ClientStreamSink {
        private final RequestContext ctx;
        private final ResponseState state;
        private final ResponsesEventWriter events;

        EventSink(SseResponse out, RequestContext ctx, String model, ResponseState state) {
            super(out);
            this.ctx = ctx;
            this.state = state;
            this.events = new ResponsesEventWriter(ctx.clientBody(), model, out::write);
        }

        @Override
        public void chunk(ObjectNode chunk) {
            if (!out.passingThrough() && !out.clientGone()) events.chunk(chunk);
        }

        @Override
        public void end() {
            if (out.passingThrough()) {
                // the held final event is parsed only when its Response is kept (Codex sends store: false)
                ObjectNode response = stores(ctx) ? finalResponse(out.held()) : null;
                rememberNative(state, ctx, response).onComplete(v -> out.end(out.held(), 200, null));
                return;
            }
            // the final event goes out once the Response is stored: a client continuing it at once finds it
            remember(state, ctx, events.finish()).onComplete(stored -> {
                if (stored.succeeded()) out.end(events::complete, null, 200, null);
                else fail(Responses.asGatewayException(ctx, stored.cause()));
            });
        }

        @Override
        public void fail(GatewayException error) {
            if (!out.passingThrough()) {
                out.end(() -> events.fail(error), null, error.status(), error.type());
            } else if (out.held() != null || error.providerError() != null) {
                out.end(out.held(), error.status(), error.type()); // the upstream's own final or error event went through already
            } else {
                // cut or silent upstream: the client learns it from an error event, as from OpenAI's own failures
                out.end(() -> out.write(errorEvent(error)), null, error.status(), error.type());
            }
        }
    }

    /** OpenAI's {@code error} stream event, for a passed-through stream that broke without its own. */
    static Buffer errorEvent(GatewayException error) {
        ObjectNode data = Json.object().put("type", "error").put("sequence_number", 0)
                .put("code", error.code()).put("message", error.getMessage()).put("param", error.param());
        return Buffer.buffer("event: error\ndata: ").appendBuffer(Json.toBuffer(data)).appendString("\n\n");
    }
}
