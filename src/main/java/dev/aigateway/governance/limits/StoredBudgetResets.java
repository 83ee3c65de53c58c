package dev.aigateway.governance.limits;

import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.keys.KeyStore;
import dev.aigateway.governance.keys.VirtualKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Resets a key's row when its budget window rolls: {@code spend = 0}, {@code budget_reset_at = } the new
 * end, only if the row is still in the window this instance saw (so of N instances noticing the roll,
 * one writes), then re-reads the key into the registry. The write runs on {@code executor} (a worker
 * thread), never on the event loop; one attempt per key and window at a time, retried after
 * {@link #RETRY_MS} if the database was down.
 */
public final class StoredBudgetResets implements BudgetResets {
    private static final Logger LOG = LoggerFactory.getLogger(StoredBudgetResets.class);
    static final long RETRY_MS = 30_000;

    private final KeyStore store;
    private final KeyRegistry registry;
    private final Executor executor;
    /** key hash @ previous end -> when the last attempt started (System.currentTimeMillis). */
    private final Map<String, Long> attempts = new ConcurrentHashMap<>();

    public StoredBudgetResets(KeyStore store, KeyRegistry registry, Executor executor) {
        this.store = store;
        this.registry = registry;
        this.executor = executor;
    }

    @Override
    public void windowRolled(VirtualKey key, Instant previousEnd, Instant nextEnd) {
        String tag = key.tokenHash() + "@" + previousEnd.toEpochMilli();
        long now = System.currentTimeMillis();
        Long last = attempts.get(tag);
        if (last != null && now - last < RETRY_MS) return;
        if (last == null ? attempts.putIfAbsent(tag, now) != null : !attempts.replace(tag, last, now)) return;
        if (attempts.size() > 10_000) attempts.clear(); // stale tags of windows long gone
        executor.execute(() -> {
            try {
                boolean reset = store.resetBudget(key.tokenHash(), previousEnd, nextEnd);
                registry.reload(key.tokenHash());
                if (reset) LOG.info("Budget window of key {} rolled: spend reset to 0, next reset at {}", key.label(), nextEnd);
            } catch (RuntimeException e) {
                LOG.warn("Could not reset the budget window of key {} in the database (will retry): {}", key.label(), e.getMessage());
            }
        });
    }
}
