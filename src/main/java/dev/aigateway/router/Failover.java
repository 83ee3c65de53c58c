package dev.aigateway.router;

import dev.aigateway.error.GatewayException;
import dev.aigateway.provider.Cancellation;
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
 */
public final class Failover {
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
     * @param stream            whether a successful attempt leaves a stream running (its deployment stays busy)
     */
    public record Plan(String group, Deployment first, List<String> requestFallbacks, int numRetries,
                       long promptTokens, boolean stream, Cancellation cancel) {}

    /**
     * Whether a request whose group has no healthy deployment can still be answered: by the request's own fallbacks or
     * the group's configured ones. Told apart by the pick's error code, {@link Router#NO_HEALTHY_DEPLOYMENT}.
     */
    public boolean canFallBack(String group, List<String> requestFallbacks, GatewayException pickFailure) {
        if (!Router.NO_HEALTHY_DEPLOYMENT.equals(pickFailure.code())) return false;
        return requestFallbacks != null && !requestFallbacks.isEmpty()
                || !router.settings().fallbacksFor(group, ErrorKind.of(pickFailure)).isEmpty();
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

        Run(Plan plan, RouteTrace trace, Function<Deployment, Future<T>> attempt, Promise<T> result) {
            this.plan = plan;
            this.trace = trace;
            this.attempt = attempt;
            this.result = result;
        }

        void start() {
            groupsTried.add(plan.group());
            // No first deployment: the group had none healthy when the request was routed; picking again here fails
            // the same way, as a group failure, so the group's fallbacks answer.
            attemptOn(plan.group(), plan.first(), 0, new HashSet<>());
        }

        void attemptOn(String group, Deployment preset, int retry, Set<String> tried) {
            if (plan.cancel().isCancelled()) {
                result.tryFail(GatewayException.serverError("client disconnected"));
                return;
            }
            Deployment d;
            try {
                d = preset != null ? preset : router.pick(group, tried, plan.promptTokens());
            } catch (GatewayException e) {
                groupFailed(group, e, ErrorKind.of(e));
                return;
            }
            trace.attempt(d);
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
            f.onComplete(ar -> {
                if (ar.succeeded()) {
                    if (!plan.stream()) stats.inFlight.decrementAndGet();
                    router.recordSuccess(d, (System.nanoTime() - started) / 1e6, plan.stream());
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
                router.recordFailure(d, kind, group, e.status());
                tried.add(d.id());
                int allowed = router.settings().retryPolicy().retriesFor(kind, plan.numRetries());
                if (retry >= allowed) {
                    groupFailed(group, e, kind);
                    return;
                }
                long delay = router.hasUntried(group, tried) ? 0 : backoff(retry, e);
                if (delay < 0) {
                    groupFailed(group, e, kind);
                } else if (delay == 0) {
                    attemptOn(group, null, retry + 1, tried);
                } else {
                    vertx.setTimer(delay, t -> attemptOn(group, null, retry + 1, tried));
                }
            });
        }

        void groupFailed(String group, GatewayException e, ErrorKind kind) {
            if (kind == ErrorKind.CANCELLED) {
                result.tryFail(e);
                return;
            }
            if (fallbacks == null) {
                fallbacks = new ArrayDeque<>();
                if (plan.requestFallbacks() != null) fallbacks.addAll(plan.requestFallbacks());
                fallbacks.addAll(router.settings().fallbacksFor(plan.group(), kind));
            }
            while (!fallbacks.isEmpty()) {
                String next = fallbacks.poll();
                if (groupsTried.add(next) && router.serves(next)) {
                    trace.fallback(next);
                    attemptOn(router.resolve(next), null, 0, new HashSet<>());
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
                long ms = (long) (Double.parseDouble(ra.strip()) * 1000);
                if (ms > MAX_RETRY_AFTER_MS) return -1;
                return Math.max(jittered, ms);
            } catch (NumberFormatException ignored) {
                // an HTTP date: use our own backoff
            }
        }
        return jittered;
    }
}
