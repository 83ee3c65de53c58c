package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Deployment;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.limits.Admission;
import dev.aigateway.governance.limits.Holder;
import dev.aigateway.router.RouteTrace;
import dev.aigateway.server.origin.RequestOrigin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One request's state as it moves through the pipeline. Confined to the request's event loop.
 * Timing is kept so the gateway can report its own overhead: total time minus time spent waiting
 * for the upstream. {@link #finish} runs the request's accounting exactly once, however it ended
 * (answered, failed, streamed, or abandoned by the client).
 */
public final class RequestContext {
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    /** The gateway's own id (always made here, unique): the spend row's key and the 500 error's reference. */
    private final String requestId;
    /** The client's {@code x-request-id} when it sent a usable one, else null: echoed back and logged, keys nothing. */
    private final String clientRequestId;
    private final String callType;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final Cancellation cancel = new Cancellation();
    private final RouteTrace trace = new RouteTrace();

    // Written by the pipeline as the request moves along (package-private setters), read through the methods below.
    private Principal principal;
    /** The tool, session and end user behind the request (LLM routes; {@link RequestOrigin#NONE} otherwise). */
    private RequestOrigin origin = RequestOrigin.NONE;
    private String modelName;
    private Deployment deployment;
    private Admission admission;
    /** The request's own routing fields (fallbacks, num_retries), taken out of the body. */
    private RoutingFields routing;
    /** The prompt's token count when pre-call checks need it, else -1. */
    private long promptTokens = -1;
    private long affinity;
    /** The deployment the route asks the first attempt to go to when it can (see {@link #preferDeployment}), or null. */
    private String preferredDeployment;
    /** What the route keeps about this request between its steps (see {@link LlmRoute.Prepare}); null for most routes. */
    private Object routeState;
    private boolean stream;
    /** A stream a provider accepted (its deployment counts it in flight until the request finishes). */
    private boolean streamStarted;
    /** The provider's OpenAI-format usage, once seen. */
    private JsonNode usage;
    /** The prompt's tokens as budgets count them (o200k, or an upper bound while it loads), once counted; else -1. */
    long budgetPromptTokens = -1;
    /** The tenancy above the request's key whose limits apply too, looked up once per request (null: not yet). */
    List<Holder> holders;
    /** The streamed answer's meter (usage, what was generated), for streams. */
    StreamMeter meter;
    /** The client's body as parsed (before the route translated it) and its headers, for pass-through providers. */
    dev.aigateway.provider.ClientCall client;
    /** The client went away before its answer ended. */
    boolean clientGone;
    /** A non-streamed upstream call is in flight (a client leaving now lets it finish, to book what it cost). */
    boolean callInFlight;
    /** What the request cost, fixed by {@link #settleThen} or at {@link #finish}, once. */
    RequestAccounting.Charge charge;
    private long upstreamStartNanos;
    private long upstreamNanos;
    private long firstByteNanos;
    private double reportedOverheadMillis = -1;
    private boolean finished;
    /** The memory the request's body and parsed JSON hold ({@link BodyBudget}); given back when the request finishes. */
    private BodyBudget.Hold bodyHold;
    private final Consumer<RequestContext> onFinish;
    private final Function<RequestContext, Future<Void>> settler;
    private int status;
    private String errorType;

    RequestContext(HttpServerRequest request, String requestId, String clientRequestId, String callType, Consumer<RequestContext> onFinish,
                   Function<RequestContext, Future<Void>> settler) {
        this.request = request;
        this.response = request.response();
        this.requestId = requestId;
        this.clientRequestId = clientRequestId;
        this.callType = callType;
        this.onFinish = onFinish;
        this.settler = settler;
    }

    // --- what the request is

    public HttpServerRequest request() {
        return request;
    }

    public HttpServerResponse response() {
        return response;
    }

    /** The gateway's own id: unique, the key of the request's spend row. */
    public String requestId() {
        return requestId;
    }

    /** The client's own {@code x-request-id}, when it sent a usable one; else null. */
    public String clientRequestId() {
        return clientRequestId;
    }

    /**
     * Asks that the first attempt go to deployment {@code id} when it serves the request's group and is available (not
     * cooling down, healthy): the deployment holding the conversation a request continues. Otherwise routing chooses.
     */
    public void preferDeployment(String id) {
        preferredDeployment = id;
    }

    String preferredDeployment() {
        return preferredDeployment;
    }

    /** Keeps the route's own state of this request (set in its {@link LlmRoute.Prepare} step). */
    public void routeState(Object state) {
        routeState = state;
    }

    /** The route's own state of this request, or null when it kept none or kept another type. */
    public <T> T routeState(Class<T> type) {
        return type.isInstance(routeState) ? type.cast(routeState) : null;
    }

    /** The client's body as parsed, before the route translated it; null before it was read. */
    public com.fasterxml.jackson.databind.node.ObjectNode clientBody() {
        return client == null ? null : client.body();
    }

    /** The LLM route's name in spend logs ({@code chat}, {@code embedding}...); null for other routes. */
    public String callType() {
        return callType;
    }

    long startMillis() {
        return startMillis;
    }

    /** Cancels the upstream call when the client goes away. */
    public Cancellation cancel() {
        return cancel;
    }

    /** Attempts, fallbacks and what they hit. */
    RouteTrace trace() {
        return trace;
    }

    // --- what the pipeline found out, in the order it finds it

    /** The caller, once authenticated; null before (or when authentication failed). */
    public Principal principal() {
        return principal;
    }

    void authenticatedAs(Principal p) {
        principal = p;
    }

    /** The tool, session and end user behind the request: headers when it began, the end user completed from its body. */
    public RequestOrigin origin() {
        return origin;
    }

    void origin(RequestOrigin o) {
        origin = o;
    }

    /** The model group the request was routed to (after aliases), or null before routing. */
    public String modelName() {
        return modelName;
    }

    RoutingFields routing() {
        return routing;
    }

    long promptTokens() {
        return promptTokens;
    }

    long affinity() {
        return affinity;
    }

    /**
     * Routing decided the request's model group, its own routing fields, (for pre-call checks) its prompt's size and
     * the session it keeps to ({@link SessionKey}).
     */
    void routed(String modelName, RoutingFields routing, long promptTokens, long affinity) {
        this.modelName = modelName;
        this.routing = routing;
        this.promptTokens = promptTokens;
        this.affinity = affinity;
    }

    /** The deployment of the current (or last) attempt, or null when none was picked. */
    public Deployment deployment() {
        return deployment;
    }

    void attempting(Deployment d) {
        deployment = d;
    }

    /** The current attempt's admission (its limits, for the x-ratelimit headers), or null. */
    Admission admission() {
        return admission;
    }

    void admitted(Admission a) {
        admission = a;
    }

    /** Whether the client asked for a stream (and the pipeline started one). */
    boolean streaming() {
        return stream;
    }

    void markStreaming() {
        stream = true;
    }

    JsonNode usage() {
        return usage;
    }

    void usage(JsonNode usage) {
        this.usage = usage;
    }

    /**
     * Settles the request's admission (its reservation released, its real cost booked) and then runs
     * {@code lastWrite}, which writes the answer's last bytes. A client that sends its next request the moment it
     * has read this one's answer must not find this one's hold still counted: with Redis, settling is a round trip,
     * so the last bytes wait for it (bounded by the limiter's timeout).
     */
    /** Settles the request's admission now (see {@link #settleThen}); what it cost is fixed from what is known. */
    Future<Void> settle() {
        return settler.apply(this);
    }

    public void settleThen(Runnable lastWrite) {
        Future<Void> settled = settler.apply(this);
        if (settled.isComplete()) {
            lastWrite.run();
            return;
        }
        Context here = Vertx.currentContext();
        settled.onComplete(ar -> {
            if (here == null || Vertx.currentContext() == here) lastWrite.run();
            else here.runOnContext(v -> lastWrite.run());
        });
    }

    /**
     * The id that traces this request across hops: the client's {@code x-request-id} when it sent one (so a proxy's
     * or SDK's id is the same in every log), else the gateway's own. The response's {@code x-request-id} and the
     * access log carry it.
     */
    public String traceId() {
        return clientRequestId != null ? clientRequestId : requestId;
    }

    /** Marks the start of the wait for the upstream. */
    public void upstreamStarted() {
        upstreamStartNanos = System.nanoTime();
    }

    /** Marks the end of the wait (answer, or first streamed byte). Only the first call counts. */
    public void upstreamAnswered() {
        if (upstreamStartNanos != 0 && upstreamNanos == 0) {
            long now = System.nanoTime();
            upstreamNanos = Math.max(1, now - upstreamStartNanos);
            if (stream) firstByteNanos = now;
        }
    }

    /** Time spent in the gateway itself so far, in milliseconds. */
    public double overheadMillis() {
        long total = System.nanoTime() - startNanos;
        long own = upstreamStartNanos == 0 ? total : total - (upstreamNanos == 0 ? System.nanoTime() - upstreamStartNanos : upstreamNanos);
        return Math.max(0, own) / 1_000_000.0;
    }

    /**
     * Fixes the overhead figure when the answer's headers go out (x-gateway-overhead-duration-ms): after that, a
     * stream's time is the provider's, chunk by chunk, not the gateway's.
     */
    public double fixOverheadMillis() {
        reportedOverheadMillis = overheadMillis();
        return reportedOverheadMillis;
    }

    /** The overhead the client was told about, or the overhead so far when no headers were sent. */
    public double reportedOverheadMillis() {
        return reportedOverheadMillis >= 0 ? reportedOverheadMillis : overheadMillis();
    }

    public double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }

    /** Milliseconds from the request's arrival to the first streamed byte, or null. */
    public Long timeToFirstTokenMillis() {
        return firstByteNanos == 0 ? null : (firstByteNanos - startNanos) / 1_000_000;
    }

    /**
     * The hold the request's body is read into. A request that has already finished (its client left) gets one that
     * is released at once, so nothing it reads can be charged and never given back.
     */
    BodyBudget.Hold holdBody(BodyBudget budget) {
        BodyBudget.Hold h = budget.hold();
        if (bodyHold != null) bodyHold.release();
        bodyHold = h;
        if (finished) h.release();
        return h;
    }

    /** Ends the request's life: its body memory given back, accounting and the access log, once. */
    public void finish(int status, String errorType) {
        if (finished) return;
        finished = true;
        if (bodyHold != null) bodyHold.release();
        this.status = status;
        this.errorType = errorType;
        onFinish.accept(this);
    }

    void markStreamStarted() {
        streamStarted = true;
    }

    boolean streamStarted() {
        return streamStarted;
    }

    public boolean finished() {
        return finished;
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }
}
