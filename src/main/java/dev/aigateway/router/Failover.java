package dev.aigateway.router;

import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Decimals;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Runs one request against a model group until something answers, so clients see an answer or one
 * clean error:
 * <ol>
 *   <li>an attempt goes to the deployment the {@link Router} picks (never one already tried while an
 *       untried one is available);</li>
 *   <li>a failure counts against its deployment (towards a cooldown) when it is the deployment's fault;</li>
 *   <li>it is retried as often as {@code retry_policy}/{@code num_retries} allow for its kind: at once on
 *       another deployment when there is one, else after an exponential backoff with jitter that honours
 *       the provider's Retry-After;</li>
 *   <li>when the group's retries are spent, the fallback groups for that kind of error are tried in order
 *       (the request's own {@code fallbacks} first), each with its own retries;</li>
 *   <li>a stream is only ever failed over before it has started: once a provider accepted it, its bytes
 *       belong to the client.</li>
 * </ol>
 * Every attempt after the first passes the caller's {@link Gate} before it is sent: a fallback group the caller
 * may not use is skipped, and each attempt is admitted (budgets, rate limits) for its own model group and
 * deployment; a refused attempt moves on to another deployment, then to the next fallback group, without calling
 * anything. However many retries and fallbacks a request asks for, it makes at most {@link #MAX_ATTEMPTS} upstream
 * calls.
 */
public final class Failover {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Failover.class);
    /**
     * Upstream calls one request may make, over all its retries and fallbacks. A request's own {@code num_retries}
     * (up to 10) and fallbacks would otherwise multiply: 3 groups of 11 attempts each.
     */
    public static final int MAX_ATTEMPTS = 8;
    private static final long BASE_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 8_000;
    /** A Retry-After longer than this is not waited for: the next fallback (or the error) comes sooner. */
    private static final long MAX_RETRY_AFTER_MS = 10_000;

    private final Router router;
    private final Vertx vertx;

    public Failover(Router router, Vertx vertx) {
        this.router = router;
        this.vertx = vertx;
    }

    /**
     * What to run.
     *
     * @param group             the model group asked for (after aliases)
     * @param first             the deployment already chosen for the first attempt (admission used it), or null to pick
     *                          one here (when the group had no healthy deployment: its failure leads to the fallbacks)
     * @param requestFallbacks  the request's own {@code fallbacks}, tried before the configured ones
     * @param numRetries        retries for kinds the retry policy does not name
     * @param promptTokens      the prompt's size for pre-call checks, or -1
     * @param affinity          the request's session key ({@link SessionAffinity}), or {@link SessionAffinity#NONE}
     * @param stream            whether a successful attempt leaves a stream running (its deployment stays busy)
     * @param gate              what every attempt after the first must pass (the first, on {@code first}, passed it
     *                          already)
     * @param failGroup         LiteLLM's {@code mock_testing_fallbacks}: the group asked for fails at once, without a
     *                          call (so nothing counts against its deployments), and its fallbacks answer
     */
    public record Plan(String group, Deployment first, List<String> requestFallbacks, int numRetries,
                       long promptTokens, long affinity, boolean stream, Cancellation cancel, Gate gate, boolean failGroup) {

        public Plan(String group, Deployment first, List<String> requestFallbacks, int numRetries,
                    long promptTokens, long affinity, boolean stream, Cancellation cancel, Gate gate) {
            this(group, first, requestFallbacks, numRetries, promptTokens, affinity, stream, cancel, gate, false);
        }
    }

    /** The caller's checks on the attempts failover makes on its own (retries and fallbacks). */
    public interface Gate {
        /** Whether the caller may use the model group named {@code name} (as a fallback names it) at all. */
        boolean allows(String name);

        /**
         * Admits an attempt on deployment {@code d} of model group {@code group}: a future that fails (with the
         * refusal) when this attempt may not be made. The previous attempt, which failed, has released what it held.
         */
        Future<Void> admit(String group, Deployment d);

        /** Whether the caller has gone away: no new attempt is started (one in flight may still finish). */
        boolean abandoned();

        /**
         * Whether the attempt just made was faked by the request's own testing options (a mock stood in for the
         * deployment): its outcome says nothing about the deployment, so it feeds neither its cooldown nor its latency.
         * A key could otherwise cool down a deployment every caller shares.
         */
        default boolean faked() {
            return false;
        }

        /** No checks: every group allowed, every attempt admitted. */
        Gate OPEN = new Gate() {
            @Override public boolean allows(String name) { return true; }
            @Override public Future<Void> admit(String group, Deployment d) { return Future.succeededFuture(); }
            @Override public boolean abandoned() { return false; }
        };
    }

    /**
     * Whether a request whose group has no healthy deployment can still be answered: by the request's own fallbacks or
     * the group's configured ones. Told apart by the pick's error code, {@link Router#NO_HEALTHY_DEPLOYMENT}.
     */
    public boolean canFallBack(String group, List<String> requestFallbacks, GatewayException pickFailure) {
        if (!Router.NO_HEALTHY_DEPLOYMENT.equals(pickFailure.code())) return false;
        return requestFallbacks != null && !requestFallbacks.isEmpty()
                || !router.fallbacksFor(group, ErrorKind.of(pickFailure)).isEmpty();
    }

    public <T> Future<T> run(Plan plan, RouteTrace trace, Function<Deployment, Future<T>> attempt) {
        Promise<T> result = Promise.promise();
        new Run<>(plan, trace, attempt, result).start();
        return result.future();
    }

    /** The state of one request's failover. Event-loop confined. */
    private final class Run<T> {
        final Plan plan;
        final RouteTrace trace;
        final Function<Deployment, Future<T>> attempt;
        final Promise<T> result;
        final Set<String> groupsTried = new HashSet<>();
        Deque<String> fallbacks;
        /** The latest upstream failure: what the client gets when nothing else can be tried. */
        GatewayException lastError;

        Run(Plan plan, RouteTrace trace, Function<Deployment, Future<T>> attempt, Promise<T> result) {
            this.plan = plan;
            this.trace = trace;
            this.attempt = attempt;
            this.result = result;
        }

        void start() {
            groupsTried.add(plan.group());
            if (plan.failGroup()) {
                lastError = GatewayException.upstream("This is a mock failure of model group `" + plan.group()
                        + "` (mock_testing_fallbacks), to exercise its fallbacks.");
                groupFailed(plan.group(), lastError, ErrorKind.SERVER);
                return;
            }
            // No first deployment: the group had none healthy when the request was routed; picking again here fails
            // the same way, as a group failure, so the group's fallbacks answer.
            attemptOn(plan.group(), plan.first(), 0, new HashSet<>(), new HashSet<>());
        }

        /**
         * @param preset  the deployment of the first attempt (already admitted), else null
         * @param tried   deployments of this group that failed (a retry prefers others)
         * @param refused deployments of this group that admission refused (never picked again for this request)
         */
        void attemptOn(String group, Deployment preset, int retry, Set<String> tried, Set<String> refused) {
            if (plan.cancel().isCancelled() || plan.gate().abandoned()) {
                result.tryFail(GatewayException.clientClosed());
                return;
            }
            if (trace.attempts() >= MAX_ATTEMPTS) {
                result.tryFail(lastError != null ? lastError : GatewayException.unavailable("No attempt left for `" + group + "`."));
                return;
            }
            Deployment d;
            try {
                d = preset != null ? preset : pickAvoiding(group, tried, refused);
            } catch (GatewayException e) {
                lastError = e;
                groupFailed(group, e, ErrorKind.of(e));
                return;
            }
            if (d == null) { // admission refused every deployment of the group: it is skipped
                GatewayException why = lastError != null ? lastError
                        : GatewayException.unavailable("No deployment of `" + group + "` may take this request.");
                groupFailed(group, why, ErrorKind.of(why));
                return;
            }
            if (preset != null) {
                call(group, d, retry, tried, refused);
                return;
            }
            Future<Void> admitted;
            try {
                admitted = plan.gate().admit(group, d);
            } catch (RuntimeException e) {
                admitted = Future.failedFuture(e);
            }
            admitted.onComplete(ar -> guarded(() -> {
                if (ar.succeeded()) {
                    call(group, d, retry, tried, refused);
                } else {
                    refused.add(d.id()); // not called, so nothing counts against it
                    attemptOn(group, null, retry, tried, refused);
                }
            }));
        }

        /** A deployment not refused (and, while others remain, not already tried), or null when only refused ones are left. */
        Deployment pickAvoiding(String group, Set<String> tried, Set<String> refused) {
            return router.pick(group, tried, refused, plan.promptTokens(), plan.affinity());
        }

        void call(String group, Deployment d, int retry, Set<String> tried, Set<String> refused) {
            if (plan.cancel().isCancelled() || plan.gate().abandoned()) {
                result.tryFail(GatewayException.clientClosed());
                return;
            }
            trace.attempt(d, retry > 0);
            DeploymentStats stats = router.stats(d);
            stats.inFlight.incrementAndGet();
            router.countRequest(d);
            long started = System.nanoTime();
            Future<T> f;
            try {
                f = attempt.apply(d);
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            boolean faked = plan.gate().faked();
            f.onComplete(ar -> guarded(() -> {
                if (ar.succeeded()) {
                    if (!plan.stream()) stats.inFlight.decrementAndGet();
                    if (!faked) router.recordSuccess(d, (System.nanoTime() - started) / 1e6, plan.stream());
                    result.tryComplete(ar.result());
                    return;
                }
                stats.inFlight.decrementAndGet();
                GatewayException e = ar.cause() instanceof GatewayException g ? g
                        : GatewayException.upstream(d.provider() + " call failed: " + ar.cause().getMessage());
                ErrorKind kind = ErrorKind.of(e);
                if (kind == ErrorKind.CANCELLED) {
                    result.tryFail(e);
                    return;
                }
                lastError = e;
                if (!faked) router.recordFailure(d, kind, group, e.status());
                tried.add(d.id());
                int allowed = router.settings().retryPolicy().retriesFor(kind, plan.numRetries());
                if (retry >= allowed || trace.attempts() >= MAX_ATTEMPTS) { // no backoff for a retry that cannot happen
                    groupFailed(group, e, kind);
                    return;
                }
                long delay = router.hasUntried(group, tried) ? 0 : backoff(retry, e);
                if (delay < 0) {
                    groupFailed(group, e, kind);
                } else if (delay == 0) {
                    attemptOn(group, null, retry + 1, tried, refused);
                } else {
                    vertx.setTimer(delay, t -> guarded(() -> attemptOn(group, null, retry + 1, tried, refused)));
                }
            }));
        }

        /**
         * Runs a step inside a callback. A bug that throws there would otherwise leave the request's future pending
         * forever (a client waiting with no answer): it fails the request instead, as the 500 it is.
         */
        void guarded(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.error("Routing step failed", e);
                result.tryFail(GatewayException.serverError("The gateway failed while routing this request (a bug; its log has the details)."));
            }
        }

        void groupFailed(String group, GatewayException e, ErrorKind kind) {
            if (kind == ErrorKind.CANCELLED) {
                result.tryFail(e);
                return;
            }
            if (trace.attempts() >= MAX_ATTEMPTS) {
                result.tryFail(e);
                return;
            }
            if (fallbacks == null) {
                fallbacks = new ArrayDeque<>();
                if (plan.requestFallbacks() != null) fallbacks.addAll(plan.requestFallbacks());
                fallbacks.addAll(router.fallbacksFor(plan.group(), kind));
            }
            while (!fallbacks.isEmpty()) {
                String next = fallbacks.poll();
                // a group the caller may not use is skipped like one that does not exist
                if (groupsTried.add(next) && router.serves(next) && plan.gate().allows(next)) {
                    trace.fallback(next);
                    attemptOn(router.resolve(next), null, 0, new HashSet<>(), new HashSet<>());
                    return;
                }
            }
            result.tryFail(e);
        }
    }

    /**
     * Exponential backoff with full jitter (0.5 s, 1 s, 2 s ... up to 8 s), or the provider's Retry-After when
     * it asks for longer; -1 when it asks for more than is worth waiting.
     */
    static long backoff(int retry, GatewayException e) {
        long exp = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(retry, 10));
        long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        String ra = e.headers().get("Retry-After");
        if (ra != null) {
            try {
                long ms = (long) (Decimals.parse(ra) * 1000);
                if (ms > MAX_RETRY_AFTER_MS) return -1;
                return Math.max(jittered, ms);
            } catch (NumberFormatException ignored) {
                // an HTTP date: use our own backoff
            }
        }
        return jittered;
    }
}
