package dev.aigateway.server;

import dev.aigateway.store.Database;
import io.vertx.core.Vertx;

/**
 * Dependency status for /health/readiness, refreshed in the background every few seconds so that the
 * readiness probe itself never waits on a database.
 */
public final class Readiness {
    private final Database database;
    private volatile boolean databaseUp;

    public Readiness(Database database) {
        this.database = database;
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

    public boolean ready() {
        return database == null || databaseUp;
    }
}
