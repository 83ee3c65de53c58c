package dev.aigateway.governance.limits;

import dev.aigateway.fakes.MeteredOpenAi;
import dev.aigateway.testing.RedisProbe;
import dev.aigateway.testing.Services;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BudgetProperty} on one gateway counting in the machine's Redis (its own key prefix, deleted afterwards):
 * admit.lua must implement the same rule as the local limiter. Fixed seed and tries.
 */
class RedisBudgetPropertyTest {
    private static final String PREFIX = "gwtest:budgetprop:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    private static MeteredOpenAi fake;
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        Services.requireRedis();
        fake = new MeteredOpenAi();
        gw = TestGateway.start(BudgetProperty.config(fake), Map.of("REDIS_URL", "redis://127.0.0.1:6379?key_prefix=" + PREFIX));
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        if (fake != null) fake.close();
        RedisProbe.shared().deleteAll(PREFIX);
    }

    @Test
    void spendStaysWithinTheBudget() throws Exception {
        BudgetProperty.forMixes(20260312L, 12, mix -> {
            BudgetProperty.check(gw, fake, mix);
            assertThat(gw.server().governance().limiter().redisStatus()).as("counted in Redis throughout").isEqualTo("connected");
        });
    }
}
