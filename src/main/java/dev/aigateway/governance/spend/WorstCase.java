package dev.aigateway.governance.spend;

/**
 * The most a request can cost, as a function of the output limit it runs with: for a limit of {@code t}
 * tokens per answer, {@code cost(t) = fixedNanos + ceil(perTokenPicos * t / 1000)} nano-USD. Budgets admit a
 * request only if {@code cost(t)} fits what is left, for some {@code t} between {@link #minTokens} and
 * {@link #maxTokens}; the limiter picks the largest that fits (see {@code Limiter}).
 *
 * <p>Picos (1e-12 USD) for the per-token part because output prices go down to a few hundredths of a
 * nano-dollar per token; the products stay below 2^53 for any realistic request, so the Redis script (Lua
 * numbers are doubles) computes the same figures as Java.
 *
 * @param fixedNanos    what does not depend on the output limit: the prompt, and thinking budgets
 * @param perTokenPicos what one more token of output limit costs, over all the answers ({@code n}) the request asks for
 * @param minTokens     the smallest output limit the request accepts: its own {@code max_tokens} when it set one,
 *                      else 1 (0 for requests that produce no output, like embeddings)
 * @param maxTokens     the output limit it asks for: its {@code max_tokens}, else the model's maximum output
 */
public record WorstCase(long fixedNanos, long perTokenPicos, long minTokens, long maxTokens) {

    /** A request that costs nothing whatever it does (no price, or no budget to check against). */
    public static final WorstCase FREE = new WorstCase(0, 0, 0, 0);

    public WorstCase {
        if (fixedNanos < 0 || perTokenPicos < 0 || minTokens < 0 || maxTokens < minTokens) {
            throw new IllegalArgumentException("bad worst case " + fixedNanos + "/" + perTokenPicos + "/" + minTokens + "/" + maxTokens);
        }
    }

    /** A fixed worst case that no output limit changes. */
    public static WorstCase fixed(long nanos) {
        return new WorstCase(nanos, 0, 0, 0);
    }

    /** Whether the request named its own output limit (it is then either admitted with it or refused). */
    public boolean explicit() {
        return minTokens == maxTokens;
    }

    /** The cost with an output limit of {@code tokens} per answer, in nano-USD. */
    public long costNanos(long tokens) {
        long variable;
        try {
            variable = Math.ceilDiv(Math.multiplyExact(perTokenPicos, tokens), 1000L);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return fixedNanos > Long.MAX_VALUE - variable ? Long.MAX_VALUE : fixedNanos + variable;
    }

    /** The cost with the output limit the request asks for. */
    public long worstNanos() {
        return costNanos(maxTokens);
    }

    /**
     * The largest output limit from 0 to {@link #maxTokens} whose cost fits in {@code roomNanos}, or -1 when not
     * even the fixed part does.
     */
    public long largestFitting(long roomNanos) {
        if (fixedNanos > roomNanos) return -1;
        if (perTokenPicos == 0) return maxTokens;
        long left = roomNanos - fixedNanos;
        if (left > Long.MAX_VALUE / 1000) return maxTokens;
        // ceil(p * t / 1000) <= left  <=>  p * t <= 1000 * left
        return Math.min(maxTokens, left * 1000 / perTokenPicos);
    }
}
