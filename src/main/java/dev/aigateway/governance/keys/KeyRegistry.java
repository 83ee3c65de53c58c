package dev.aigateway.governance.keys;

import dev.aigateway.governance.spend.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every virtual key, in memory, by hash: authentication is a map lookup, never a query. The database is
 * the source of truth; this copy is refreshed (a) at once by whoever changed a key on this instance,
 * (b) by invalidation messages from other instances, and (c) by a periodic reload as a safety net.
 * The reload methods block: run them on a worker thread.
 */
public final class KeyRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRegistry.class);

    private final KeyStore store;
    private final Map<String, VirtualKey> byHash = new ConcurrentHashMap<>();

    public KeyRegistry(KeyStore store) {
        this.store = store;
    }

    public VirtualKey find(String tokenHash) {
        return byHash.get(tokenHash);
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    /** Every key held (a live view; for metrics and listings, not for lookups). */
    public java.util.Collection<VirtualKey> all() {
        return java.util.Collections.unmodifiableCollection(byHash.values());
    }

    public int size() {
        return byHash.size();
    }

    /** Loads every key and drops the ones that no longer exist (blocking). */
    public void reloadAll() {
        List<VirtualKey> keys = store.all();
        Set<String> seen = new HashSet<>();
        for (VirtualKey k : keys) {
            put(k);
            seen.add(k.tokenHash());
        }
        byHash.keySet().retainAll(seen);
    }

    /** Re-reads one key (blocking): it is added, replaced, or removed when deleted. */
    public void reload(String tokenHash) {
        store.byHash(tokenHash).ifPresentOrElse(this::put, () -> byHash.remove(tokenHash));
    }

    /** Records a change made on this instance, without a round trip to the database. */
    public void put(VirtualKey key) {
        byHash.put(key.tokenHash(), key);
        // Budgets reserve by estimated prompt tokens: have the tokenizer ready before this key's first request.
        if (key.maxBudget() != null || key.modelMaxBudget() != null && !key.modelMaxBudget().isEmpty()) Tokenizer.preload();
    }

    public void remove(String tokenHash) {
        byHash.remove(tokenHash);
    }

    /** The periodic safety net: a full reload (cheap for thousands of keys), logged only when it fails. */
    public void refresh() {
        try {
            reloadAll();
        } catch (RuntimeException e) {
            LOG.warn("Could not refresh virtual keys from the database (keeping the ones in memory): {}", e.getMessage());
        }
    }

}
