package dev.aigateway.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.config.RouterSettingsReader;
import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.testing.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link Failover} driven directly: a real {@link Router} over hand-made deployments, a fake attempt function that
 * fails or answers per deployment and records what it was called with, and a Vert.x context to run on (failover is
 * event-loop confined, and its backoff is a Vert.x timer). No network; the router's clock is moved by hand.
 * The gateway-level behaviour (headers, translation across providers, real timeouts) is in {@link FailoverTest}.
 */
class FailoverAttemptsTest {
    static Vertx vertx;
    static Context context;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Deployment ids in the order the attempt function was called with them. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** What a deployment's attempt does; absent: it answers with its own id. */
    final Map<String, GatewayException> failing = new HashMap<>();
    Router router;
    RouteTrace trace;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    // --- set-up helpers

    static Deployment d(String group, String id, int order) {
        ObjectNode p = Json.object().put("model", "mock/" + id).put("order", order);
        return new Deployment(id, group, "mock", id, null, null, null, null, null, 1, order, p, Json.object(), true);
    }

    /** {@code count} deployments of {@code group} named group-0, group-1, ... in one order tier. */
    static List<Deployment> many(String group, int count) {
        List<Deployment> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(d(group, group + "-" + i, 0));
        return out;
    }

    Router router(String settingsJson, List<Deployment> deployments) {
        RouterSettings s = RouterSettingsReader.read((ObjectNode) Json.parse(settingsJson), null);
        router = new Router(new ModelCatalog(deployments), s, x -> ModelPrice.UNKNOWN, clock);
        return router;
    }

    Deployment dep(String id) {
        return router.catalog().all().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }

    Function<Deployment, Future<String>> attempt() {
        return d -> {
            calls.add(d.id());
            GatewayException e = failing.get(d.id());
            return e != null ? Future.failedFuture(e) : Future.succeededFuture("answer from " + d.id());
        };
    }

    static Failover.Plan plan(String group, Deployment first, List<String> requestFallbacks, int numRetries) {
        return plan(group, first, requestFallbacks, numRetries, false, new Cancellation(), Failover.Gate.OPEN);
    }

    static Failover.Plan plan(String group, Deployment first, List<String> requestFallbacks, int numRetries, boolean stream,
                              Cancellation cancel, Failover.Gate gate) {
        return new Failover.Plan(group, first, requestFallbacks, numRetries, -1, SessionAffinity.NONE, stream, cancel, gate);
    }

    /** Runs the plan on the event loop and waits for its outcome: the answer, or the GatewayException it failed with. */
    Object run(Failover.Plan plan, Function<Deployment, Future<String>> attempt) {
        trace = new RouteTrace();
        Failover failover = new Failover(router, vertx);
        Promise<String> out = Promise.promise();
        context.runOnContext(v -> failover.run(plan, trace, attempt).onComplete(out));
        try {
            return out.future().await(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("failover neither answered nor failed within 20 s; calls: " + calls);
        } catch (GatewayException e) {
            return e;
        } catch (Exception e) {
            return fail("failed with something other than a GatewayException", e);
        }
    }

    static GatewayException error(Object outcome) {
        assertThat(outcome).as("the run should have failed").isInstanceOf(GatewayException.class);
        return (GatewayException) outcome;
    }

    static GatewayException status(int status) {
        return switch (status) {
            case 400 -> GatewayException.badRequest("bad", null);
            case 401 -> GatewayException.invalidKey("provider key rejected");
            case 429 -> GatewayException.rateLimited("slow down", 1);
            case 500 -> GatewayException.upstream("boom");
            case 503 -> GatewayException.unavailable("overloaded");
            default -> throw new IllegalArgumentException("no error for " + status);
        };
    }

    // --- retries

    @Test
    void aFailedAttemptIsRetriedAtOnceOnAnotherDeployment() {
        router("{\"allowed_fails\":100}", List.of(d("m", "a", 1), d("m", "b", 2)));
        failing.put("a", status(500));
        Object out = run(plan("m", dep("a"), null, 2), attempt());
        assertThat(out).isEqualTo("answer from b");
        assertThat(calls).containsExactly("a", "b");
        assertThat(trace.attempts()).isEqualTo(2);
        assertThat(trace.deployment().id()).isEqualTo("b");
        assertThat(trace.fallbackGroup()).isNull();
    }

    @Test
    void numRetriesBoundsTheAttemptsOnAGroupAndTheLastErrorIsAnswered() {
        router("{\"allowed_fails\":100}", many("m", 5));
        for (int i = 0; i < 5; i++) failing.put("m-" + i, GatewayException.upstream("boom from m-" + i));
        GatewayException e = error(run(plan("m", dep("m-0"), null, 2), attempt()));
        assertThat(calls).as("the first try and num_retries=2 retries, each on a deployment not tried yet").hasSize(3).doesNotHaveDuplicates();
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).isEqualTo("boom from " + calls.get(2));

        calls.clear();
        error(run(plan("m", dep("m-0"), null, 0), attempt()));
        assertThat(calls).as("num_retries=0: one attempt").containsExactly("m-0");
    }

