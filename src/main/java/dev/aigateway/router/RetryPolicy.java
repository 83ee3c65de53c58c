package dev.aigateway.router;


import java.util.EnumMap;
import java.util.Map;

/**
 * How many retries each kind of error gets (LiteLLM's {@code retry_policy}); kinds it does not name use
 * {@code num_retries}. By default the caller's mistakes (400, a rejected provider key, a missing model)
 * are not retried, and rate limits, timeouts, server and connection errors are.
 */
public record RetryPolicy(Map<ErrorKind, Integer> retries) {
    /** The most retries one error kind may get, as for {@code num_retries}. */
    public static final int MAX_RETRIES = 10;
    public static final RetryPolicy DEFAULT = new RetryPolicy(defaults());

    private static Map<ErrorKind, Integer> defaults() {
        Map<ErrorKind, Integer> m = new EnumMap<>(ErrorKind.class);
        m.put(ErrorKind.BAD_REQUEST, 0);
        m.put(ErrorKind.CONTEXT_WINDOW, 0);
        m.put(ErrorKind.CONTENT_POLICY, 0);
        m.put(ErrorKind.AUTHENTICATION, 0);
        m.put(ErrorKind.NOT_FOUND, 0);
        m.put(ErrorKind.CANCELLED, 0);
        return m;
    }

    /** Retries allowed for a kind, given the group's num_retries. */
    public int retriesFor(ErrorKind kind, int numRetries) {
        Integer n = retries.get(kind);
        return n != null ? n : numRetries;
    }
}
