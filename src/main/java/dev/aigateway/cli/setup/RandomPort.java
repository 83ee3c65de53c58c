package dev.aigateway.cli.setup;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

/** A random free port in the dynamic range 49152-65535, as LiteLLM's setup scripts pick (less scanned, rarely taken). */
public final class RandomPort {
    public static final int LOW = 49152;
    public static final int HIGH = 65535;

    private RandomPort() {}

    /** A port for which {@code free} holds; throws when 200 random tries found none. */
    public static int pick(IntPredicate free) {
        for (int i = 0; i < 200; i++) {
            int p = ThreadLocalRandom.current().nextInt(LOW, HIGH + 1);
            if (free.test(p)) return p;
        }
        throw new IllegalStateException("No free port found in " + LOW + "-" + HIGH + ".");
    }
}
