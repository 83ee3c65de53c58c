package dev.aigateway.governance.limits;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.Money;
import dev.aigateway.governance.spend.WorstCase;
import dev.aigateway.testing.MutableClock;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.aigateway.governance.limits.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The rules of {@link Limiter}, at their edges, for every implementation: each subclass supplies a limiter
 * (local, or Redis-backed) and the same tests run against it.
 */
abstract class LimiterContract {
    /** 20 s into a minute: rate-limit refusals say Retry-After: 40. */
    static final Instant START = Instant.parse("2026-03-10T12:00:20Z");
    static final Deployment DEP = TestKeys.deployment("dep-plain", "m1", null, null);
    static final Deployment DEP2 = TestKeys.deployment("dep-plain-2", "m2", null, null);

    protected final MutableClock clock = new MutableClock(START);
    protected final List<String> resets = new CopyOnWriteArrayList<>();
    protected Limiter limiter;

    /** A fresh limiter on fresh counters. */
    protected abstract Limiter newLimiter(MutableClock clock, BudgetResets resets);

    /** Settles and waits until the settlement is applied (Redis settles asynchronously). */
    protected abstract void settleNow(Admission admission, Settlement actual);

    @BeforeEach
    void createLimiter() {
        limiter = newLimiter(clock, new BudgetResets() {
            @Override
            public void windowRolled(VirtualKey k, Instant from, Instant to) {
                resets.add(k.tokenHash() + " " + from + " -> " + to);
            }

            @Override
            public void holderWindowRolled(Holder h, Instant from, Instant to) {
                resets.add(h.level() + ":" + h.id() + " " + from + " -> " + to);
            }
        });
    }

    @AfterEach
    void closeLimiter() {
        if (limiter != null) limiter.close();
    }

    // ---- helpers

    Admission admit(VirtualKey k, String model, Deployment d, long estimateNanos) {
        return await(limiter.admit(new AdmissionRequest(k, model, d, estimateNanos, clock.instant())));
    }

    Admission admit(VirtualKey k) {
        return admit(k, "m1", DEP, 0);
    }

    GatewayException refuse(VirtualKey k, String model, Deployment d, long estimateNanos) {
        try {
            Admission a = admit(k, model, d, estimateNanos);
            return fail("expected a refusal, got an admission " + a);
        } catch (GatewayException e) {
            return e;
        }
    }

    GatewayException refuse(VirtualKey k) {
        return refuse(k, "m1", DEP, 0);
    }

    void settle(Admission a, double costUsd, long tokens) {
        settleNow(a, new Settlement(Money.nanos(costUsd), tokens));
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertRateLimited(GatewayException e, String message, String retryAfter) {
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("rate_limit_error");
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.headers()).containsEntry("Retry-After", retryAfter);
    }

    static void assertBudgetExceeded(GatewayException e, String messageStart) {
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("budget_exceeded");
        assertThat(e.code()).isEqualTo("budget_exceeded");
        assertThat(e.getMessage()).startsWith(messageStart);
    }

    static long usd(double v) {
        return Money.nanos(v);
    }

    // ---- rpm / tpm / parallel

    @Test
    void rpmAdmitsExactlyTheLimitThenRefusesWithRetryAfterToTheNextMinute() {
        VirtualKey k = key().rpm(3).build();
        for (int i = 0; i < 3; i++) {
            Admission a = admit(k);
            assertThat(a.limitRequests()).isEqualTo(3);
            assertThat(a.remainingRequests()).isEqualTo(2 - i);
        }
        assertRateLimited(refuse(k), "Key rpm_limit of 3 requests per minute reached.", "40");
        assertRateLimited(refuse(k), "Key rpm_limit of 3 requests per minute reached.", "40"); // a refusal is not counted either
    }

    @Test
    void rpmWindowRollsOverAtTheMinute() {
        VirtualKey k = key().rpm(2).build();
        admit(k);
        admit(k);
        clock.set(Instant.parse("2026-03-10T12:00:59.500Z"));
        assertRateLimited(refuse(k), "Key rpm_limit of 2 requests per minute reached.", "1");
        clock.set(Instant.parse("2026-03-10T12:01:00Z"));
        assertThat(admit(k).remainingRequests()).isEqualTo(1);
        assertThat(admit(k).remainingRequests()).isZero();
        assertRateLimited(refuse(k), "Key rpm_limit of 2 requests per minute reached.", "60");
    }

