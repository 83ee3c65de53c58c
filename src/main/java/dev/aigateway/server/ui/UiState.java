package dev.aigateway.server.ui;

import dev.aigateway.config.UiSettings;
import dev.aigateway.governance.AddressThrottle;

import java.time.Clock;

/**
 * The admin UI's state that all event loops share: settings, sessions, login throttle. The gateway builds one when it
 * starts and hands it to every event loop's UI handlers and request pipeline (a session made through one loop is seen
 * by all), so every part of it is safe for concurrent use.
 */
public final class UiState {
    private final UiSettings settings;
    private final UiSessions sessions;
    private final AddressThrottle throttle;
    private final SessionAuth auth;

    public UiState(UiSettings settings, Clock clock) {
        this.settings = settings;
        this.sessions = new UiSessions(settings.idleTimeout().toMillis(), clock::millis);
        this.throttle = new AddressThrottle(settings.loginAttemptsPerMinute(), clock::millis);
        this.auth = new SessionAuth(settings, sessions);
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
