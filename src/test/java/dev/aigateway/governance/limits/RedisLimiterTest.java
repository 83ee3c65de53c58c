package dev.aigateway.governance.limits;

import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.testing.MutableClock;
import dev.aigateway.testing.Services;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static dev.aigateway.governance.limits.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

/** The limiter contract, counted in the real Redis (a prefix of its own per test, deleted afterwards). */
class RedisLimiterTest extends LimiterContract {
    private static Vertx vertx;
    private static Redis admin;
    private final String prefix = "gwtest:limits:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    private final List<RedisLimiter> extra = new ArrayList<>();

    @BeforeAll
    static void connect() {
        Services.requireRedis();
        vertx = Vertx.vertx();
        admin = Redis.createClient(vertx, "redis://127.0.0.1:6379");
    }

    @AfterAll
    static void disconnect() {
        if (admin != null) admin.close();
        if (vertx != null) await(vertx.close());
    }

    @Override
    protected Limiter newLimiter(MutableClock clock, BudgetResets resets) {
        return new RedisLimiter(Redis.createClient(vertx, "redis://127.0.0.1:6379"), prefix, clock, resets, new SoftBudgetWarnings());
    }

    @Override
    protected void settleNow(Admission admission, Settlement actual) {
        await(((RedisLimiter) limiter).settle((RedisLimiter.RedisHold) admission.hold(), actual));
    }

    @AfterEach
    void deleteKeys() {
        extra.forEach(RedisLimiter::close);
        for (String k : keys()) await(admin.send(Request.cmd(Command.DEL).arg(k)));
    }

    private List<String> keys() {
        Response r = await(admin.send(Request.cmd(Command.KEYS).arg(prefix + "*")));
        List<String> out = new ArrayList<>();
        for (Response k : r) out.add(k.toString());
        return out;
    }

    private long pttl(String key) {
        return await(admin.send(Request.cmd(Command.PTTL).arg(key))).toLong();
    }

    @Test
    void everyCounterExpires() {
        VirtualKey k = key().rpm(5).tpm(100).parallel(2).maxBudget(1.0).budgetDuration("30d", START.plus(Duration.ofDays(30))).build();
        Admission a = admit(k, "m1", DEP, usd(0.01));
        settle(admit(k, "m1", DEP, usd(0.01)), 0.001, 10);
        List<String> keys = keys();
        long minute = LimitPlan.minute(START);
        String h = k.tokenHash();
        assertThat(keys).containsExactlyInAnyOrder(prefix + "rpm:k:" + h + ":" + minute, prefix + "tpm:k:" + h + ":" + minute,
                prefix + "par:k:" + h, prefix + "bud:k:" + h + ":" + START.plus(Duration.ofDays(30)).toEpochMilli(), prefix + "res:k:" + h);
        assertThat(pttl(prefix + "rpm:k:" + h + ":" + minute)).isBetween(1L, RedisLimiter.MINUTE_TTL_MS);
        assertThat(pttl(prefix + "tpm:k:" + h + ":" + minute)).isBetween(1L, RedisLimiter.MINUTE_TTL_MS);
        assertThat(pttl(prefix + "par:k:" + h)).isBetween(1L, RedisLimiter.HOLD_MS);
        assertThat(pttl(prefix + "res:k:" + h)).isBetween(1L, RedisLimiter.HOLD_MS);
        assertThat(pttl(prefix + "bud:k:" + h + ":" + START.plus(Duration.ofDays(30)).toEpochMilli()))
                .isBetween(Duration.ofDays(30).toMillis(), Duration.ofDays(30).toMillis() + RedisLimiter.WINDOW_MARGIN_MS);
        settleNow(a, Settlement.NOTHING);
    }

    @Test
    void holdsOfACrashedInstanceAreDroppedAfterTheirDeadline() {
        VirtualKey k = key().parallel(1).maxBudget(1.0).build();
        admit(k, "m1", DEP, usd(0.9)); // never settled: its instance "crashed"
        assertBudgetExceeded(refuse(k, "m1", DEP, usd(0.9)), "Budget has been exceeded! Current cost: 0.0 (plus 0.9 reserved");
        clock.advance(Duration.ofMillis(RedisLimiter.HOLD_MS + 1_000));
        Admission a = admit(k, "m1", DEP, usd(0.9)); // the stale slot and reservation are gone
        assertThat(a.holdsParallelSlot()).isTrue();
    }

    @Test
    void scriptsAreSentAgainWhenRedisForgotThem() {
        VirtualKey k = key().rpm(2).build();
        admit(k);
        await(admin.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
        assertThat(admit(k).remainingRequests()).isZero(); // NOSCRIPT -> EVAL, still counted in Redis
        assertRateLimited(refuse(k), "Key rpm_limit of 2 requests per minute reached.", "40");
    }

    @Test
    void instancesShareCountersAndTheFirstSeedWins() {
        RedisLimiter other = new RedisLimiter(Redis.createClient(vertx, "redis://127.0.0.1:6379"), prefix, clock, BudgetResets.NONE, new SoftBudgetWarnings());
        extra.add(other);
        VirtualKey k = key().spend(0.5).maxBudget(1.0).build();
        settle(admit(k, "m1", DEP, 0), 0.3, 0); // committed 0.8
        VirtualKey stale = TestKeys.withStored(k, 0.0, null); // the other instance still holds an older copy of the key
        Admission there = await(other.admit(new AdmissionRequest(stale, "m1", DEP, 0, clock.instant())));
        await(other.settle((RedisLimiter.RedisHold) there.hold(), new Settlement(usd(0.2), 0))); // not re-seeded: 1.0
        assertBudgetExceeded(refuse(k, "m1", DEP, 0), "Budget has been exceeded! Current cost: 1.0, Max budget: 1.0");

        VirtualKey rpm = key().rpm(2).build();
        admit(rpm);
        Admission second = await(other.admit(new AdmissionRequest(rpm, "m1", DEP, 0, clock.instant())));
        assertThat(second.remainingRequests()).isZero();
        assertRateLimited(refuse(rpm), "Key rpm_limit of 2 requests per minute reached.", "40");
    }
}
