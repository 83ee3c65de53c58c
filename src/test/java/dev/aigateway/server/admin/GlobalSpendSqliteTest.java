package dev.aigateway.server.admin;

import java.util.Map;

/** The /global/spend routes on the default embedded SQLite database. */
class GlobalSpendSqliteTest extends GlobalSpendContract {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of();
    }
}
