package dev.aigateway.server.ui;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The server-side session store: in memory (a restart logs everyone out, which is fine for an admin console), with an
 * idle timeout. Ids and CSRF tokens are 256 random bits from {@link SecureRandom}. Expired sessions are dropped when
 * they are next presented and swept whenever a new one is created, so the map cannot grow without bound; a hard cap
 * evicts the least recently used session if a flood of logins ever reaches it.
 */
public final class UiSessions {
    static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, UiSession> sessions = new ConcurrentHashMap<>();
    private final long idleTimeoutMillis;
    private final LongSupplier clock;

    public UiSessions(long idleTimeoutMillis, LongSupplier clockMillis) {
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.clock = clockMillis;
    }

    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    public UiSession create(String user) {
        long now = clock.getAsLong();
        sweep(now);
        if (sessions.size() >= MAX_SESSIONS) evictOldest();
        UiSession s = new UiSession(randomToken(), randomToken(), user, now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id, its idle timer restarted; null when unknown or expired (then it is removed). */
    public UiSession touch(String id) {
        if (id == null || id.isEmpty()) return null;
        UiSession s = sessions.get(id);
        if (s == null) return null;
        long now = clock.getAsLong();
        if (s.expired(now, idleTimeoutMillis)) {
            sessions.remove(id, s);
            return null;
        }
        s.touch(now);
        return s;
    }

    public void remove(String id) {
        if (id != null) sessions.remove(id);
    }

    public int size() {
        return sessions.size();
    }

    private void sweep(long now) {
        sessions.values().removeIf(s -> s.expired(now, idleTimeoutMillis));
    }

    private void evictOldest() {
        sessions.values().stream().min(java.util.Comparator.comparingLong(UiSession::lastSeenMillis))
                .ifPresent(s -> sessions.remove(s.id(), s));
    }

    /** 256 random bits, base64url without padding (43 characters). */
    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