    @Test
    void tpmCountsTheTokensOfSettledRequests() {
        VirtualKey k = key().tpm(100).build();
        Admission a1 = admit(k);
        assertThat(a1.limitTokens()).isEqualTo(100);
        assertThat(a1.remainingTokens()).isEqualTo(100);
        settle(a1, 0, 60);
        Admission a2 = admit(k);
        assertThat(a2.remainingTokens()).isEqualTo(40);
        Admission a3 = admit(k); // admitted while under the limit, whatever a2 will use
        settle(a2, 0, 39);
        settle(a3, 0, 1);
        assertRateLimited(refuse(k), "Key tpm_limit of 100 tokens per minute reached (100 used this minute).", "40");
        clock.set(Instant.parse("2026-03-10T12:01:00Z"));
        assertThat(admit(k).remainingTokens()).isEqualTo(100);
    }

    @Test
    void parallelSlotIsHeldUntilSettlement() {
        VirtualKey k = key().parallel(2).build();
        Admission a1 = admit(k);
        Admission a2 = admit(k);
        assertThat(a1.holdsParallelSlot()).isTrue();
        assertRateLimited(refuse(k), "Key max_parallel_requests of 2 reached (2 requests in flight).", "1");
        settleNow(a1, Settlement.NOTHING);
        Admission a3 = admit(k);
        assertRateLimited(refuse(k), "Key max_parallel_requests of 2 reached (2 requests in flight).", "1");
        settleNow(a2, Settlement.NOTHING);
        settleNow(a3, Settlement.NOTHING);
        admit(k);
        admit(k);
    }

    @Test
    void perModelLimitsApplyToTheirModelOnly() {
        VirtualKey k = key().modelRpm("m1", 2).modelTpm("m2", 10).build();
        admit(k, "m1", DEP, 0);
        admit(k, "m1", DEP, 0);
        assertRateLimited(refuse(k, "m1", DEP, 0), "Key model_rpm_limit for model 'm1' of 2 requests per minute reached.", "40");
        Admission m2 = admit(k, "m2", DEP2, 0);
        assertThat(m2.limitTokens()).isEqualTo(10);
        assertThat(m2.limitRequests()).isNull();
        settle(m2, 0, 10);
        assertRateLimited(refuse(k, "m2", DEP2, 0), "Key model_tpm_limit for model 'm2' of 10 tokens per minute reached (10 used this minute).", "40");
        admit(k, "m3", DEP2, 0); // no limit on m3
    }

    @Test
    void deploymentLimitsCountEveryKeysRequests() {
        Deployment limited = TestKeys.deployment("dep-limited-" + System.nanoTime(), "m1", 2L, null);
        VirtualKey k1 = key().build();
        VirtualKey k2 = key().build();
        assertThat(admit(k1, "m1", limited, 0).limitRequests()).isEqualTo(2);
        admit(null, "m1", limited, 0); // the master key counts too
        GatewayException e = refuse(k2, "m1", limited, 0);
        assertRateLimited(e, "Deployment rpm of model 'm1' (deployment " + limited.id() + ") of 2 requests per minute reached.", "40");
        admit(k2, "m1", DEP, 0); // another deployment of the same model is not limited

        Deployment tokens = TestKeys.deployment("dep-tokens-" + System.nanoTime(), "m1", null, 50L);
        settle(admit(null, "m1", tokens, 0), 0, 50);
        assertRateLimited(refuse(k1, "m1", tokens, 0),
                "Deployment tpm of model 'm1' (deployment " + tokens.id() + ") of 50 tokens per minute reached (50 used this minute).", "40");
    }

    @Test
    void headersReportTheTightestLimits() {
        Deployment tight = TestKeys.deployment("dep-tight-" + System.nanoTime(), "m1", 3L, null);
        VirtualKey k = key().rpm(10).tpm(1000).modelTpm("m1", 100).build();
        Admission a = admit(k, "m1", tight, 0);
        assertThat(a.limitRequests()).isEqualTo(3);
        assertThat(a.remainingRequests()).isEqualTo(2);
        assertThat(a.limitTokens()).isEqualTo(100);
        assertThat(a.remainingTokens()).isEqualTo(100);
        Admission none = admit(key().build());
        assertThat(none.limitRequests()).isNull();
        assertThat(none.limitTokens()).isNull();
    }