    @Test
    void theDefaultRetryPolicyNeverRetriesTheCallersMistakes() {
        router("{\"allowed_fails\":100}", many("m", 4));
        failing.put("m-0", status(400));
        GatewayException e = error(run(plan("m", dep("m-0"), null, 3), attempt()));
        assertThat(calls).containsExactly("m-0");
        assertThat(e.status()).isEqualTo(400);

        calls.clear();
        failing.put("m-0", status(401)); // a rejected provider key is not retried either, by default
        error(run(plan("m", dep("m-0"), null, 3), attempt()));
        assertThat(calls).containsExactly("m-0");

        calls.clear();
        failing.put("m-0", status(429)); // rate limits are
        assertThat(run(plan("m", dep("m-0"), null, 3), attempt())).isNotInstanceOf(GatewayException.class);
        assertThat(calls).hasSize(2).startsWith("m-0");
    }

    @Test
    void retryPolicyOverridesNumRetriesPerKind() {
        router("{\"allowed_fails\":100,\"retry_policy\":{\"RateLimitErrorRetries\":0,\"InternalServerErrorRetries\":1}}", many("m", 5));
        for (int i = 0; i < 5; i++) failing.put("m-" + i, status(429));
        error(run(plan("m", dep("m-0"), null, 3), attempt()));
        assertThat(calls).as("RateLimitErrorRetries: 0").containsExactly("m-0");

        calls.clear();
        for (int i = 0; i < 5; i++) failing.put("m-" + i, status(500));
        error(run(plan("m", dep("m-0"), null, 3), attempt()));
        assertThat(calls).as("InternalServerErrorRetries: 1 beats num_retries: 3").hasSize(2);
    }

