package dev.aigateway.server.admin;

import dev.aigateway.testing.TestGateway;

/** The key round trips on the default embedded SQLite database. */
class KeyRoundTripSqliteTest extends KeyRoundTripTest {
    @Override
    TestGateway startGateway() {
        return TestGateway.start(KeyApi.CONFIG);
    }
}
