package dev.aigateway.server.admin;

import java.util.Map;

/** Who used what, on the default embedded SQLite database. */
class SpendAttributionSqliteTest extends SpendAttributionContract {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of();
    }
}