    @Test
    void anAttemptThatThrowsOrFailsWithoutAGatewayExceptionIsAnUpstreamFailure() {
        router("{\"allowed_fails\":100}", List.of(d("m", "a", 0)));
        GatewayException thrown = error(run(plan("m", dep("a"), null, 0), x -> {
            calls.add(x.id());
            throw new IllegalStateException("socket gone");
        }));
        assertThat(thrown.status()).isEqualTo(502);
        assertThat(thrown.code()).isEqualTo("upstream_error");
        assertThat(thrown.getMessage()).isEqualTo("mock call failed: socket gone");

        GatewayException failed = error(run(plan("m", dep("a"), null, 0), x -> Future.failedFuture(new java.io.IOException("reset"))));
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.getMessage()).isEqualTo("mock call failed: reset");
    }

    @Test
    void aRetryOnTheOnlyDeploymentWaitsABackoffButARetryAfterBeyondTenSecondsIsNotWaitedFor() {
        router("{\"allowed_fails\":100}", List.of(d("m", "a", 0)));
        failing.put("a", status(500));
        long t0 = System.nanoTime();
        error(run(plan("m", dep("a"), null, 1), attempt()));
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(calls).containsExactly("a", "a");
        assertThat(waitedMs).as("the first backoff is 250 to 500 ms (full jitter of 500 ms)").isGreaterThanOrEqualTo(250);

        calls.clear();
        failing.put("a", GatewayException.rateLimited("later", 1).withHeader("Retry-After", "30"));
        GatewayException e = error(run(plan("m", dep("a"), null, 3), attempt()));
        assertThat(calls).as("asked to wait 30 s: no retry, the error at once").containsExactly("a");
        assertThat(e.headers()).containsEntry("Retry-After", "30");
    }

    @Test
    void backoffIsExponentialWithJitterCappedAndHonoursRetryAfter() {
        GatewayException plain = status(500);
        for (int i = 0; i < 200; i++) {
            assertThat(Failover.backoff(0, plain)).isBetween(250L, 500L);
            assertThat(Failover.backoff(1, plain)).isBetween(500L, 1_000L);
            assertThat(Failover.backoff(3, plain)).isBetween(2_000L, 4_000L);
            assertThat(Failover.backoff(9, plain)).as("capped at 8 s").isBetween(4_000L, 8_000L);
            assertThat(Failover.backoff(63, plain)).as("no overflow for a huge retry count").isBetween(4_000L, 8_000L);
        }
        assertThat(Failover.backoff(0, plain.withHeader("Retry-After", "3"))).as("Retry-After longer than the backoff").isEqualTo(3_000L);
        assertThat(Failover.backoff(0, plain.withHeader("Retry-After", " 1.5 "))).isEqualTo(1_500L);
        assertThat(Failover.backoff(0, plain.withHeader("Retry-After", "10"))).as("10 s is still waited for").isEqualTo(10_000L);
        assertThat(Failover.backoff(0, plain.withHeader("Retry-After", "10.001"))).as("past 10 s: not waited for").isEqualTo(-1L);
        assertThat(Failover.backoff(0, plain.withHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")))
                .as("an HTTP date: our own backoff").isBetween(250L, 500L);
    }

    // --- cooldowns

    @Test
    void failuresThatAreTheDeploymentsFaultCountTowardsItsCooldownAndOthersDoNot() {
        router("{\"allowed_fails\":0,\"cooldown_time\":30}", List.of(d("m", "a", 1), d("m", "b", 2)));
        failing.put("a", status(400));
        error(run(plan("m", dep("a"), null, 2), attempt()));
        assertThat(router.stats(dep("a")).coolingDown(clock.millis())).as("a bad request is the caller's fault").isFalse();

        for (int s : new int[] {401, 429, 500, 503}) {
            router("{\"allowed_fails\":0,\"cooldown_time\":30}", List.of(d("m", "a", 1), d("m", "b", 2)));
            failing.put("a", status(s));
            calls.clear();
            Object out = run(plan("m", dep("a"), null, 2), attempt());
            // a rejected provider key is not retried (by default), the others are, on b
            assertThat(out).as("status " + s).isEqualTo(s == 401 ? out : "answer from b");
            if (s == 401) assertThat(error(out).status()).isEqualTo(401);
            assertThat(router.stats(dep("a")).coolingDown(clock.millis())).as("status " + s + " cools a down").isTrue();
            assertThat(router.stats(dep("b")).coolingDown(clock.millis())).isFalse();
        }

        // while a cools down, a request that picks for itself goes to b only; after cooldown_time a is back
        failing.clear();
        calls.clear();
        assertThat(run(plan("m", router.pick("m"), null, 2), attempt())).isEqualTo("answer from b");
        clock.advance(Duration.ofSeconds(31));
        assertThat(run(plan("m", router.pick("m"), null, 2), attempt())).isEqualTo("answer from a");
    }

    @Test
    void allowedFailsIsHowManyFailuresInAMinuteADeploymentMayHave() {
        router("{\"allowed_fails\":2,\"cooldown_time\":30}", List.of(d("m", "a", 1), d("m", "b", 2)));
        failing.put("a", status(500));
        for (int i = 1; i <= 2; i++) {
            run(plan("m", dep("a"), null, 1), attempt());
            assertThat(router.stats(dep("a")).coolingDown(clock.millis())).as("after failure " + i).isFalse();
        }
        run(plan("m", dep("a"), null, 1), attempt());
        assertThat(router.stats(dep("a")).coolingDown(clock.millis())).as("the third failure passes allowed_fails: 2").isTrue();
    }

    @Test
    void aGroupWhollyCoolingDownFailsAsNoHealthyDeploymentAndItsFallbacksAnswer() {
        router("{\"allowed_fails\":0,\"cooldown_time\":60,\"fallbacks\":[{\"m\":[\"f\"]}]}", List.of(d("m", "a", 0), d("f", "f1", 0)));
        router.recordFailure(dep("a"), ErrorKind.SERVER);
        GatewayException pick = null;
        try {
            router.pick("m");
        } catch (GatewayException e) {
            pick = e;
        }
        assertThat(pick).isNotNull();
        assertThat(pick.code()).isEqualTo(Router.NO_HEALTHY_DEPLOYMENT);
        Failover failover = new Failover(router, vertx);
        assertThat(failover.canFallBack("m", null, pick)).as("configured fallbacks").isTrue();
        assertThat(failover.canFallBack("f", null, pick)).as("f has none").isFalse();
        assertThat(failover.canFallBack("f", List.of("m"), pick)).as("the request's own").isTrue();
        assertThat(failover.canFallBack("m", null, GatewayException.modelNotFound("m"))).as("only a no-healthy pick falls back").isFalse();

        assertThat(run(plan("m", null, null, 2), attempt())).isEqualTo("answer from f1");
        assertThat(calls).as("the cooling deployment is not called").containsExactly("f1");
        assertThat(trace.fallbackGroup()).isEqualTo("f");
    }

    // --- fallbacks

    @Test
    void fallbacksAreTriedInOrderTheRequestsOwnFirstEachGroupOnce() {
        router("{\"allowed_fails\":100,\"fallbacks\":[{\"m\":[\"c1\",\"r2\",\"c2\"]}]}",
                List.of(d("m", "m1", 0), d("r1", "r1a", 0), d("r2", "r2a", 0), d("c1", "c1a", 0), d("c2", "c2a", 0)));
        for (String id : List.of("m1", "r1a", "r2a", "c1a", "c2a")) failing.put(id, GatewayException.upstream("boom from " + id));
        GatewayException e = error(run(plan("m", dep("m1"), List.of("r1", "unknown-group", "r2", "m"), 0), attempt()));
        assertThat(calls).as("request fallbacks, then configured ones; unknown, repeated and the original group skipped")
                .containsExactly("m1", "r1a", "r2a", "c1a", "c2a");
        assertThat(e.getMessage()).as("the last error is answered").isEqualTo("boom from c2a");
        assertThat(trace.fallbackGroup()).isEqualTo("c2");

        calls.clear();
        failing.remove("r2a");
        assertThat(run(plan("m", dep("m1"), List.of("r1", "r2"), 0), attempt())).isEqualTo("answer from r2a");
        assertThat(calls).as("the first group that answers ends the run").containsExactly("m1", "r1a", "r2a");
        assertThat(trace.fallbackGroup()).isEqualTo("r2");
    }

    @Test
    void eachFallbackGroupGetsItsOwnRetries() {
        List<Deployment> ds = new ArrayList<>(many("m", 3));
        ds.addAll(many("f", 3));
        router("{\"allowed_fails\":100,\"fallbacks\":[{\"m\":[\"f\"]}]}", ds);
        for (Deployment x : ds) failing.put(x.id(), status(500));
        error(run(plan("m", dep("m-0"), null, 1), attempt()));
        assertThat(calls).hasSize(4);
        assertThat(calls.subList(0, 2)).allMatch(id -> id.startsWith("m-"));
        assertThat(calls.subList(2, 4)).allMatch(id -> id.startsWith("f-"));
    }

    @Test
    void whichFallbacksApplyDependsOnTheKindOfError() {
        String settings = "{\"allowed_fails\":100,\"fallbacks\":[{\"m\":[\"general\"]}],\"context_window_fallbacks\":[{\"m\":[\"big\"]}],"
                + "\"content_policy_fallbacks\":[{\"m\":[\"lenient\"]}],\"default_fallbacks\":[\"dflt\"]}";
        List<Deployment> ds = List.of(d("m", "m1", 0), d("general", "g1", 0), d("big", "b1", 0), d("lenient", "l1", 0), d("dflt", "d1", 0));

        router(settings, ds);
        failing.put("m1", GatewayException.contextLengthExceeded("too long"));
        assertThat(run(plan("m", dep("m1"), null, 0), attempt())).isEqualTo("answer from b1");

        router(settings, ds);
        calls.clear();
        failing.put("m1", GatewayException.contentPolicy("refused"));
        assertThat(run(plan("m", dep("m1"), null, 0), attempt())).isEqualTo("answer from l1");

        router(settings, ds);
        calls.clear();
        failing.put("m1", status(400));
        assertThat(error(run(plan("m", dep("m1"), null, 0), attempt())).status()).as("a plain bad request has no fallback").isEqualTo(400);
        assertThat(calls).containsExactly("m1");

        router(settings, ds);
        calls.clear();
        failing.put("m1", status(503));
        assertThat(run(plan("m", dep("m1"), null, 0), attempt())).isEqualTo("answer from g1");

        router(settings.replace("\"fallbacks\":[{\"m\":[\"general\"]}],", ""), ds);
        calls.clear();
        assertThat(run(plan("m", dep("m1"), null, 0), attempt())).as("default_fallbacks for a group without its own").isEqualTo("answer from d1");
    }

    // --- the bound

    @Test
    void noRequestMakesMoreThanMaxAttemptsUpstreamCalls() {
        List<Deployment> ds = new ArrayList<>(many("m", 12));
        ds.addAll(many("f1", 12));
        ds.addAll(many("f2", 12));
        router("{\"allowed_fails\":1000,\"fallbacks\":[{\"m\":[\"f1\",\"f2\"]}]}", ds);
        for (Deployment x : ds) failing.put(x.id(), GatewayException.upstream("boom from " + x.id()));

        GatewayException e = error(run(plan("m", dep("m-0"), null, 10), attempt()));
        assertThat(calls).as("num_retries=10 on 12 deployments").hasSize(Failover.MAX_ATTEMPTS);
        assertThat(trace.attempts()).isEqualTo(Failover.MAX_ATTEMPTS);
        assertThat(e.getMessage()).as("the last upstream error, not a made-up one").isEqualTo("boom from " + calls.get(calls.size() - 1));

        calls.clear();
        error(run(plan("m", dep("m-0"), null, 5), attempt()));
        assertThat(calls).as("6 attempts on m, then only 2 left for the fallbacks").hasSize(Failover.MAX_ATTEMPTS);
        assertThat(calls.subList(6, 8)).allMatch(id -> id.startsWith("f1-"));
    }

    // --- cancellation

    @Test
    void aClientClosedErrorStopsEverythingAndCountsAgainstNothing() {
        router("{\"allowed_fails\":0,\"cooldown_time\":60,\"fallbacks\":[{\"m\":[\"f\"]}]}",
                List.of(d("m", "a", 1), d("m", "b", 2), d("f", "f1", 0)));
        failing.put("a", GatewayException.clientClosed());
        GatewayException e = error(run(plan("m", dep("a"), List.of("f"), 5), attempt()));
        assertThat(e.isClientClosed()).isTrue();
        assertThat(e.code()).isEqualTo(GatewayException.CLIENT_CLOSED);
        assertThat(calls).as("no retry, no fallback").containsExactly("a");
        assertThat(router.stats(dep("a")).coolingDown(clock.millis())).as("the client leaving is not the deployment's fault").isFalse();
        assertThat(router.stats(dep("a")).inFlight()).isZero();
    }

    /** A bug that throws inside a callback (here the gate, asked about a fallback after a failure) must not hang the request. */
    @Test
    void aStepThatThrowsInsideACallbackFailsTheRequestInsteadOfLeavingItPending() {
        router("{\"allowed_fails\":100,\"fallbacks\":[{\"m\":[\"f\"]}]}", List.of(d("m", "a", 1), d("f", "f1", 0)));
        Failover.Gate broken = new Failover.Gate() {
            @Override public boolean allows(String name) { throw new IllegalStateException("a bug"); }
            @Override public Future<Void> admit(String group, Deployment d) { return Future.succeededFuture(); }
            @Override public boolean abandoned() { return false; }
        };
        GatewayException e = error(run(plan("m", dep("a"), List.of("f"), 0, false, new Cancellation(), broken), x -> {
            calls.add(x.id());
            return Future.failedFuture(status(500));
        }));
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).contains("failed while routing");
        assertThat(calls).containsExactly("a");
    }

    @Test
    void aCancelledRequestStartsNoFurtherAttempt() {
        router("{\"allowed_fails\":100,\"fallbacks\":[{\"m\":[\"f\"]}]}", List.of(d("m", "a", 1), d("m", "b", 2), d("f", "f1", 0)));
        Cancellation cancel = new Cancellation();
        GatewayException e = error(run(plan("m", dep("a"), List.of("f"), 5, false, cancel, Failover.Gate.OPEN), x -> {
            calls.add(x.id());
            cancel.cancel(); // the client leaves while the first attempt is failing
            return Future.failedFuture(status(500));
        }));
        assertThat(e.isClientClosed()).isTrue();
        assertThat(calls).containsExactly("a");

        calls.clear();
        Cancellation early = new Cancellation();
        early.cancel();
        assertThat(error(run(plan("m", dep("a"), null, 5, false, early, Failover.Gate.OPEN), attempt())).isClientClosed()).isTrue();
        assertThat(calls).as("cancelled before the first attempt: none is made").isEmpty();
    }

    @Test
    void aCancelDuringABackoffEndsTheRunWhenTheTimerFires() {
        router("{\"allowed_fails\":100}", List.of(d("m", "a", 0)));
        failing.put("a", status(500));
        Cancellation cancel = new Cancellation();
        GatewayException e = error(run(plan("m", dep("a"), null, 3, false, cancel, Failover.Gate.OPEN), x -> {
            calls.add(x.id());
            vertx.setTimer(100, t -> cancel.cancel()); // within the first backoff (at least 250 ms)
            return Future.failedFuture(status(500));
        }));
        assertThat(e.isClientClosed()).isTrue();
        assertThat(calls).containsExactly("a");
    }

    @Test
    void anAbandonedCallerStartsNoFurtherAttempt() {
        router("{\"allowed_fails\":100}", List.of(d("m", "a", 1), d("m", "b", 2)));
        failing.put("a", status(500));
        RecordingGate gate = new RecordingGate();
        gate.abandoned = true;
        assertThat(error(run(plan("m", dep("a"), null, 3, false, new Cancellation(), gate), attempt())).isClientClosed()).isTrue();
        assertThat(calls).isEmpty();
    }

    // --- the gate

    /** A gate that records what it was asked and refuses what it is told to. */
    static final class RecordingGate implements Failover.Gate {
        final Set<String> refusedDeployments = new HashSet<>();
        final Set<String> forbiddenGroups = new HashSet<>();
        final List<String> admitted = new CopyOnWriteArrayList<>();
        volatile boolean abandoned;

        @Override
        public boolean allows(String name) {
            return !forbiddenGroups.contains(name);
        }

        @Override
        public Future<Void> admit(String group, Deployment d) {
            admitted.add(group + "/" + d.id());
            return refusedDeployments.contains(d.id()) ? Future.failedFuture(GatewayException.rateLimited("budget", 1)) : Future.succeededFuture();
        }

        @Override
        public boolean abandoned() {
            return abandoned;
        }
    }

    @Test
    void aRefusedAttemptIsNotCalledNotCountedAndAnotherDeploymentIsTried() {
        router("{\"allowed_fails\":0,\"cooldown_time\":60}", List.of(d("m", "a", 1), d("m", "b", 2), d("m", "c", 3)));
        failing.put("a", status(500));
        RecordingGate gate = new RecordingGate();
        gate.refusedDeployments.add("b");
        Object out = run(plan("m", dep("a"), null, 2, false, new Cancellation(), gate), attempt());
        assertThat(out).isEqualTo("answer from c");
        assertThat(gate.admitted).as("the first attempt was admitted by the caller already").containsExactly("m/b", "m/c");
        assertThat(calls).as("b was refused, so never called").containsExactly("a", "c");
        assertThat(router.stats(dep("b")).coolingDown(clock.millis())).isFalse();
        assertThat(trace.attempts()).isEqualTo(2);
    }

    @Test
    void aGroupWhoseDeploymentsAreAllRefusedIsSkippedForTheNextFallback() {
        router("{\"allowed_fails\":100,\"fallbacks\":[{\"m\":[\"f\",\"g\"]}]}",
                List.of(d("m", "a", 0), d("f", "f1", 0), d("f", "f2", 0), d("g", "g1", 0)));
        failing.put("a", status(500));
        RecordingGate gate = new RecordingGate();
        gate.refusedDeployments.addAll(List.of("f1", "f2"));
        assertThat(run(plan("m", dep("a"), null, 0, false, new Cancellation(), gate), attempt())).isEqualTo("answer from g1");
        assertThat(calls).containsExactly("a", "g1");
        assertThat(gate.admitted).containsExactlyInAnyOrder("f/f1", "f/f2", "g/g1");
    }

    @Test
    void aFallbackTheCallerMayNotUseIsSkippedWithoutAnAttempt() {
        router("{\"allowed_fails\":100,\"fallbacks\":[{\"m\":[\"secret\",\"open\"]}]}",
                List.of(d("m", "a", 0), d("secret", "s1", 0), d("open", "o1", 0)));
        failing.put("a", status(500));
        RecordingGate gate = new RecordingGate();
        gate.forbiddenGroups.add("secret");
        assertThat(run(plan("m", dep("a"), null, 0, false, new Cancellation(), gate), attempt())).isEqualTo("answer from o1");
        assertThat(calls).containsExactly("a", "o1");
        assertThat(gate.admitted).containsExactly("open/o1");
        assertThat(trace.fallbackGroup()).isEqualTo("open");
    }

    @Test
    void whenEverythingIsRefusedTheLastUpstreamErrorIsAnswered() {
        router("{\"allowed_fails\":100}", List.of(d("m", "a", 1), d("m", "b", 2)));
        failing.put("a", GatewayException.upstream("boom from a"));
        RecordingGate gate = new RecordingGate();
        gate.refusedDeployments.addAll(List.of("a", "b"));
        GatewayException e = error(run(plan("m", dep("a"), null, 3, false, new Cancellation(), gate), attempt()));
        assertThat(calls).containsExactly("a");
        assertThat(e.getMessage()).isEqualTo("boom from a");
    }

    // --- in-flight accounting

    @Test
    void aSuccessfulStreamStaysInFlightAndEverythingElseIsReleased() {
        router("{\"allowed_fails\":100}", List.of(d("m", "a", 1), d("m", "b", 2)));
        failing.put("a", status(500));
        run(plan("m", dep("a"), null, 1, true, new Cancellation(), Failover.Gate.OPEN), attempt());
        assertThat(router.stats(dep("a")).inFlight()).as("a failed: released").isZero();
        assertThat(router.stats(dep("b")).inFlight()).as("b streams on until its end").isEqualTo(1);

        run(plan("m", dep("b"), null, 1), attempt());
        assertThat(router.stats(dep("b")).inFlight()).as("a non-streamed answer is done").isEqualTo(1);
    }
}