    // ---- budgets

    @Test
    void budgetReservesTheWorstCaseAndSettlesTheRealCost() {
        VirtualKey k = key().spend(0.5).maxBudget(1.0).build();
        Admission a1 = admit(k, "m1", DEP, usd(0.3));
        assertThat(a1.reservedNanos()).isEqualTo(usd(0.3));
        Admission a2 = admit(k, "m1", DEP, usd(0.2)); // 0.5 + 0.3 + 0.2: exactly fits
        GatewayException e = refuse(k, "m1", DEP, usd(0.01));
        assertBudgetExceeded(e, "Budget has been exceeded! Current cost: 0.5 (plus 0.5 reserved by requests in flight), Max budget: 1.0");
        assertThat(e.getMessage()).doesNotContain("resets");
        assertThat(e.headers()).doesNotContainKey("Retry-After"); // this budget never resets
        settle(a1, 0.05, 0);
        settle(a2, 0.05, 0);
        Admission a3 = admit(k, "m1", DEP, usd(0.4)); // 0.6 committed, nothing reserved: 0.4 fits
        settle(a3, 0.41, 0);
        assertBudgetExceeded(refuse(k, "m1", DEP, usd(0.2)), "Budget has been exceeded! Current cost: 1.01, Max budget: 1.0");
    }

    @Test
    void aRequestIsAdmittedOnlyIfItsOwnWorstCaseFits() {
        VirtualKey k = key().spend(0.9).maxBudget(1.0).build();
        GatewayException e = refuse(k, "m1", DEP, usd(0.2)); // 0.9 spent: room for 0.1
        assertBudgetExceeded(e, "Budget has been exceeded! Current cost: 0.9, Max budget: 1.0. This request could cost up to 0.2, more than the 0.1 left.");
        Admission fits = admit(k, "m1", DEP, usd(0.1));
        assertThat(fits.reservedNanos()).isEqualTo(usd(0.1));
        assertBudgetExceeded(refuse(k, "m1", DEP, 0), "Budget has been exceeded! Current cost: 0.9 (plus 0.1 reserved by requests in flight), Max budget: 1.0");
    }

    /** $2 per million output tokens (2e6 pico-USD a token) and a $0.01 prompt: the $50 worst case of a 25M max_tokens. */
    static WorstCase explicitLimit(long maxTokens) {
        return new WorstCase(usd(0.01), 2_000_000, maxTokens, maxTokens);
    }

    static WorstCase noLimit(long modelMaxOutput) {
        return new WorstCase(usd(0.01), 2_000_000, 1, modelMaxOutput);
    }

    Admission admit(VirtualKey k, WorstCase cost) {
        return await(limiter.admit(new AdmissionRequest(k, "m1", DEP, cost, clock.instant())));
    }

    GatewayException refuse(VirtualKey k, WorstCase cost) {
        try {
            return fail("expected a refusal, got an admission " + admit(k, cost));
        } catch (GatewayException e) {
            return e;
        }
    }

    @Test
    void anExplicitMaxTokensThatCannotFitIsRefusedNamingTheLargestThatWould() {
        VirtualKey k = key().maxBudget(1.0).build();
        GatewayException e = refuse(k, explicitLimit(25_000_000));
        // (1.0 - 0.01) USD / 2e-6 USD a token = 495000 tokens
        assertBudgetExceeded(e, "Budget has been exceeded! Current cost: 0.0, Max budget: 1.0. This request could cost up to 50.01 with "
                + "its max_tokens of 25000000, more than the 1.0 left; the largest max_tokens that fits is 495000.");
        assertThat(e.param()).isEqualTo("max_tokens");
        refuse(k, explicitLimit(495_001));
        Admission a = admit(k, explicitLimit(495_000));
        assertThat(a.reservedNanos()).isEqualTo(usd(1.0));
        assertThat(a.grantedTokens()).isEqualTo(495_000);
        assertThat(a.cappedTokens()).isNull(); // an explicit limit is never changed: admitted as is, or refused
        settleNow(a, new Settlement(usd(0.995), 0));
        assertBudgetExceeded(refuse(k, explicitLimit(10_000)), "Budget has been exceeded! Current cost: 0.995, Max budget: 1.0. "
                + "This request could cost up to 0.03 with its max_tokens of 10000, more than the 0.005 left; no max_tokens fits "
                + "(the prompt alone could cost 0.01).");
    }

