package dev.aigateway.governance.tenancy;

import dev.aigateway.testing.SpendTestDatabases;

/** The tenancy store on PostgreSQL (a throwaway database; skipped loudly without PostgreSQL). */
class TenancyStorePostgresTest extends TenancyStoreContract {
    private String database;

    @Override
    String databaseUrl() {
        database = SpendTestDatabases.createOrSkip("gw_tenancy_store");
        return SpendTestDatabases.gatewayUrl(database);
    }

    @Override
    void dropDatabase() {
        if (database != null) SpendTestDatabases.drop(database);
    }
}
