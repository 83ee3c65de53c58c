package dev.aigateway.governance.limits;

import dev.aigateway.testing.RedisProbe;
import dev.aigateway.testing.Services;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Gateway-level limits and budgets counted in the real Redis (a key prefix of its own, deleted afterwards). */
class RedisGatewayLimitsTest extends GatewayLimitsContract {
    private final String prefix = "gwtest:gwlimits:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";

    @BeforeAll
    static void redis() {
        Services.requireRedis();
    }

    @Override
    protected TestGateway startGateway(String config) {
        TestGateway g = TestGateway.start(config, Map.of("REDIS_URL", "redis://127.0.0.1:6379?key_prefix=" + prefix));
        assertThat(governance(g).limiter().redisStatus()).isEqualTo("connected");
        return g;
    }

    @AfterEach
    void checkRedisWasUsedAndClean() {
        RedisProbe redis = RedisProbe.shared();
        assertThat(redis.keys(prefix + "*")).as("counters in Redis").isNotEmpty();
        redis.deleteAll(prefix);
    }
}
