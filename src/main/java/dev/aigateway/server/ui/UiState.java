package dev.aigateway.server.ui;

import dev.aigateway.config.UiSettings;
import dev.aigateway.governance.AddressThrottle;
import dev.aigateway.server.Gateway;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.time.Clock;

/**
 * The admin UI's state that all event loops share: settings, sessions, login throttle. The gateway deploys one
 * verticle (and one request pipeline) per event loop; they find the same instance in Vert.x's local shared data,
 * which lives and dies with the gateway's Vert.x instance.
 */
public final class UiState implements Shareable {
    private static final String MAP = "dev.aigateway.ui";

    private final UiSettings settings;
    private final UiSessions sessions;
    private final AddressThrottle throttle;
    private final SessionAuth auth;

    UiState(UiSettings settings, Clock clock) {
        this.settings = settings;
        this.sessions = new UiSessions(settings.idleTimeout().toMillis(), clock::millis);
        this.throttle = new AddressThrottle(settings.loginAttemptsPerMinute(), clock::millis);
        this.auth = new SessionAuth(settings, sessions);
    }

    /** The gateway's one UI state, created on first use. */
    public static UiState of(Vertx vertx, Gateway gateway) {
        LocalMap<String, UiState> map = vertx.sharedData().getLocalMap(MAP);
        return map.computeIfAbsent("state", k -> new UiState(gateway.config().ui(), gateway.governance().clock()));
    }

    public UiSettings settings() {
        return settings;
    }

    public UiSessions sessions() {
        return sessions;
    }

    /** Login attempts per client address and minute: every attempt counts, right or wrong (an operator logs in once, a
     *  brute force tries thousands of times). */
    public AddressThrottle throttle() {
        return throttle;
    }

    public SessionAuth auth() {
        return auth;
    }
}
