package dev.aigateway.governance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts events per client address in fixed one-minute windows and says when an address went over its number for the
 * minute: the UI's login attempts, the API's requests with a wrong key. Nothing here blocks or allocates more than a
 * window per address that had an event this minute.
 *
 * <p>Memory is bounded: above {@value #SWEEP_ABOVE} addresses the windows of past minutes are dropped (once a minute),
 * and at most
 * {@value #MAX_ADDRESSES} are held; an address beyond that (a flood of forged sources in one minute) is not counted,
 * which fails open for it rather than letting the flood grow the map or lock out everyone.
 */
public final class AddressThrottle {
    static final int SWEEP_ABOVE = 10_000;
    static final int MAX_ADDRESSES = 100_000;

    private final int perMinute;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    /** When the last window over the limit ends: before then some address may be waiting (read on the hot path). */
    private volatile long blockedUntil;
    private volatile long sweptMinute;

    /** @param perMinute events allowed per address and minute; 0 turns the throttle off */
    public AddressThrottle(int perMinute, LongSupplier clockMillis) {
        this.perMinute = perMinute;
        this.clock = clockMillis;
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    /** Counts an event from {@code client}: 0 while within the limit, else the seconds until the next minute. */
    public long count(String client) {
        if (perMinute <= 0) return 0;
        long now = clock.getAsLong();
        long minute = now / 60_000;
        if (windows.size() > SWEEP_ABOVE && sweptMinute != minute) { // once a minute at most: a sweep walks the whole map
            sweptMinute = minute;
            windows.values().removeIf(w -> w.minute < minute);
        }
        if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(client)) return 0;
        Window w = windows.compute(client, (k, cur) -> cur == null || cur.minute != minute ? new Window(minute, 1) : new Window(minute, cur.count + 1));
        if (w.count <= perMinute) return 0;
        long end = (minute + 1) * 60_000;
        if (end > blockedUntil) blockedUntil = end;
        return secondsUntil(end, now);
    }

    /** Without counting: 0 when {@code client} may go on, else the seconds until its minute is over. */
    public long waiting(String client) {
        Window w = windows.get(client);
        if (w == null || w.count <= perMinute) return 0;
        long now = clock.getAsLong();
        long end = (w.minute + 1) * 60_000;
        return now >= end ? 0 : secondsUntil(end, now);
    }

    /** Whether any address may be over its limit now: one volatile read and a clock read, so callers can skip the rest. */
    public boolean anyWaiting() {
        long until = blockedUntil;
        return until != 0 && clock.getAsLong() < until;
    }

    /** Addresses held (for tests of the memory bound). */
    int size() {
        return windows.size();
    }

    private static long secondsUntil(long end, long now) {
        return Math.max(1, (end - now + 999) / 1000);
    }

    private record Window(long minute, int count) {}
}
