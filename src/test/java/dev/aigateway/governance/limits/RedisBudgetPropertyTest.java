package dev.aigateway.governance.limits;

import dev.aigateway.fakes.MeteredOpenAi;
import dev.aigateway.testing.RedisProbe;
import dev.aigateway.testing.Services;
import dev.aigateway.testing.TestGateway;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

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

    @BeforeContainer
    static void start() {
        Services.requireRedis();
        fake = new MeteredOpenAi();
        gw = TestGateway.start(BudgetProperty.config(fake), Map.of("REDIS_URL", "redis://127.0.0.1:6379?key_prefix=" + PREFIX));
    }

    @AfterContainer
    static void stop() {
        if (gw != null) gw.close();
        if (fake != null) fake.close();
        RedisProbe.shared().deleteAll(PREFIX);
    }

    @Property(tries = 12, seed = "20260312", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void spendStaysWithinTheBudget(@ForAll("mixes") BudgetProperty.Mix mix) throws Exception {
        BudgetProperty.check(gw, fake, mix);
        assertThat(gw.server().gateway().governance().limiter().redisStatus()).as("counted in Redis throughout").isEqualTo("connected");
    }

    @Provide
    Arbitrary<BudgetProperty.Mix> mixes() {
        return BudgetProperty.mixes();
    }
}
