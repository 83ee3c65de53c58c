package dev.aigateway.server;

import dev.aigateway.db.Database;
import dev.aigateway.governance.Governance;

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

    /** Asks the database whether it answers (blocking: a worker thread's job). */
    public void ping() {
        if (database != null) databaseUp = database.ping();
    }

    public String databaseStatus() {
        if (database == null) return "not configured";
        return databaseUp ? "connected" : "disconnected";
    }

    public String redisStatus() {
        return governance.limiter().redisStatus();
    }

    /** LiteLLM's readiness {@code cache}: {@code "redis"} when Redis is configured (limits, cluster events), else null. */
    public String cacheType() {
        return "not configured".equals(redisStatus()) ? null : "redis";
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
