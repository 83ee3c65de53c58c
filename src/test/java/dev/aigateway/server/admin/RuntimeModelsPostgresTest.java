package dev.aigateway.server.admin;

import java.util.Map;

/** The runtime-model contract on PostgreSQL (a fresh database; skipped loudly when PostgreSQL is not running). */
class RuntimeModelsPostgresTest extends RuntimeModelsContract {
    private String database;

    @Override
    Map<String, String> databaseEnv() {
        database = ModelTestSupport.createPostgresDatabase("gw_models");
        return ModelTestSupport.postgresEnv(database);
    }

    @Override
    void afterStop() {
        ModelTestSupport.dropPostgresDatabase(database);
    }
}
