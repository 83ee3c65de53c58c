package dev.aigateway.governance.limits;

/** What a finished request really cost: nano-USD and total tokens (both 0 for a failed call). */
public record Settlement(long costNanos, long totalTokens) {
    public static final Settlement NOTHING = new Settlement(0, 0);
}
