package dev.aigateway.governance.limits;

import dev.aigateway.core.Json;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.testing.PrivateRedis;
import dev.aigateway.testing.RedisProbe;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.aigateway.governance.limits.GatewayLimitsContract.install;
import static dev.aigateway.governance.limits.GatewayLimitsContract.postAsync;
import static dev.aigateway.governance.limits.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis killed under a running gateway and started again: traffic keeps flowing on local limits while
 * readiness says "degraded", and once Redis is back the gateway reports "connected" and counts in Redis again.
 * Uses a private redis-server on its own port (never the shared one).
 */
class RedisOutageTest {
    private static final String FAST = "{\"model\": \"fast\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

    @Test
    void trafficFlowsThroughARedisOutageAndLimitsGoBackToRedis() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start();
             TestGateway gw = TestGateway.start(GatewayLimitsContract.CONFIG, Map.of("REDIS_URL", redis.url()));
             LogCapture log = new LogCapture(FailoverLimiter.class)) {
            RedisProbe probe = new RedisProbe("127.0.0.1", redis.port());
            VirtualKey busy = key().rpm(10_000).build();
            install(busy, gw);
            assertThat(readiness(gw)).isEqualTo("connected");
            assertThat(chat(gw, busy).statusCode()).isEqualTo(200);
            assertThat(probe.sum("gw:rpm:k:" + busy.tokenHash() + ":*")).isEqualTo(1);

            redis.kill();
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = chat(gw, busy);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("10000"); // still limited, locally
            }
            waitUntil(() -> readiness(gw).equals("degraded"), Duration.ofSeconds(3));
            assertThat(log.count("Redis is unreachable")).isEqualTo(1);

            redis.up();
            waitUntil(() -> readiness(gw).equals("connected"), Duration.ofSeconds(5));
            assertThat(log.count("Redis is reachable again")).isEqualTo(1);
            assertThat(log.count("Redis is unreachable")).isEqualTo(1);

            VirtualKey strict = key().rpm(3).build();
            install(strict, gw);
            GatewayLimitsContract.waitForAFreshMinute();
            for (int i = 0; i < 3; i++) assertThat(chat(gw, strict).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = chat(gw, strict);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(Json.parse(refused.body()).path("error").path("message").asText()).isEqualTo("Key rpm_limit of 3 requests per minute reached.");
            assertThat(probe.sum("gw:rpm:k:" + strict.tokenHash() + ":*")).as("counted in the restarted Redis").isEqualTo(3);
        }
    }

    private static HttpResponse<String> chat(TestGateway gw, VirtualKey k) throws Exception {
        return postAsync(gw, FAST, TestKeys.secretOf(k)).get(10, TimeUnit.SECONDS);
    }

    private static String readiness(TestGateway gw) {
        return Json.parse(gw.get("/health/readiness", null).body()).path("redis").asText();
    }

    private static void waitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + limit);
            Thread.sleep(20);
        }
    }
}
