package dev.aigateway.config;

/**
 * The two sizes the launcher's resource profile sets (docs/configuration.md, "Launcher resource profiles"). They are
 * read from the process environment only: the launcher and the container entry point export their profile's values
 * there, so a {@code .env} value would lose to that default without a word; an explicit one is set where the launcher
 * runs ({@code GATEWAY_EVENT_LOOPS=4 ./ai-gateway start}).
 *
 * @param eventLoops       {@code GATEWAY_EVENT_LOOPS}: event loops, each with one HTTP server instance; default one per
 *                         core (the JVM's available processors)
 * @param databasePoolSize {@code GATEWAY_DB_POOL_SIZE}: PostgreSQL connections in the pool (SQLite always uses one)
 */
public record ResourceSettings(int eventLoops, int databasePoolSize) {
    public static final int MAX_EVENT_LOOPS = 1024;
    public static final int MAX_DATABASE_POOL_SIZE = 1000;

    static ResourceSettings parse(Settings s) {
        Settings process = s.withoutDotEnv();
        return new ResourceSettings(
                process.wholeNumber(defaultEventLoops(), 1, MAX_EVENT_LOOPS, "GATEWAY_EVENT_LOOPS"),
                process.wholeNumber(dev.aigateway.db.Database.DEFAULT_POOL_SIZE, 1, MAX_DATABASE_POOL_SIZE, "GATEWAY_DB_POOL_SIZE"));
    }

    /** One event loop per core: the gateway's work on them is short and never blocks. */
    static int defaultEventLoops() {
        return Math.max(1, Math.min(MAX_EVENT_LOOPS, Runtime.getRuntime().availableProcessors()));
    }
}
