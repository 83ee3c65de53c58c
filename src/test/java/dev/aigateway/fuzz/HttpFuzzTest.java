package dev.aigateway.fuzz;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and adversarial requests at every route, from every kind of caller (master key, management and admin keys,
 * read_only, default and llm_api keys, a key with a models allow-list, one with allowed_routes, a management key
 * limited to chat, a key with a tiny budget, a rate-limited key, blocked, expired, unknown, none, an admin UI
 * session), while the provider fakes answer, fail, cut streams or hang. After each request: {@link Invariants}, and
 * no secret or ERROR in what was logged. Every 250 cases and at the end: no secret in /metrics. At the end: the
 * gateway still serves a normal chat, and the heap it holds has not grown past {@link #HEAP_GROWTH_BOUND}.
 *
 * <p>Seeded: {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.cases=N} runs more (or fewer) cases,
 * {@code -Dfuzz.case=N} sends only case N. See docs/testing.md.
 */
class HttpFuzzTest {
    static final int CI_CASES = 3000;
    /**
     * How much more heap (after full GCs) the gateway may hold after the run than before it. What it legitimately
     * keeps from the run is small: a few hundred keys and runtime models, their metrics series, the UI session,
     * spend rows waiting for the writer (all well under 20 MB). What this catches is a request's body or answer kept
     * alive: the run sends ~25 bodies of 2 to 33 MB, so keeping even a few of them passes the bound.
     */
    static final long HEAP_GROWTH_BOUND = 128L << 20;

    @Test
    void everyRouteAndCallerSurvivesAdversarialRequests() {
        long seed = Gen.seed();
        int cases = Gen.cases(CI_CASES);
        int only = Gen.onlyCase();
        try (FuzzGateway world = new FuzzGateway()) {
            FuzzRun run = new FuzzRun("http", seed, world);
            RequestGen gen = new RequestGen(world);
            long heapBefore = FuzzRun.usedHeapAfterGc();
            long started = System.nanoTime();
            world.log.drain();
            for (int i = 0; i < cases && !run.full(); i++) {
                if (only >= 0 && i != only) continue;
                RequestGen.Case c = gen.next(Gen.forCase(seed, "http", i));
                world.openai.scenario(c.openai());
                world.anthropic.scenario(c.anthropic());
                RawExchange.Response r = RawExchange.exchange(world.port(), c.request(), FuzzGateway.TIMEOUT_MS);
                run.count(c, r);
                run.learn(i, c, r);
                List<String> v = new ArrayList<>(Invariants.check(c, r, world.secrets));
                v.addAll(run.logViolations()); // lines of this case, and any late lines of the one before
                if (!v.isEmpty()) run.fail(i, c, r, v);
                if (i % 250 == 249) metricsHoldNoSecret(world, run, i);
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            metricsHoldNoSecret(world, run, cases);
            List<String> alive = world.stillServes();
            run.logViolations();
            long heapAfter = FuzzRun.usedHeapAfterGc();
            System.out.println(run.summary() + "cases: " + cases + " in " + seconds + " s; heap after GC before "
                    + (heapBefore >> 20) + " MB, after " + (heapAfter >> 20) + " MB");
            assertThat(alive).as("the gateway still serves after the run").isEmpty();
            assertThat(heapAfter - heapBefore).as("heap growth over the run (bytes)").isLessThan(HEAP_GROWTH_BOUND);
            assertThat(run.failures).as("fuzz failures (seed %d); each is printed with its replay line", seed).isEmpty();
        }
    }

    private static void metricsHoldNoSecret(FuzzGateway world, FuzzRun run, int afterCase) {
        String metrics = world.metrics();
        for (Secrets.Hit h : world.secrets.find(metrics)) {
            run.failures.add("secret in /metrics after case " + afterCase + ": " + h.name());
        }
    }
}
