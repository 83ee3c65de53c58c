package dev.aigateway.governance.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.db.StoreException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the key admin routes do: create, change, block, regenerate, delete, read and list virtual keys.
 * The database is written first (it is the source of truth); then the change is put into this instance's
 * {@link KeyRegistry} at once, so the very next request sees it, and published on {@link ClusterEvents} so
 * the other instances re-read the key.
 *
 * <p>Writes hold this service's lock, and the gateway builds one service and hands it to every event loop's
 * admin handler: a write is a read-modify-write of the key's row followed by a registry update, and two of them
 * interleaved (say {@code /key/update} of rpm_limit and of max_budget on the same key, arriving on two event loops)
 * would each write back the row they read, losing the other's field, or leave the registry holding the older
 * of the two. The lock is an instance's, not the class's: each gateway (and each test gateway in one JVM) has its
 * own database and registry, and serializing them against each other would protect nothing. It covers this
 * instance only; writes of one key through two instances at once are not serialized (the database keeps the last
 * row written, and every registry converges on it through {@link ClusterEvents} and the periodic reload).
 * Reads ({@link #info}, {@link #list}) take no lock.
 *
 * <p>Every method blocks (JDBC): call it from a worker thread. Keys are named by the caller either as the
 * key itself ({@code sk-...}) or as its hash ({@code token}); a full key is returned only by
 * {@link #generate} and {@link #regenerate}, once.
 */
public final class KeyService {
    /** Serializes this gateway's key writes (see the class comment). */
    private final Object writes = new Object();

    private final KeyStore store;
    private final KeyRegistry registry;
    private final ClusterEvents events;
    private final Clock clock;
    private final String masterKeyHash;

    /** A new key: the key itself (shown once) and what was stored. */
    public record Generated(String key, VirtualKey virtualKey) {}

    /** One page of /key/list. */
    public record Page(List<VirtualKey> keys, long totalCount, int currentPage, int totalPages) {}

    public KeyService(KeyStore store, KeyRegistry registry, ClusterEvents events, Clock clock, String masterKey) {
        this.store = store;
        this.registry = registry;
        this.events = events;
        this.clock = clock;
        this.masterKeyHash = masterKey == null ? null : Keys.hash(masterKey);
    }

    public Generated generate(KeyRequest request, String createdBy) {
        String key = request.customKey() != null ? request.customKey() : Keys.generate();
        String hash = Keys.hash(key);
        refuseMasterKey(hash, "key");
        Instant now = now();
        VirtualKey k = request.applyTo(KeyRequest.blank(hash, Keys.displayName(key), now, createdBy), now);
        synchronized (writes) {
            db(() -> {
                if (store.byHash(hash).isPresent()) throw GatewayException.badRequest("A virtual key with this value already exists; choose another 'key'.", "key");
                requireAliasFree(k.keyAlias(), null);
                store.insert(k);
                return null;
            });
            registry.put(k);
        }
        events.publishKeyChanged(hash);
        return new Generated(key, k);
    }

    public VirtualKey update(String keyOrHash, KeyRequest request) {
        String hash = hashOf(keyOrHash);
        VirtualKey k;
        synchronized (writes) {
            k = db(() -> {
                VirtualKey changed = request.applyTo(existing(hash), now());
                if (request.has("key_alias")) requireAliasFree(changed.keyAlias(), hash);
                store.update(changed);
                return changed;
            });
            registry.put(k);
        }
        events.publishKeyChanged(hash);
        return k;
    }

    public VirtualKey setBlocked(String keyOrHash, boolean blocked) {
        ObjectNode body = Json.object().put("blocked", blocked);
        return update(keyOrHash, KeyRequest.parse(body, KeyRequest.Route.UPDATE));
    }

    /**
     * A new key value for an existing key: the old one stops working at once, everything else (spend,
     * budgets, limits, alias) stays, and the request's fields, if any, are applied too. The changes are
     * written before the key is moved, so a failure leaves the old key working rather than losing both.
     */
    public Generated regenerate(String keyOrHash, KeyRequest changes) {
        String oldHash = hashOf(keyOrHash);
        String key = changes.customKey() != null ? changes.customKey() : Keys.generate();
        String newHash = Keys.hash(key);
        refuseMasterKey(newHash, "new_key");
        VirtualKey k;
        synchronized (writes) {
            k = db(() -> {
                Instant now = now();
                VirtualKey changed = changes.applyTo(existing(oldHash), now);
                if (changes.has("key_alias")) requireAliasFree(changed.keyAlias(), oldHash);
                if (store.byHash(newHash).isPresent()) throw GatewayException.badRequest("A virtual key with this value already exists; choose another 'new_key'.", "new_key");
                store.update(changed);
                store.rehash(oldHash, newHash, Keys.displayName(key), now);
                return moved(changed, newHash, Keys.displayName(key), now);
            });
            registry.remove(oldHash);
            registry.put(k);
        }
        events.publishKeyChanged(oldHash);
        events.publishKeyChanged(newHash);
        return new Generated(key, k);
    }

    /** Deletes keys named by value or hash; all must exist (404 naming the missing ones, nothing deleted). Returns their hashes. */
    public List<String> delete(List<String> keysOrHashes) {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String k : keysOrHashes) hashes.put(hashOf(k), Keys.isHash(k) ? k : Keys.displayName(k));
        return deleteAll(hashes);
    }

    /** Deletes keys named by alias; all must exist. Returns the aliases. */
    public List<String> deleteByAlias(List<String> aliases) {
        List<String> deleted = new ArrayList<>();
        synchronized (writes) {
            db(() -> {
                Map<String, String> hashes = new LinkedHashMap<>();
                List<String> missing = new ArrayList<>();
                for (String a : aliases) {
                    Optional<VirtualKey> k = store.byAlias(a);
                    if (k.isPresent()) hashes.put(k.get().tokenHash(), a);
                    else missing.add(a);
                }
                if (!missing.isEmpty()) throw GatewayException.notFound("No virtual key has the key_alias " + String.join(", ", missing) + "; nothing was deleted.");
                hashes.keySet().forEach(this::deleteOne);
                deleted.addAll(hashes.values());
                return null;
            });
        }
        return deleted;
    }

    /** The key as stored now, with its spend. */
    public VirtualKey info(String keyOrHash) {
        String hash = hashOf(keyOrHash);
        return db(() -> existing(hash));
    }

    public Page list(int page, int size, String userId, String teamId, String alias) {
        return db(() -> {
            long total = store.count(userId, teamId, alias);
            List<VirtualKey> keys = store.page(page, size, userId, teamId, alias);
            return new Page(keys, total, page, (int) ((total + size - 1) / size));
        });
    }

    /** The hash a caller means: {@code sk-...} is hashed, a 64-hex-digit token is taken as is. */
    public static String hashOf(String keyOrHash) {
        if (keyOrHash == null || keyOrHash.isBlank()) throw GatewayException.badRequest("'key' is required: the key (sk-...) or its hash (token).", "key");
        if (keyOrHash.startsWith(Keys.PREFIX)) return Keys.hash(keyOrHash);
        if (Keys.isHash(keyOrHash)) return keyOrHash;
        throw GatewayException.badRequest("'key' must be a virtual key (sk-...) or its hash (the 64-character token).", "key");
    }

    // --- internals

    private List<String> deleteAll(Map<String, String> hashToLabel) {
        synchronized (writes) {
            db(() -> {
                List<String> missing = new ArrayList<>();
                hashToLabel.forEach((h, label) -> {
                    if (store.byHash(h).isEmpty()) missing.add(label);
                });
                if (!missing.isEmpty()) throw GatewayException.notFound("No such virtual key: " + String.join(", ", missing) + "; nothing was deleted.");
                hashToLabel.keySet().forEach(this::deleteOne);
                return null;
            });
        }
        return List.copyOf(hashToLabel.keySet());
    }

    private void deleteOne(String hash) {
        store.delete(hash);
        registry.remove(hash);
        events.publishKeyChanged(hash);
    }

    private VirtualKey existing(String hash) {
        return store.byHash(hash).orElseThrow(() -> GatewayException.notFound("No such virtual key (token " + hash.substring(0, 12) + "...)."));
    }

    private void requireAliasFree(String alias, String ownHash) {
        if (alias == null) return;
        Optional<VirtualKey> holder = store.byAlias(alias);
        if (holder.isPresent() && !holder.get().tokenHash().equals(ownHash)) {
            throw GatewayException.badRequest("A key with key_alias '" + alias + "' already exists; key aliases are unique.", "key_alias");
        }
    }

    private void refuseMasterKey(String hash, String field) {
        if (hash.equals(masterKeyHash)) throw GatewayException.badRequest("'" + field + "' must not be the master key.", field);
    }

    /** Times are kept to the millisecond, as the database stores them, so answers match what is read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static VirtualKey moved(VirtualKey k, String hash, String name, Instant now) {
        return new VirtualKey(hash, name, k.keyAlias(), k.spend(), k.maxBudget(), k.softBudget(), k.budgetDuration(), k.budgetResetAt(),
                k.models(), k.modelMaxBudget(), k.rpmLimit(), k.tpmLimit(), k.maxParallelRequests(), k.modelRpmLimit(), k.modelTpmLimit(),
                k.expiresAt(), k.metadata(), k.userId(), k.teamId(), k.blocked(), k.aliases(), k.allowedRoutes(), k.keyType(),
                k.createdAt(), now, k.createdBy(), k.organizationId(), k.budgetId());
    }

    /** Database work with its failures as answers: a uniqueness clash is the caller's 400, anything else a 503. */
    private static <T> T db(Supplier<T> work) {
        try {
            return work.get();
        } catch (StoreException.Conflict e) {
            throw GatewayException.badRequest(e.getMessage(), "key_alias");
        } catch (StoreException e) {
            throw GatewayException.unavailable("The key database is not available: " + e.getMessage());
        }
    }
}
