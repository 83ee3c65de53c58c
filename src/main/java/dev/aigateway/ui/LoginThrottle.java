package dev.aigateway.ui;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits login attempts per client address to a number per minute (fixed one-minute windows), so the master key cannot
 * be guessed through the login form. Every attempt counts, right or wrong: an operator logs in once, a brute force tries
 * thousands of times. Old windows are dropped when the map grows, so random addresses cannot exhaust memory.
 */
public final class LoginThrottle {
    private static final int SWEEP_ABOVE = 10_000;
    private final int perMinute;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LoginThrottle(int perMinute, LongSupplier clockMillis) {
        this.perMinute = perMinute;
        this.clock = clockMillis;
    }

    /** Counts an attempt from {@code client}: 0 when it may proceed, else the seconds until it may try again. */
    public long attempt(String client) {
        long now = clock.getAsLong();
        long minute = now / 60_000;
        if (windows.size() > SWEEP_ABOVE) windows.values().removeIf(w -> w.minute < minute);
        Window w = windows.compute(client, (k, cur) -> {
            if (cur == null || cur.minute != minute) return new Window(minute, 1);
            return new Window(minute, cur.count + 1);
        });
        if (w.count <= perMinute) return 0;
        return Math.max(1, ((minute + 1) * 60_000 - now + 999) / 1000);
    }

    private record Window(long minute, int count) {}
}
