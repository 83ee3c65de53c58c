package dev.aigateway.governance.limits;

import dev.aigateway.testing.TestGateway;

import static org.assertj.core.api.Assertions.assertThat;

/** Budgets, fallbacks and abandoned answers on one instance counting in memory. */
class LocalBudgetGatewayTest extends BudgetGatewayContract {
    @Override
    protected TestGateway startGateway(String config) {
        TestGateway g = TestGateway.start(config);
        assertThat(GatewayLimitsContract.governance(g).limiter().redisStatus()).isEqualTo("not configured");
        return g;
    }
}
