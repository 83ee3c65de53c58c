package dev.aigateway.governance.tenancy;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The tenancy store on the default embedded SQLite database. */
class TenancyStoreSqliteTest extends TenancyStoreContract {
    @TempDir
    static Path dir;

    @Override
    String databaseUrl() {
        return "sqlite:" + dir.resolve("gateway.db");
    }
}