    @Test
    void aRequestWithoutItsOwnLimitIsCappedToWhatTheBudgetAffords() {
        VirtualKey k = key().spend(0.9).maxBudget(1.0).build();
        Admission a = admit(k, noLimit(100_000)); // the model's maximum would cost 0.21; 0.1 is left
        assertThat(a.grantedTokens()).isEqualTo(45_000); // (0.1 - 0.01) / 2e-6
        assertThat(a.cappedTokens()).isEqualTo(45_000);
        assertThat(a.reservedNanos()).isEqualTo(usd(0.1));
        assertBudgetExceeded(refuse(k, noLimit(100_000)), "Budget has been exceeded! Current cost: 0.9 (plus 0.1 reserved by requests in flight), Max budget: 1.0");
        settleNow(a, new Settlement(usd(0.02), 0)); // committed 0.92
        Admission b = admit(k, noLimit(100_000));
        assertThat(b.cappedTokens()).isEqualTo(35_000);
        settleNow(b, new Settlement(usd(0.075), 0)); // committed 0.995: not even one token and the prompt fit
        GatewayException e = refuse(k, noLimit(100_000));
        assertBudgetExceeded(e, "Budget has been exceeded! Current cost: 0.995, Max budget: 1.0. This request could cost at least 0.010002, more than the 0.005 left.");
        assertThat(e.param()).isNull();

        VirtualKey rich = key().maxBudget(100.0).build();
        Admission uncapped = admit(rich, noLimit(100_000));
        assertThat(uncapped.grantedTokens()).isEqualTo(100_000);
        assertThat(uncapped.cappedTokens()).isNull();
        assertThat(uncapped.reservedNanos()).isEqualTo(usd(0.21));
    }

    @Test
    void anAdjustmentCorrectsASettlementWithoutReleasingAnythingTwice() {
        VirtualKey k = key().maxBudget(1.0).parallel(1).tpm(1_000).build();
        Admission a = admit(k, "m1", DEP, usd(0.5));
        settle(a, 0.3, 10); // settled with an estimate
        await(limiter.adjust(a, new Settlement(usd(0.2), 5))); // the real cost came later: 0.5
        Admission b = admit(k, "m1", DEP, usd(0.5)); // 0.5 committed + 0.5 fits; the parallel slot was freed once
        assertBudgetExceeded(refuse(k, "m1", DEP, 0), "Budget has been exceeded! Current cost: 0.5 (plus 0.5 reserved by requests in flight), Max budget: 1.0");
        await(limiter.adjust(a, new Settlement(-usd(0.1), 0))); // or an estimate that was too high
        settle(b, 0.0, 0);
        assertThat(admit(k, "m1", DEP, usd(0.6)).reservedNanos()).isEqualTo(usd(0.6)); // 0.4 committed
    }

    @Test
    void theTightestBudgetCapsTheOutput() {
        VirtualKey k = key().maxBudget(1.0).modelBudget("m1", 0.05, "1d").build();
        Admission a = admit(k, noLimit(100_000)); // the key affords 0.21, the model budget 0.05
        assertThat(a.cappedTokens()).isEqualTo(20_000);
        assertThat(a.reservedNanos()).isEqualTo(usd(0.05));
    }

    @Test
    void budgetJustBelowTheLimitAdmitsAndExactlyAtItRefuses() {
        VirtualKey k = key().spend(0.999999999).maxBudget(1.0).build();
        Admission a = admit(k, "m1", DEP, 0);
        settleNow(a, new Settlement(1, 0)); // one nano-dollar more: exactly at the limit
        assertBudgetExceeded(refuse(k, "m1", DEP, 0), "Budget has been exceeded! Current cost: 1.0, Max budget: 1.0");
    }

