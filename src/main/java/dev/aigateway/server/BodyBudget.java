package dev.aigateway.server;

import dev.aigateway.core.GatewayException;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies may hold at once in one gateway instance: their bytes as they arrive, and the JSON
 * tree parsed from them until their request has finished. Without it, memory for bodies grows with the number of
 * clients sending them, and a few large uploads end the process (the launcher's profiles exit on an out-of-memory
 * error). Shared by every event loop: one lock-free counter.
 *
 * <p>Each request's share is a {@link Hold}: it grows as bytes arrive and nodes are built, and is given back in one
 * piece when the request finishes (answered, failed, or left by its client). A hold once released takes nothing more,
 * so no late chunk can leak into the counter.
 */
public final class BodyBudget {
    /** What a refused request is told to wait before it retries. */
    static final long RETRY_AFTER_SECONDS = 2;

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public BodyBudget(long capacityBytes) {
        if (capacityBytes <= 0) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacityBytes;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes held right now by requests in flight. */
    public long inUse() {
        return used.get();
    }

    public Hold hold() {
        return new Hold();
    }

    private boolean tryTake(long bytes) {
        while (true) {
            long u = used.get();
            if (u + bytes > capacity) return false;
            if (used.compareAndSet(u, u + bytes)) return true;
        }
    }

    private void giveBack(long bytes) {
        used.addAndGet(-bytes);
    }

    /** The answer when a request's next bytes do not fit: 413 if they never could, else 503 until others finish. */
    GatewayException refusal(long wanted) {
        if (wanted > capacity) {
            return GatewayException.bodyTooLarge(
                    "This request needs more memory than this gateway lets all request bodies use at once ("
                            + capacity / (1024 * 1024) + " MiB, GATEWAY_BODY_MEMORY_MB): send a smaller body.");
        }
        return GatewayException.gatewayOverloaded(
                "The gateway is holding as many request bodies as its memory allows; retry in a few seconds.", RETRY_AFTER_SECONDS);
    }

    /** One request's share. Grows on its event loop; released once, from any thread. */
    public final class Hold {
        /** Bytes held; -1 once released. */
        private final AtomicLong held = new AtomicLong();

        /** Takes {@code bytes} more; false when the budget (or this hold, released) cannot give them. */
        public boolean take(long bytes) {
            if (bytes <= 0) return held.get() >= 0;
            while (true) {
                long h = held.get();
                if (h < 0 || !tryTake(bytes)) return false;
                if (held.compareAndSet(h, h + bytes)) return true;
                giveBack(bytes); // released meanwhile (or raced): retry sees it
            }
        }

        /** Like {@link #take}, but throws the refusal. */
        public void takeOrThrow(long bytes) {
            if (!take(bytes)) {
                long h = held.get();
                throw refusal(Math.max(0, h) + bytes);
            }
        }

        /** Whether {@code bytes} more would fit right now (a hint: another request may take them first). */
        public boolean couldTake(long bytes) {
            return held.get() >= 0 && used.get() + bytes <= capacity;
        }

        /** The answer for a request that needs {@code wanted} bytes in all and cannot have them. */
        public GatewayException refusal(long wanted) {
            return BodyBudget.this.refusal(wanted);
        }

        public long held() {
            return Math.max(0, held.get());
        }

        /** Gives everything back; later takes fail. Idempotent. */
        public void release() {
            long h = held.getAndSet(-1);
            if (h > 0) giveBack(h);
        }
    }
}
