package dev.aigateway.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The fuzz suites' only source of randomness: a {@link SplittableRandom} from a printed seed, so a failing case can be
 * replayed exactly with {@code -Dfuzz.seed=<seed>} (and widened with {@code -Dfuzz.cases=<n>}). Every case draws from
 * its own generator split off by case number, so case 412 of a seed is the same request whatever the cases before it
 * drew, and {@code -Dfuzz.case=412} replays it alone.
 */
public final class Gen {
    /** The seed CI runs: fixed, so the suite is the same every build; change it (or pass -Dfuzz.seed) to explore. */
    public static final long DEFAULT_SEED = 0x5EED_2026_0011L;

    private final SplittableRandom random;

    public Gen(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public static long seed() {
        String s = System.getProperty("fuzz.seed");
        if (s == null || s.isBlank()) return DEFAULT_SEED;
        s = s.strip();
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    /** How many cases a suite runs: its CI default, or {@code -Dfuzz.cases}; {@code -Dfuzz.scale} multiplies every suite's default. */
    public static int cases(int ciDefault) {
        String s = System.getProperty("fuzz.cases");
        if (s != null && !s.isBlank()) return Integer.parseInt(s.strip());
        String scale = System.getProperty("fuzz.scale");
        return scale == null || scale.isBlank() ? ciDefault : (int) Math.max(1, ciDefault * Double.parseDouble(scale.strip()));
    }

    /** Only this case number, when {@code -Dfuzz.case} is given (a replay), else -1. */
    public static int onlyCase() {
        String s = System.getProperty("fuzz.case");
        return s == null || s.isBlank() ? -1 : Integer.parseInt(s.strip());
    }

    /** The generator of one case: independent of every other case's draws. */
    public static Gen forCase(long seed, String suite, int caseNo) {
        long mixed = seed ^ (suite.hashCode() * 0x9E3779B97F4A7C15L) ^ (caseNo * 0xBF58476D1CE4E5B9L);
        return new Gen(mixed);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Inclusive range. */
    public int between(int lo, int hi) {
        return random.nextInt(lo, hi + 1);
    }

    public long nextLong() {
        return random.nextLong();
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public boolean coin() {
        return random.nextBoolean();
    }

    public <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    @SafeVarargs
    public final <T> T pick(T... items) {
        return items[random.nextInt(items.length)];
    }

    /** Index by weights (need not sum to anything). */
    public int weighted(int... weights) {
        int total = 0;
        for (int w : weights) total += w;
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) return i;
        }
        return weights.length - 1;
    }

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) random.nextInt(256);
        return b;
    }

    public String alnum(int n) {
        String abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(abc.charAt(random.nextInt(abc.length())));
        return b.toString();
    }
}
