package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import io.vertx.core.Future;

import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * What an LLM route adds to the pipeline's one template ({@link RequestPipeline#llmRoute}): how its API's request is
 * checked and put into the OpenAI format the providers take, which provider call answers it, how the answer is
 * written back in its API's shape, how it streams, and the shape of its errors. The order of the steps, and
 * everything between them (authentication, the body read, routing, admission, failover, accounting), is the
 * pipeline's alone. Each route's value is built once (a constant): serving a request allocates nothing here.
 *
 * @param callType   the route's name in spend logs and metrics ({@code chat}, {@code completion}, ...)
 * @param request    validates the body as the API defines it (a 400 naming the bad field) and returns the request the
 *                   providers take: the body itself, or its translation
 * @param call       the provider call of a request that is not streamed
 * @param answer     the body of a successful answer, from the provider's result
 * @param streaming  how the route streams, or null when its API does not (a {@code stream} field is then ignored)
 * @param errorShape the body and status of an error answer
 * @param prepare    an asynchronous step before validation (e.g. reading a stored conversation the request continues),
 *                   or null: the request is validated and passed through as the client sent it
 * @param form       whether the API takes {@code multipart/form-data} instead of JSON (an upload): the form's fields
 *                   become the request's text fields and its files {@link dev.aigateway.provider.http.MultipartForm.Part}s
 * @param meter      what the request is billed for when that is not (only) the provider's token usage, or null
 */
public record LlmRoute(
        String callType,
        UnaryOperator<ObjectNode> request,
        BiFunction<Provider, ProviderRequest, Future<ObjectNode>> call,
        Answer answer,
        Streaming streaming,
        ErrorShape errorShape,
        Prepare prepare,
        boolean form,
        Meter meter) {

    /** A route without a {@link Prepare} step. */
    public LlmRoute(String callType, UnaryOperator<ObjectNode> request, BiFunction<Provider, ProviderRequest, Future<ObjectNode>> call,
                    Answer answer, Streaming streaming, ErrorShape errorShape) {
        this(callType, request, call, answer, streaming, errorShape, null);
    }

    /** A JSON route billed by the provider's token usage. */
    public LlmRoute(String callType, UnaryOperator<ObjectNode> request, BiFunction<Provider, ProviderRequest, Future<ObjectNode>> call,
                    Answer answer, Streaming streaming, ErrorShape errorShape, Prepare prepare) {
        this(callType, request, call, answer, streaming, errorShape, prepare, false, null);
    }

    /** This route, billed by {@code meter}. */
    public LlmRoute metered(Meter meter) {
        return new LlmRoute(callType, request, call, answer, streaming, errorShape, prepare, form, meter);
    }

    /** This route, reading a {@code multipart/form-data} body. */
    public LlmRoute takingForm() {
        return new LlmRoute(callType, request, call, answer, streaming, errorShape, prepare, true, meter);
    }

    /**
     * What a request is billed for, as an OpenAI usage object that may carry the gateway's non-token units
     * ({@code billed_units}, {@code price_variants}: see {@code Pricing}). The price table says what each unit costs.
     */
    @FunctionalInterface
    public interface Meter {
        /**
         * @param request the request as the providers took it
         * @param result  the provider's answer; null for what the request asks before any answer (a budget reserves
         *                that) and for a stream (billed so once an upstream accepted it)
         */
        JsonNode usage(ObjectNode request, ObjectNode result);
    }

    /**
     * Whether a {@code model} listing several models ({@code "a,b"}) is a {@link BatchCompletion}: on chat completions
     * only, as LiteLLM batches them.
     */
    public boolean batchesModelLists() {
        return "chat".equals(callType);
    }

    /**
     * What the client sent, made into the request the route validates and translates ({@code translate}) and the one a
     * provider speaking the route's own API is passed ({@code passedThrough}); both may be the client's body itself.
     * May keep state for the route's later steps ({@link RequestContext#routeState}). Runs on the request's event loop
     * after authentication and the body read; a failure is the request's answer.
     */
    @FunctionalInterface
    public interface Prepare {
        Future<Prepared> prepare(RequestContext ctx, ObjectNode clientBody);
    }

    /** See {@link Prepare}. */
    public record Prepared(ObjectNode translate, ObjectNode passedThrough) {}

    /** An answer as the client's API shapes it. */
    @FunctionalInterface
    public interface Answer {
        /** The answer the route sends for {@code result}; {@code request} is the request as the providers took it. */
        ObjectNode answer(RequestContext ctx, ObjectNode request, ObjectNode result);

        /**
         * The same, once the route has done what must precede the answer (a route that stores it first); by default at
         * once.
         */
        default Future<ObjectNode> answerLater(RequestContext ctx, ObjectNode request, ObjectNode result) {
            return Future.succeededFuture(answer(ctx, request, result));
        }

        /** The provider's (OpenAI-format) answer as it is. */
        Answer AS_IS = (ctx, request, result) -> result;
    }

    /** A streamed request: what the providers stream, and the sink that writes its chunks to the client. */
    public interface Streaming {
        /** Whether {@code request} is streamed: when it asks to ({@code stream: true}), unless the route always streams. */
        default boolean wanted(ObjectNode request) {
            return request.path("stream").asBoolean(false);
        }

        /** The body the providers stream (the request itself, or a translation: e.g. a text completion as a chat). */
        default ObjectNode body(ObjectNode request) {
            return request;
        }

        /** Writes the stream's chunks to the client; built per request, for {@code streamed} (what {@link #body} gave). */
        ChunkSink sink(RequestContext ctx, ObjectNode streamed);

        /** Starts one streamed attempt on {@code provider} into {@code sink}: a chat stream, unless the route knows better. */
        default Future<Void> start(Provider provider, ProviderRequest request, ChunkSink sink) {
            return provider.chatStream(request, sink);
        }
    }
}
