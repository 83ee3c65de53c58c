package dev.aigateway.server.admin;

import dev.aigateway.testing.SpendTestDatabases;
import org.junit.jupiter.api.AfterAll;

import java.util.Map;

/** Who used what, on PostgreSQL (a throwaway database; skipped loudly without PostgreSQL). */
class SpendAttributionPostgresTest extends SpendAttributionContract {
    private String database;

    @Override
    Map<String, String> databaseEnv() {
        database = SpendTestDatabases.createOrSkip("gw_spend_attribution");
        return Map.of("DATABASE_URL", SpendTestDatabases.gatewayUrl(database));
    }

    @AfterAll
    void dropDatabase() {
        SpendTestDatabases.drop(database);
    }
}
