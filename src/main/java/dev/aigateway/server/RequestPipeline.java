package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Governance;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.limits.Admission;
import dev.aigateway.governance.limits.AdmissionRequest;
import dev.aigateway.governance.limits.Holder;
import dev.aigateway.governance.limits.Settlement;
import dev.aigateway.governance.spend.CostEstimator;
import dev.aigateway.governance.spend.WorstCase;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.ClientCall;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.Providers;
import dev.aigateway.router.Failover;
import dev.aigateway.router.Router;
import dev.aigateway.server.origin.RequestOrigin;
import dev.aigateway.server.transport.ConnectionGuard;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The steps every LLM route runs, in order:
 * <ol>
 *   <li>{@link #begin}: request id; a client that goes away cancels the upstream call and ends the request</li>
 *   <li>{@link #authenticate}: headers only, from memory (no body is read for an unknown caller)</li>
 *   <li>{@link #readJson}: size limit, one parse</li>
 *   <li>the route's own validation, and translation into the OpenAI format the providers take</li>
 *   <li>{@link #route}: model name, key aliases and permissions, deployment choice</li>
 *   <li>{@link #admit}: budgets and rate limits (in memory, or one Redis round trip)</li>
 *   <li>{@link #call} / {@link #callStream}: the provider, with retries, cooldowns and fallbacks ({@link Failover})</li>
 *   <li>the answer in the route's API shape</li>
 *   <li>{@link RequestContext#finish}: accounting (cost, limits settled, spend row) and the access log</li>
 * </ol>
 * {@link #llmRoute} is that template: an LLM route gives only what is specific to its API ({@link LlmRoute}). Other
 * routes (admin, health, models, UI) compose {@link #begin}, the authentication and body steps, and {@link #blocking}.
 *
 * <p>One pipeline per event loop ({@link GatewayServer} builds it on the loop): its own state (the access log's path
 * rule, the body-timeout guard) is confined to that loop; the services it is given are shared by all loops.
 */
public final class RequestPipeline {
    private final Vertx vertx;
    /** This event loop's transport bounds: a body that does not arrive in time fails its read through it. */
    private final ConnectionGuard guard;
    private final RequestAuth auth;
    private final Governance governance;
    private final Router router;
    private final Providers providers;
    private final Failover failover;
    private final RequestAccounting accounting;
    private final BodyBudget bodyBudget;
    private final long maxRequestBytes;

    RequestPipeline(Vertx vertx, ConnectionGuard guard, RequestAuth auth, Governance governance, Router router, Providers providers,
                    Failover failover, RequestAccounting accounting, BodyBudget bodyBudget, long maxRequestBytes) {
        this.vertx = vertx;
        this.guard = guard;
        this.auth = auth;
        this.governance = governance;
        this.router = router;
        this.providers = providers;
        this.failover = failover;
        this.accounting = accounting;
        this.bodyBudget = bodyBudget;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** The handler of an LLM route: the pipeline's steps in order, with the route's own parts where its API differs. */
    public Handler<HttpServerRequest> llmRoute(LlmRoute route) {
        return req -> serve(req, route);
    }

    private void serve(HttpServerRequest req, LlmRoute route) {
        RequestContext ctx = begin(req, route.callType());
        Future.succeededFuture(ctx)
                .map(this::authenticate)
                .compose(p -> readJson(ctx))
                .compose(raw -> {
                    ctx.origin(ctx.origin().withBody(raw)); // the end user a body names, from the tree already parsed
                    if (route.prepare() == null) return Future.succeededFuture(translated(ctx, route, raw, raw));
                    return route.prepare().prepare(ctx, raw).map(p -> translated(ctx, route, p.translate(), p.passedThrough()));
                })
                .compose(body -> answer(ctx, route, body))
                .onFailure(t -> Responses.error(ctx, t, route.errorShape()));
    }

    /** The route's validated translation of {@code request}; {@code passedThrough} is kept for providers that speak the route's API. */
    private static ObjectNode translated(RequestContext ctx, LlmRoute route, ObjectNode request, ObjectNode passedThrough) {
        ctx.client = new ClientCall(passedThrough, ctx.request().headers());
        return route.request().apply(request);
    }

    private Future<Void> answer(RequestContext ctx, LlmRoute route, ObjectNode body) {
        LlmRoute.Streaming streaming = route.streaming();
        if (streaming != null && body.path("stream").asBoolean(false)) {
            ObjectNode streamed = streaming.body(body);
            return callStream(ctx, streamed, streaming.sink(ctx, streamed), streaming);
        }
        return call(ctx, body, route.call()).compose(result -> route.answer().answerLater(ctx, body, result)).map(answer -> {
            Responses.json(ctx, 200, answer);
            return null;
        });
    }

    /** How the access log writes a request's path (set by the route table, which knows which parts are its own). */
    void pathsForLog(UnaryOperator<String> loggedPath) {
        accounting.pathsForLog(loggedPath);
    }

    /** Starts a request of an LLM route ({@code callType} names it in spend logs), or of another route (null). */
    public RequestContext begin(HttpServerRequest req, String callType) {
        // The gateway's own id keys the request's spend row: clients reuse ids (a retrying SDK, a fixed header), and a
        // reused id must never merge two requests' spend. The client's id is kept beside it for tracing across hops.
        String incoming = req.getHeader("x-request-id");
        String clientId = isSafeId(incoming) ? incoming : null;
        RequestContext ctx = new RequestContext(req, newId(), clientId, callType, accounting::finish, accounting::settle);
        if (callType != null) {
            ctx.origin(RequestOrigin.fromHeaders(req.headers()));
            accounting.started();
        }
        ctx.response().closeHandler(v -> {
            if (ctx.response().ended()) return; // answered: a later close is no abandonment
            clientLeft(ctx);
        });
        return ctx;
    }

    /**
     * The client went away before its answer ended. What the upstream already did is charged, never nothing:
     * <ul>
     *   <li>a stream whose answers are complete but whose usage chunk has not come yet is read on for it (bounded,
     *       {@link StreamMeter}); a stream cut mid-answer is cancelled and charged an estimate of its prompt and the
     *       tokens streamed;</li>
     *   <li>a non-streamed call in flight is left to finish (within its deployment timeout) and its real usage is
     *       booked: providers bill a non-streamed answer whether or not anyone reads it, so cancelling would save
     *       nothing and lose the figures; no further retry or fallback is started;</li>
     *   <li>otherwise (before any upstream call) the request just ends.</li>
     * </ul>
     * The request is recorded as 499 either way.
     */
    private void clientLeft(RequestContext ctx) {
        if (ctx.finished()) return;
        ctx.clientGone = true;
        if (ctx.meter != null && ctx.meter.sawChunk()) {
            if (ctx.meter.clientLeft()) return;
        } else if (ctx.callInFlight) {
            return;
        }
        ctx.cancel().cancel();
        ctx.finish(499, "client_closed_request");
    }

    public RequestContext begin(HttpServerRequest req) {
        return begin(req, null);
    }

    /** Authenticates the caller (see {@link RequestAuth}); refused callers get 401/403/429 before any body is read. */
    public Principal authenticate(RequestContext ctx) {
        return auth.authenticate(ctx);
    }

    /**
     * The same for an LLM route that is not billed ({@code count_tokens}: begun without a call type, so it writes no
     * spend row): the master key's first-run rule applies as on the billed routes.
     */
    public Principal authenticateLlm(RequestContext ctx) {
        return auth.authenticate(ctx, true);
    }

    /** Admin routes: the master key, or a key with an admin key_type (whose allowed_routes include the route). */
    public Principal authenticateAdmin(RequestContext ctx) {
        return auth.authenticateAdmin(ctx);
    }

    /**
     * The request's body as JSON, read within {@code max_request_size_mb}. Its bytes and the tree parsed from them are
     * charged to the instance's {@link BodyBudget} until the request finishes.
     */
    public Future<ObjectNode> readJson(RequestContext ctx) {
        BodyBudget.Hold hold = ctx.holdBody(bodyBudget);
        return BodyReader.read(ctx.request(), maxRequestBytes, hold, onTimeout(ctx))
                .map(b -> Json.parseRequest(b, hold::takeOrThrow));
    }

    private java.util.function.Consumer<Runnable> onTimeout(RequestContext ctx) {
        return action -> guard.onBodyTimeout(ctx.request(), action);
    }

    /** The same for admin routes, where no body at all counts as {@code {}}; {@code limit} caps it further. */
    public Future<ObjectNode> readJsonOrEmpty(RequestContext ctx, long limit) {
        BodyBudget.Hold hold = ctx.holdBody(bodyBudget);
        return BodyReader.read(ctx.request(), Math.min(limit, maxRequestBytes), hold, onTimeout(ctx))
                .map(b -> b.length() == 0 ? Json.object() : Json.parseRequest(b, hold::takeOrThrow));
    }

    /**
     * Validates {@code model}, applies the key's aliases and the router's model_group_alias, checks the caller
     * may use it, takes the gateway's own fields ({@code fallbacks}, {@code num_retries}) out of the body, and
     * picks the deployment for the first attempt (none, when the group is cooling down but has fallbacks).
     */
    public Deployment route(RequestContext ctx, ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) throw GatewayException.badRequest("Missing required parameter: 'model'.", "model");
        if (!model.isTextual() || model.asText().isBlank()) throw GatewayException.badRequest("'model' must be a non-empty string.", "model");
        Principal caller = ctx.principal();
        VirtualKey key = caller.key();
        String asked = key == null ? model.asText() : key.resolveAlias(model.asText());
        if (!governance.modelAccess().allows(caller, asked)) {
            throw GatewayException.permission("This key is not allowed to use the model `" + asked + "`. Allowed: " + key.models() + ".");
        }
        GatewayException refused = governance.tenancy().refusal(key, ctx.origin().endUser(), asked);
        if (refused != null) throw refused;
        ctx.holders = governance.tenancy().holders(key, ctx.origin().endUser());
        if (!router.serves(asked)) throw GatewayException.modelNotFound(asked);
        String group = router.resolve(asked);
        RoutingFields routing = RoutingFields.take(body, router.settings().numRetries());
        long promptTokens = router.settings().preCallChecks() ? CostEstimator.promptTokensIfExact(body) : -1;
        long affinity = SessionKey.of(router.settings().affinity(), ctx.origin(), body);
        ctx.routed(group, routing, promptTokens, affinity);
        try {
            Deployment preferred = ctx.preferredDeployment() == null ? null : router.available(group, ctx.preferredDeployment());
            ctx.attempting(preferred != null ? preferred : router.pick(group, java.util.Set.of(), java.util.Set.of(), promptTokens, affinity));
        } catch (GatewayException e) {
            // Every deployment of the group is cooling down: its fallbacks may still answer. Failover picks again,
            // fails the same way and moves on to them; with nowhere to fall back the 503 is answered at once.
            if (!failover.canFallBack(group, routing.fallbacks(), e)) throw e;
            ctx.attempting(null);
        }
        return ctx.deployment();
    }

    /** Budgets and rate limits for the request's first attempt (see {@link #admitAttempt}). */
    public Future<Void> admit(RequestContext ctx, ObjectNode body) {
        // No first deployment (the group is cooling down, see route): failover admits each fallback attempt it makes.
        if (ctx.deployment() == null) return Future.succeededFuture();
        return admitAttempt(ctx, body, ctx.modelName(), ctx.deployment());
    }

    /**
     * Admits one upstream attempt: for model group {@code group} (the request's, or a fallback's) on deployment
     * {@code d}. The worst case is only estimated (the prompt tokenized, once per request) when a budget applies to
     * the key for that group, so requests without budgets never pay for it. The admission may grant a smaller output
     * limit than the model's maximum (the request set none and its budget affords less): {@link #withOutputLimit}
     * sends it.
     */
    private Future<Void> admitAttempt(RequestContext ctx, ObjectNode body, String group, Deployment d) {
        VirtualKey key = ctx.principal().key();
        if (ctx.holders == null) ctx.holders = governance.tenancy().holders(key, ctx.origin().endUser());
        WorstCase cost = WorstCase.FREE;
        if (key != null && (key.maxBudget() != null || key.modelMaxBudget() != null && key.modelMaxBudget().containsKey(group))
                || anyBudget(ctx.holders)) {
            if (ctx.budgetPromptTokens < 0) ctx.budgetPromptTokens = CostEstimator.billedPromptTokens(body);
            cost = CostEstimator.worstCase(ctx.budgetPromptTokens, CostEstimator.output(body), governance.pricing().priceOf(d));
        }
        return governance.limiter()
                .admit(new AdmissionRequest(key, group, d, cost, governance.clock().instant(), ctx.holders))
                .map(a -> {
                    if (ctx.finished()) { // the client left while admission ran: release at once
                        governance.limiter().settle(a, Settlement.NOTHING);
                        throw GatewayException.clientClosed();
                    }
                    ctx.admitted(a);
                    return null;
                });
    }

    private static boolean anyBudget(List<Holder> holders) {
        for (Holder h : holders) if (h.limits().maxBudget() != null) return true;
        return false;
    }

    /** route → admit → the provider call, with retries and fallbacks; the answer's usage is kept for accounting. */
    public Future<ObjectNode> call(RequestContext ctx, ObjectNode body, BiFunction<Provider, ProviderRequest, Future<ObjectNode>> call) {
        route(ctx, body);
        return admit(ctx, body)
                .compose(v -> timed(ctx, () -> failover.run(plan(ctx, body, false), ctx.trace(), d -> {
                    ctx.attempting(d);
                    Provider provider = providers.get(d.provider());
                    Future<ObjectNode> answer;
                    try {
                        answer = call.apply(provider, new ProviderRequest(d, withOutputLimit(ctx, body, provider), ctx.cancel(), ctx.client));
                    } catch (RuntimeException e) {
                        answer = Future.failedFuture(e);
                    }
                    ctx.callInFlight = !answer.isComplete();
                    return answer.andThen(ar -> ctx.callInFlight = false);
                })))
                .map(result -> {
                    ctx.usage(result.get("usage"));
                    return result;
                });
    }

    /**
     * route → admit → a streaming call into {@code sink} (started as the route's {@code streaming} says: a chat stream,
     * or the provider's pass-through of the route's own API), failed over only until a provider accepts it;
     * usage seen in the stream is kept for accounting ({@link StreamMeter}).
     */
    public Future<Void> callStream(RequestContext ctx, ObjectNode body, ChunkSink sink, LlmRoute.Streaming streaming) {
        ctx.markStreaming();
        route(ctx, body);
        StreamMeter meter = new StreamMeter(ctx, sink, body, vertx);
        ctx.meter = meter;
        return admit(ctx, body)
                .compose(v -> timed(ctx, () -> failover.run(plan(ctx, body, true), ctx.trace(), d -> {
                    ctx.attempting(d);
                    Provider provider = providers.get(d.provider());
                    ProviderRequest request = new ProviderRequest(d, withOutputLimit(ctx, body, provider), ctx.cancel(), ctx.client);
                    return streaming.start(provider, request, meter);
                })))
                .onSuccess(v -> ctx.markStreamStarted());
    }

    /**
     * The body an attempt sends: the request's own, or, when the attempt's admission capped the output (no limit of
     * its own, a budget that affords less than the model's maximum), a copy with that limit in the field the
     * provider reads: {@code max_tokens} for a completions prompt, else the provider's chat field.
     */
    static ObjectNode withOutputLimit(RequestContext ctx, ObjectNode body, Provider provider) {
        Long capped = ctx.admission() == null ? null : ctx.admission().cappedTokens();
        if (capped == null) return body;
        ObjectNode copy = Json.object();
        copy.setAll(body);
        copy.put(body.has("prompt") && !body.has("messages") ? "max_tokens" : provider.outputLimitField(), capped);
        return copy;
    }

    private Failover.Plan plan(RequestContext ctx, ObjectNode body, boolean stream) {
        return new Failover.Plan(ctx.modelName(), ctx.deployment(), ctx.routing().fallbacks(), ctx.routing().numRetries(),
                ctx.promptTokens(), ctx.affinity(), stream, ctx.cancel(), new AttemptGate(ctx, body));
    }

    /**
     * What a retry or fallback must pass, as the first attempt did: the key's model permissions for a fallback
     * group (a group it may not use is skipped), and admission for the attempt's own model group and deployment
     * (that model's budgets and rpm/tpm, the deployment's rpm/tpm, the key's limits). The failed attempt before it
     * releases what it held first.
     */
    private final class AttemptGate implements Failover.Gate {
        private final RequestContext ctx;
        private final ObjectNode body;

        AttemptGate(RequestContext ctx, ObjectNode body) {
            this.ctx = ctx;
            this.body = body;
        }

        @Override
        public boolean allows(String name) {
            return governance.modelAccess().allows(ctx.principal(), name)
                    && governance.tenancy().refusal(ctx.principal().key(), ctx.origin().endUser(), name) == null;
        }

        @Override
        public Future<Void> admit(String group, Deployment d) {
            Admission previous = ctx.admission();
            ctx.admitted(null);
            Future<Void> released = previous == null ? Future.succeededFuture() : governance.limiter().settle(previous, Settlement.NOTHING);
            return released.compose(v -> admitAttempt(ctx, body, group, d));
        }

        @Override
        public boolean abandoned() {
            return ctx.clientGone || ctx.finished();
        }
    }

    /** Runs blocking work (database) on a worker thread, off the event loop. */
    public <T> Future<T> blocking(Callable<T> work) {
        return Vertx.currentContext().executeBlocking(work, false);
    }

    private <T> Future<T> timed(RequestContext ctx, java.util.function.Supplier<Future<T>> call) {
        ctx.upstreamStarted();
        Future<T> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.andThen(ar -> ctx.upstreamAnswered());
    }

    /** The longest client {@code x-request-id} kept (UUIDs, W3C trace ids and most proxies' ids are far shorter). */
    static final int MAX_CLIENT_ID = 128;

    /**
     * A client id the gateway may echo in a header, write to logs and store: 1 to {@link #MAX_CLIENT_ID} printable
     * ASCII characters, no space (0x21-0x7e). Anything else (non-ASCII letters, control characters, spaces) is ignored
     * and the gateway's own id is used: never an error, a tracing header must not fail a request.
     */
    static boolean isSafeId(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_CLIENT_ID) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) return false;
        }
        return true;
    }

    /**
     * The gateway's request id: {@code req-} + the time in milliseconds (12 hex digits) + 48 random bits. Ids that grow with time land at the
     * right edge of spend_logs' primary-key index instead of on a random page of it: measured on SQLite, random ids
     * made the spend writer read and rewrite pages all over the index as the table grew.
     */
    static String newId() {
        long random = ThreadLocalRandom.current().nextLong() >>> 16;
        return "req-" + hex(System.currentTimeMillis(), 12) + hex(random, 12);
    }

    private static String hex(long v, int digits) {
        char[] c = new char[digits];
        for (int i = digits - 1; i >= 0; i--, v >>>= 4) c[i] = Character.forDigit((int) (v & 0xF), 16);
        return new String(c);
    }
}
