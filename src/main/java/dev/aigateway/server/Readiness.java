package dev.aigateway.server;

import dev.aigateway.db.Database;
import dev.aigateway.governance.Governance;
import io.vertx.core.Vertx;

/**
 * Dependency status for /health/readiness, refreshed in the background every few seconds so that the
 * readiness probe itself never waits on a database.
 */
public final class Readiness {
    private final Database database;
    private final Governance governance;
    private volatile boolean databaseUp;

    public Readiness(Database database, Governance governance) {
        this.database = database;
        this.governance = governance;
        this.databaseUp = database != null && database.ping();
    }

    public void start(Vertx vertx, long periodMs) {
        if (database == null) return;
        vertx.setPeriodic(periodMs, id -> vertx.executeBlocking(() -> database.ping(), false)
                .onSuccess(up -> databaseUp = up));
    }

    public String databaseStatus() {
        if (database == null) return "not configured";
        return databaseUp ? "connected" : "disconnected";
    }

    public String redisStatus() {
        return governance.limiter().redisStatus();
    }

    /** Spend rows waiting to be written, and the age of the oldest, in milliseconds. */
    public long spendQueued() {
        return governance.spendLog().queued();
    }

    public long spendOldestAgeMillis() {
        return governance.spendLog().oldestAgeMillis();
    }

    public boolean ready() {
        return database == null || databaseUp;
    }
}
