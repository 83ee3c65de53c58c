package dev.aigateway.server.ui;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One logged-in admin UI session. The id travels only in the HttpOnly cookie; the CSRF token is handed to the page
 * (login answer, {@code GET /ui/session}) and must come back in {@code X-CSRF-Token} with every API call.
 */
public final class UiSession {
    private final String id;
    private final String csrfToken;
    private final String user;
    private final long createdAtMillis;
    private final AtomicLong lastSeenMillis;

    UiSession(String id, String csrfToken, String user, long nowMillis) {
        this.id = id;
        this.csrfToken = csrfToken;
        this.user = user;
        this.createdAtMillis = nowMillis;
        this.lastSeenMillis = new AtomicLong(nowMillis);
    }

    public String id() {
        return id;
    }

    public String csrfToken() {
        return csrfToken;
    }

    /** Who logged in: {@code master-key} or the UI username. */
    public String user() {
        return user;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public long lastSeenMillis() {
        return lastSeenMillis.get();
    }

    void touch(long nowMillis) {
        lastSeenMillis.accumulateAndGet(nowMillis, Math::max);
    }

    boolean expired(long nowMillis, long idleTimeoutMillis) {
        return nowMillis - lastSeenMillis.get() >= idleTimeoutMillis;
    }

    @Override
    public String toString() {
        return "UiSession[" + user + "]"; // never the id or the token
    }
}
