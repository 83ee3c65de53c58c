package dev.aigateway.governance.limits;

import dev.aigateway.fakes.MeteredOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link BudgetProperty} on one gateway counting in memory. Fixed seed and tries: the same mixes on every run. */
class LocalBudgetPropertyTest {
    private static MeteredOpenAi fake;
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        fake = new MeteredOpenAi();
        gw = TestGateway.start(BudgetProperty.config(fake));
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
        if (fake != null) fake.close();
    }

    @Test
    void spendStaysWithinTheBudget() throws Exception {
        BudgetProperty.forMixes(20260311L, 12, mix -> BudgetProperty.check(gw, fake, mix));
    }
}
