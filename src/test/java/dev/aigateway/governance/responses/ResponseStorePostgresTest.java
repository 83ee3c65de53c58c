package dev.aigateway.governance.responses;

import dev.aigateway.testing.SpendTestDatabases;
import org.junit.jupiter.api.AfterAll;

/** The stored responses on PostgreSQL (a throwaway database; skipped loudly without PostgreSQL). */
class ResponseStorePostgresTest extends ResponseStoreContract {
    private String database;

    @Override
    String databaseUrl() {
        database = SpendTestDatabases.createOrSkip("gw_responses");
        return SpendTestDatabases.gatewayUrl(database);
    }

    @AfterAll
    void dropDatabase() {
        close();
        SpendTestDatabases.drop(database);
    }
}
