package dev.aigateway.governance.responses;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The stored responses on the default embedded SQLite database. */
class ResponseStoreSqliteTest extends ResponseStoreContract {
    @TempDir
    static Path dir;

    @Override
    String databaseUrl() {
        return "sqlite:" + dir.resolve("gateway.db");
    }
}
