package dev.aigateway.governance.limits;

import dev.aigateway.testing.RedisProbe;
import dev.aigateway.testing.Services;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Budgets, fallbacks and abandoned answers counted in the machine's Redis (a key prefix of its own, deleted afterwards). */
class RedisBudgetGatewayTest extends BudgetGatewayContract {
    private final String prefix = "gwtest:budget:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";

    @BeforeAll
    static void redis() {
        Services.requireRedis();
    }

    @Override
    protected TestGateway startGateway(String config) {
        TestGateway g = TestGateway.start(config, Map.of("REDIS_URL", "redis://127.0.0.1:6379?key_prefix=" + prefix));
        assertThat(GatewayLimitsContract.governance(g).limiter().redisStatus()).isEqualTo("connected");
        return g;
    }

    @AfterEach
    void cleanRedis() {
        assertThat(GatewayLimitsContract.governance(gw).limiter().redisStatus()).as("counted in Redis throughout").isEqualTo("connected");
        RedisProbe.shared().deleteAll(prefix);
    }
}
