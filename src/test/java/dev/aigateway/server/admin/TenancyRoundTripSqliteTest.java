package dev.aigateway.server.admin;

import dev.aigateway.testing.TestGateway;

/** The tenancy round trips on the default embedded SQLite. */
class TenancyRoundTripSqliteTest extends TenancyRoundTripContract {
    @Override
    TestGateway startGateway() {
        return TestGateway.start(KeyApi.CONFIG);
    }
}
