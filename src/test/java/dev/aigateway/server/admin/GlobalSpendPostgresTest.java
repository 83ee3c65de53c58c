package dev.aigateway.server.admin;

import dev.aigateway.testing.SpendTestDatabases;
import org.junit.jupiter.api.AfterAll;

import java.util.Map;

/** The /global/spend routes on PostgreSQL (a throwaway database; skipped loudly without PostgreSQL). */
class GlobalSpendPostgresTest extends GlobalSpendContract {
    private String database;

    @Override
    Map<String, String> databaseEnv() {
        database = SpendTestDatabases.createOrSkip("gw_global_spend");
        return Map.of("DATABASE_URL", SpendTestDatabases.gatewayUrl(database));
    }

    @AfterAll
    void dropDatabase() {
        SpendTestDatabases.drop(database);
    }
}
