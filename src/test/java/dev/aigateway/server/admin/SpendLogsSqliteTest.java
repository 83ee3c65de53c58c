package dev.aigateway.server.admin;

import java.util.Map;

/** Spend logging and the /spend routes on the default embedded SQLite database. */
class SpendLogsSqliteTest extends SpendLogsContract {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of();
    }
}
