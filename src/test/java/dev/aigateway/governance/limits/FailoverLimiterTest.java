package dev.aigateway.governance.limits;

import dev.aigateway.cluster.RedisEndpoint;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.testing.MutableClock;
import dev.aigateway.testing.PrivateRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static dev.aigateway.governance.limits.LimiterContract.DEP;
import static dev.aigateway.governance.limits.LimiterContract.START;
import static dev.aigateway.governance.limits.LimiterContract.await;
import static dev.aigateway.governance.limits.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Degraded mode against a private redis-server that the test kills, restarts and stalls. */
class FailoverLimiterTest {
    private final MutableClock clock = new MutableClock(START);
    private PrivateRedis redis;
    private Vertx vertx;
    private Redis admin;
    private FailoverLimiter limiter;
    private RedisEndpoint endpoint;

    @BeforeEach
    void start() {
        redis = PrivateRedis.start();
        vertx = Vertx.vertx();
        endpoint = RedisEndpoint.parse(redis.url() + "?key_prefix=gwtest:failover:");
        admin = Redis.createClient(vertx, endpoint.options());
        RedisLimiter shared = new RedisLimiter(Redis.createClient(vertx, endpoint.options()), endpoint.prefix(), clock,
                BudgetResets.NONE, new SoftBudgetWarnings());
        await(shared.loadScripts());
        limiter = new FailoverLimiter(vertx, shared, new LocalLimiter(clock), 1_000, 200);
    }

    @AfterEach
    void stop() {
        if (limiter != null) limiter.close();
        if (admin != null) admin.close();
        if (vertx != null) await(vertx.close());
        if (redis != null) redis.close();
    }

    private Admission admit(VirtualKey k) {
        return await(limiter.admit(new AdmissionRequest(k, "m1", DEP, 0, clock.instant())));
    }

    private Response redisGet(String key) {
        return await(admin.send(Request.cmd(Command.GET).arg(key)));
    }

    @Test
    void countsLocallyWhileRedisIsDownThenGoesBackToRedis() {
        VirtualKey busy = key().rpm(1000).build();
        String busyCounter = "gwtest:failover:rpm:k:" + busy.tokenHash() + ":" + LimitPlan.minute(START);
        assertThat(admit(busy).hold()).isInstanceOf(RedisLimiter.RedisHold.class);
        assertThat(limiter.redisStatus()).isEqualTo("connected");
        assertThat(redisGet(busyCounter).toLong()).isEqualTo(1);

        try (LogCapture log = new LogCapture(FailoverLimiter.class)) {
            redis.kill();
            for (int i = 0; i < 20; i++) assertThat(admit(busy).remainingRequests()).isNotNull(); // traffic keeps flowing
            assertThat(limiter.redisStatus()).isEqualTo("degraded");
            assertThat(admit(busy).hold()).isNotInstanceOf(RedisLimiter.RedisHold.class);
            assertThat(log.count("Redis is unreachable")).isEqualTo(1);

            VirtualKey three = key().rpm(3).build(); // limits still hold, per instance
            admit(three);
            admit(three);
            admit(three);
            assertThatThrownBy(() -> admit(three)).hasMessage("Key rpm_limit of 3 requests per minute reached.");

            redis.up();
            waitUntil(() -> limiter.redisStatus().equals("connected"), Duration.ofSeconds(5));
            assertThat(log.count("Redis is reachable again")).isEqualTo(1);
            assertThat(log.count("Redis is unreachable")).isEqualTo(1);
        }
        Admission back = admit(busy);
        assertThat(back.hold()).isInstanceOf(RedisLimiter.RedisHold.class);
        assertThat(redisGet(busyCounter).toLong()).isEqualTo(1); // a fresh Redis, counting again
    }

    @Test
    void anAdmissionRedisAnsweredTooLateIsReleased() {
        VirtualKey k = key().parallel(5).build();
        String inFlight = "gwtest:failover:par:k:" + k.tokenHash();
        admin.send(Request.cmd(Command.DEBUG).arg("SLEEP").arg("2")); // Redis stalls for two seconds
        sleep(50);
        Admission a = admit(k); // times out after 1 s: answered locally
        assertThat(a.hold()).isNotInstanceOf(RedisLimiter.RedisHold.class);
        assertThat(limiter.redisStatus()).isEqualTo("degraded");
        waitUntil(() -> limiter.redisStatus().equals("connected"), Duration.ofSeconds(5));
        // Redis ran the stalled admission after it woke up; the limiter settled it at once
        waitUntil(() -> await(admin.send(Request.cmd(Command.ZCARD).arg(inFlight))).toLong() == 0, Duration.ofSeconds(2));
    }

    static void waitUntil(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + limit);
            sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