    @Test
    void perModelBudgetHasItsOwnWindow() {
        VirtualKey k = key().modelBudget("m1", 0.1, "1d").build();
        Admission a = admit(k, "m1", DEP, usd(0.05));
        assertThat(a.reservedNanos()).isEqualTo(usd(0.05));
        settle(a, 0.1, 0);
        GatewayException e = refuse(k, "m1", DEP, usd(0.05));
        assertBudgetExceeded(e, "Budget has been exceeded for model 'm1'! Current cost: 0.1, Max budget: 0.1. The budget resets at 2026-03-11T00:00:00Z.");
        assertThat(e.headers()).containsEntry("Retry-After", Long.toString(Duration.between(START, Instant.parse("2026-03-11T00:00:00Z")).toSeconds()));
        admit(k, "m2", DEP2, usd(0.05));
        clock.set(Instant.parse("2026-03-11T00:00:00Z"));
        admit(k, "m1", DEP, usd(0.05));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "30s, 2026-03-10T12:00:30Z, 2026-03-10T12:01:00Z, 2026-03-10T12:01:35Z, 2026-03-10T12:02:00Z",
            "30d, 2026-03-20T00:00:00Z, 2026-04-19T00:00:00Z, 2026-05-01T00:00:00Z, 2026-05-19T00:00:00Z",
            "1mo, 2026-03-31T00:00:00Z, 2026-04-30T00:00:00Z, 2026-06-15T00:00:00Z, 2026-06-30T00:00:00Z"})
    void budgetWindowResetsWhenTheClockPassesItsEnd(String duration, Instant resetAt, Instant nextEnd, Instant muchLater, Instant muchLaterEnd) {
        VirtualKey k = key().spend(1.0).maxBudget(1.0).budgetDuration(duration, resetAt).build();
        GatewayException e = refuse(k, "m1", DEP, usd(0.1));
        assertBudgetExceeded(e, "Budget has been exceeded! Current cost: 1.0, Max budget: 1.0. The budget resets at " + resetAt + ".");
        assertThat(e.headers()).containsEntry("Retry-After", Long.toString(Duration.between(START, resetAt).toSeconds()));
        assertThat(resets).isEmpty();

        clock.set(resetAt);
        Admission a = admit(k, "m1", DEP, usd(0.1)); // a new window: committed starts at 0
        assertThat(resets).containsExactly(k.tokenHash() + " " + resetAt + " -> " + nextEnd);
        settle(a, 1.0, 0);
        GatewayException again = refuse(k, "m1", DEP, usd(0.1));
        assertBudgetExceeded(again, "Budget has been exceeded! Current cost: 1.0, Max budget: 1.0. The budget resets at " + nextEnd + ".");
        assertThat(again.headers()).containsEntry("Retry-After", Long.toString(Duration.between(resetAt, nextEnd).toSeconds()));

        clock.set(muchLater); // windows nobody used are skipped
        admit(k, "m1", DEP, usd(0.1));
        assertThat(resets).last().isEqualTo(k.tokenHash() + " " + resetAt + " -> " + muchLaterEnd);
    }

    @Test
    void committedIsSeededAgainOnlyWhenTheStoredWindowChanges() {
        Instant r1 = Instant.parse("2026-03-10T12:05:00Z");
        VirtualKey k = key().spend(0.2).maxBudget(0.6).budgetDuration("5m", r1).build();
        settle(admit(k, "m1", DEP, 0), 0.3, 0); // committed 0.5
        VirtualKey sameWindow = TestKeys.withStored(k, 0.0, r1); // a reload of the same window: the live figure wins
        settle(admit(sameWindow, "m1", DEP, 0), 0.1, 0);
        assertBudgetExceeded(refuse(sameWindow, "m1", DEP, 0), "Budget has been exceeded! Current cost: 0.6, Max budget: 0.6.");
        VirtualKey newWindow = TestKeys.withStored(k, 0.55, Instant.parse("2026-03-10T12:30:00Z")); // e.g. reset by an admin
        settle(admit(newWindow, "m1", DEP, 0), 0.05, 0);
        assertBudgetExceeded(refuse(newWindow, "m1", DEP, 0), "Budget has been exceeded! Current cost: 0.6, Max budget: 0.6.");
    }

    @Test
    void softBudgetWarnsOncePerWindowAndNeverBlocks() {
        String alias = "soft-" + System.nanoTime();
        VirtualKey k = key().alias(alias).softBudget(0.5).budgetDuration("30s", Instant.parse("2026-03-10T12:00:30Z")).build();
        try (LogCapture log = new LogCapture(SoftBudgetWarnings.class)) {
            settle(admit(k), 0.3, 0);
            assertThat(log.count(alias)).isZero();
            settle(admit(k), 0.3, 0);
            assertThat(log.count(alias)).isEqualTo(1);
            assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains("Key " + alias + " crossed its soft budget: spend 0.6 USD >= soft_budget 0.5 USD"));
            settle(admit(k), 0.3, 0);
            settle(admit(k), 0.3, 0);
            assertThat(log.count(alias)).isEqualTo(1);
            clock.set(Instant.parse("2026-03-10T12:00:31Z")); // next window
            settle(admit(k), 0.4, 0);
            assertThat(log.count(alias)).isEqualTo(1);
            settle(admit(k), 0.4, 0);
            assertThat(log.count(alias)).isEqualTo(2);
        }
    }

    // ---- all or nothing

    @Test
    void aRefusedRequestCountsAndReservesNothing() {
        VirtualKey k = key().rpm(3).modelRpm("m1", 1).parallel(4).maxBudget(1.0).build();
        admit(k, "m1", DEP, usd(0.25));
        // refused by the model rpm after the budget, parallel and key rpm checks passed: none of them moved
        assertRateLimited(refuse(k, "m1", DEP, usd(0.25)), "Key model_rpm_limit for model 'm1' of 1 requests per minute reached.", "40");
        admit(k, "m2", DEP2, usd(0.25));
        admit(k, "m2", DEP2, usd(0.25)); // the key's 3rd request this minute: the refused one did not count
        assertRateLimited(refuse(k, "m2", DEP2, usd(0.25)), "Key rpm_limit of 3 requests per minute reached.", "40");
        clock.set(Instant.parse("2026-03-10T12:01:00Z"));
        Admission fourth = admit(k, "m2", DEP2, usd(0.25)); // 4th in flight: the refused ones held no slot nor budget
        assertThat(fourth.holdsParallelSlot()).isTrue();
        assertBudgetExceeded(refuse(k, "m2", DEP2, usd(0.25)),
                "Budget has been exceeded! Current cost: 0.0 (plus 1.0 reserved by requests in flight), Max budget: 1.0");
    }

    // ---- concurrency

    @Test
    void concurrentAdmissionsAreCountedExactly() throws Exception {
        VirtualKey rpm = key().rpm(50).build();
        VirtualKey parallel = key().parallel(7).build();
        AtomicInteger rpmAdmitted = new AtomicInteger();
        AtomicInteger parallelAdmitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 40; i++) {
                    try {
                        admit(rpm);
                        rpmAdmitted.incrementAndGet();
                    } catch (GatewayException refused) {
                        assertThat(refused.status()).isEqualTo(429);
                    }
                    try {
                        admit(parallel);
                        parallelAdmitted.incrementAndGet();
                    } catch (GatewayException refused) {
                        assertThat(refused.status()).isEqualTo(429);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (var f : done) f.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(rpmAdmitted.get()).isEqualTo(50);
        assertThat(parallelAdmitted.get()).isEqualTo(7);
    }

    // ---- holders: the tenancy above a key (organization, team, membership, user, end user)

    static Holder holder(Check.Level level, String id, Limits limits, double spend, Instant resetAt) {
        String kind = switch (level) {
            case ORGANIZATION -> "Organization";
            case TEAM -> "Team";
            case TEAM_MEMBER -> "Team member";
            case USER -> "User";
            default -> "End user";
        };
        return new Holder(level, id, kind + "=" + id, limits, spend, resetAt);
    }

    static Limits budget(double max) {
        return new Limits(max, null, null, null, null, null);
    }

    static Limits rpm(long rpm) {
        return new Limits(null, null, null, rpm, null, null);
    }

    Admission admit(VirtualKey k, long estimateNanos, Holder... holders) {
        return await(limiter.admit(new AdmissionRequest(k, "m1", DEP, WorstCase.fixed(estimateNanos), clock.instant(), List.of(holders))));
    }

    GatewayException refuse(VirtualKey k, long estimateNanos, Holder... holders) {
        try {
            return fail("expected a refusal, got an admission " + admit(k, estimateNanos, holders));
        } catch (GatewayException e) {
            return e;
        }
    }

    @Test
    void aTeamBudgetIsSharedByEveryKeyOfTheTeamAndNeverOverspent() {
        Holder team = holder(Check.Level.TEAM, "ml", budget(1.0), 0.4, null);
        VirtualKey a = key().build();
        VirtualKey b = key().build();
        VirtualKey c = key().build();
        Admission first = admit(a, usd(0.3), team);
        Admission second = admit(b, usd(0.3), team); // 0.4 stored + 0.6 reserved = the budget, exactly
        assertBudgetExceeded(refuse(c, usd(0.01), team), "Budget has been exceeded! Team=ml Current cost: 0.4 (plus 0.6 reserved");
        settle(first, 0.3, 10);
        settle(second, 0.3, 10);
        assertBudgetExceeded(refuse(c, 0, team), "Budget has been exceeded! Team=ml Current cost: 1.0, Max budget: 1.0");
        assertThat(admit(c, 0)).isNotNull(); // the same key outside the team: only its own (absent) limits
    }

    @Test
    void aHolderRateLimitCountsTheRequestsOfAllItsKeys() {
        Holder team = holder(Check.Level.TEAM, "ml", rpm(2), 0, null);
        admit(key().build(), 0, team);
        admit(key().build(), 0, team);
        assertRateLimited(refuse(key().build(), 0, team), "Team=ml rpm_limit of 2 requests per minute reached.", "40");
        clock.advance(Duration.ofMinutes(1));
        assertThat(admit(key().build(), 0, team)).isNotNull();
    }

    @Test
    void aRequestPassesOnlyIfEveryLevelAllowsIt() {
        Holder org = holder(Check.Level.ORGANIZATION, "acme", budget(10.0), 0, null);
        Holder team = holder(Check.Level.TEAM, "ml", budget(5.0), 0, null);
        Holder user = holder(Check.Level.USER, "alice", new Limits(null, null, null, null, null, 1L), 0, null);
        Holder endUser = holder(Check.Level.END_USER, "customer-7", budget(0.5), 0.5, null);
        VirtualKey k = key().build();
        assertBudgetExceeded(refuse(k, usd(0.01), org, team, user, endUser), "Budget has been exceeded! End user=customer-7 Current cost: 0.5");
        Admission held = admit(k, usd(0.01), org, team, user); // another end user: the rest allow it
        assertRateLimited(refuse(key().build(), 0, org, team, user), "User=alice max_parallel_requests of 1 reached (1 requests in flight).", "1");
        settle(held, 0.01, 5);
        Admission again = admit(key().build(), 0, org, team, user); // the slot is free again, for any of alice's keys
        assertThat(again).isNotNull();
    }

    @Test
    void aHoldersRolledWindowStartsFromZeroAndIsAnnounced() {
        Instant resetAt = START.minus(Duration.ofHours(1));
        Holder team = holder(Check.Level.TEAM, "ml", new Limits(1.0, null, "1d", null, null, null), 5.0, resetAt);
        Admission a = admit(key().build(), usd(0.5), team); // 5.0 was the old window's spend
        assertThat(a).isNotNull();
        assertThat(resets).containsExactly("TEAM:ml " + resetAt + " -> " + resetAt.plus(Duration.ofDays(1)));
    }

    @Test
    void admissionsOverlappingHoldersInAnyOrderNeverDeadlock() throws Exception {
        // One key's plan touches the user's scope before the team's (budget before rpm), the other's the other way round.
        Holder teamBudget = holder(Check.Level.TEAM, "ml", budget(1_000.0), 0, null);
        Holder userRpm = holder(Check.Level.USER, "alice", rpm(1_000_000), 0, null);
        Holder teamRpm = holder(Check.Level.TEAM, "ml", rpm(1_000_000), 0, null);
        Holder userBudget = holder(Check.Level.USER, "alice", budget(1_000.0), 0, null);
        VirtualKey a = key().build();
        VirtualKey b = key().build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean first = t % 2 == 0;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        Admission adm = first ? admit(a, usd(0.000001), teamBudget, userRpm) : admit(b, usd(0.000001), teamRpm, userBudget);
                        settle(adm, 0.000001, 1);
                    }
                }));
            }
            for (var r : runs) r.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
