package dev.aigateway.server.responses;

import java.util.Map;

/** The stored responses' routes on the default embedded SQLite database. */
class StoredResponsesRoutesSqliteTest extends StoredResponsesRoutesContract {
    @Override
    Map<String, String> databaseEnv() {
        return Map.of();
    }
}
