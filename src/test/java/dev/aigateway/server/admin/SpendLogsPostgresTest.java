package dev.aigateway.server.admin;

import dev.aigateway.testing.SpendTestDatabases;
import org.junit.jupiter.api.AfterAll;

import java.util.Map;

/** Spend logging and the /spend routes on PostgreSQL (a throwaway database; skipped loudly without PostgreSQL). */
class SpendLogsPostgresTest extends SpendLogsContract {
    private String database;

    @Override
    Map<String, String> databaseEnv() {
        database = SpendTestDatabases.createOrSkip("gw_spend_logs");
        return Map.of("DATABASE_URL", SpendTestDatabases.gatewayUrl(database));
    }

    @AfterAll
    void dropDatabase() {
        SpendTestDatabases.drop(database);
    }
}
