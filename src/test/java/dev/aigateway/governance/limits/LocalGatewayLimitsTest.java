package dev.aigateway.governance.limits;

import dev.aigateway.testing.TestGateway;

/** Gateway-level limits and budgets on one instance without Redis (SQLite). */
class LocalGatewayLimitsTest extends GatewayLimitsContract {
    @Override
    protected TestGateway startGateway(String config) {
        TestGateway g = TestGateway.start(config);
        org.assertj.core.api.Assertions.assertThat(governance(g).limiter().redisStatus()).isEqualTo("not configured");
        return g;
    }
}
