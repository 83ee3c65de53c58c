package dev.aigateway.governance.limits;

import dev.aigateway.fakes.MeteredOpenAi;
import dev.aigateway.testing.TestGateway;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** {@link BudgetProperty} on one gateway counting in memory. Fixed seed and tries: the same mixes on every run. */
class LocalBudgetPropertyTest {
    private static MeteredOpenAi fake;
    private static TestGateway gw;

    @BeforeContainer
    static void start() {
        fake = new MeteredOpenAi();
        gw = TestGateway.start(BudgetProperty.config(fake));
    }

    @AfterContainer
    static void stop() {
        if (gw != null) gw.close();
        if (fake != null) fake.close();
    }

    @Property(tries = 12, seed = "20260311", shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void spendStaysWithinTheBudget(@ForAll("mixes") BudgetProperty.Mix mix) throws Exception {
        BudgetProperty.check(gw, fake, mix);
    }

    @Provide
    Arbitrary<BudgetProperty.Mix> mixes() {
        return BudgetProperty.mixes();
    }
}
