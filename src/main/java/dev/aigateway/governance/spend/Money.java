package dev.aigateway.governance.spend;

/**
 * Money as whole nano-dollars (1e-9 USD) in a long: exact to add from many threads and in Redis
 * (INCRBY), and large enough for 9.2 billion USD.
 */
public final class Money {
    public static final long NANOS_PER_USD = 1_000_000_000L;

    private Money() {}

    public static long nanos(double usd) {
        return Math.round(usd * NANOS_PER_USD);
    }

    public static double usd(long nanos) {
        return nanos / (double) NANOS_PER_USD;
    }
}
