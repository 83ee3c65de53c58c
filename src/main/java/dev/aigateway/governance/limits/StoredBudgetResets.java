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
 * Resets a key's (or a holder's) row when its budget window rolls: {@code spend = 0}, {@code budget_reset_at = } the new
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
    private final HolderBudgets holders;
    private final Executor executor;
    /** key hash (or level:holder id) @ previous end -> when the last attempt started (System.currentTimeMillis). */
    private final Map<String, Long> attempts = new ConcurrentHashMap<>();

    public StoredBudgetResets(KeyStore store, KeyRegistry registry, HolderBudgets holders, Executor executor) {
        this.store = store;
        this.registry = registry;
        this.holders = holders;
        this.executor = executor;
    }

    @Override
    public void windowRolled(VirtualKey key, Instant previousEnd, Instant nextEnd) {
        if (!firstAttempt(key.tokenHash(), previousEnd)) return;
        reset("key " + key.label(), nextEnd, () -> {
            boolean reset = store.resetBudget(key.tokenHash(), previousEnd, nextEnd);
            registry.reload(key.tokenHash());
            return reset;
        });
    }

    @Override
    public void holderWindowRolled(Holder holder, Instant previousEnd, Instant nextEnd) {
        if (!firstAttempt(holder.level().tag + ":" + holder.id(), previousEnd)) return;
        reset(holder.label(), nextEnd, () -> holders.resetBudget(holder.level(), holder.id(), previousEnd, nextEnd));
    }

    /** Whether no attempt for this window is running or failed less than {@link #RETRY_MS} ago (and marks one). */
    private boolean firstAttempt(String id, Instant previousEnd) {
        String tag = id + "@" + previousEnd.toEpochMilli();
        long now = System.currentTimeMillis();
        Long last = attempts.get(tag);
        if (last != null && now - last < RETRY_MS) return false;
        if (last == null ? attempts.putIfAbsent(tag, now) != null : !attempts.replace(tag, last, now)) return false;
        if (attempts.size() > 10_000) attempts.clear(); // stale tags of windows long gone
        return true;
    }

    private void reset(String who, Instant nextEnd, java.util.function.BooleanSupplier write) {
        executor.execute(() -> {
            try {
                if (write.getAsBoolean()) LOG.info("Budget window of {} rolled: spend reset to 0, next reset at {}", who, nextEnd);
            } catch (RuntimeException e) {
                LOG.warn("Could not reset the budget window of {} in the database (will retry): {}", who, e.getMessage());
            }
        });
    }
}
