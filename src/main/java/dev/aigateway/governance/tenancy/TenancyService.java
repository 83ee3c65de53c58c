package dev.aigateway.governance.tenancy;

import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.core.GatewayException;
import dev.aigateway.db.StoreException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * Changes to the tenancy, as the admin routes make them: the database is written first (the source of truth), then this
 * instance's {@link TenancyRegistry} is reloaded at once, so the very next request sees the change, and the change is
 * published on {@link ClusterEvents} so the other instances reload too.
 *
 * <p>Writes hold this service's lock (the gateway builds one and shares it between event loops): a write is a
 * read-modify-write of rows, and two interleaved would each write back what they read. Every method blocks (JDBC):
 * call it from a worker thread. Database failures become answers: a taken id is the caller's 400, anything else 503.
 */
public final class TenancyService {
    private final Object writes = new Object();
    private final TenancyStore store;
    private final TenancyRegistry registry;
    private final ClusterEvents events;
    private final Clock clock;

    public TenancyService(TenancyStore store, TenancyRegistry registry, ClusterEvents events, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
    }

    /** Changes the tenancy with {@code work} (under the lock), then reloads it here and tells the other instances. */
    public <T> T write(Function<TenancyStore, T> work) {
        T result;
        synchronized (writes) {
            try {
                result = db(() -> work.apply(store));
            } finally {
                // Even a failed multi-step write may have changed rows: the registry follows the database either way.
                db(() -> {
                    registry.reload();
                    return null;
                });
            }
        }
        events.publishTenancyChanged();
        return result;
    }

    /** Reads the database (for answers that show stored spend and rows another instance may have just written). */
    public <T> T read(Function<TenancyStore, T> work) {
        return db(() -> work.apply(store));
    }

    public TenancyRegistry registry() {
        return registry;
    }

    /** Times are kept to the millisecond, as the database stores them. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static <T> T db(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (StoreException.Conflict e) {
            throw GatewayException.badRequest("That id already exists; choose another.", null);
        } catch (StoreException e) {
            throw GatewayException.unavailable("The database is not available: " + e.getMessage());
        }
    }
}
