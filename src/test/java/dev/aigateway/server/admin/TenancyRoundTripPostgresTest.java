package dev.aigateway.server.admin;

import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;

import java.util.Map;

/** The tenancy round trips on PostgreSQL (a throwaway database; skipped loudly without PostgreSQL). */
class TenancyRoundTripPostgresTest extends TenancyRoundTripContract {
    private String database;

    @Override
    TestGateway startGateway() {
        database = SpendTestDatabases.createOrSkip("gw_tenancy");
        return TestGateway.start(KeyApi.CONFIG, Map.of("DATABASE_URL", SpendTestDatabases.gatewayUrl(database)));
    }

    @Override
    void dropDatabase() {
        if (database != null) SpendTestDatabases.drop(database);
    }
}
