package dev.aigateway.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.ConfigException;

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

    static RetryPolicy parse(JsonNode n) {
        if (n == null || n.isNull()) return DEFAULT;
        if (!n.isObject()) throw new ConfigException("router_settings.retry_policy must be a mapping like {RateLimitErrorRetries: 3}.");
        Map<ErrorKind, Integer> m = new EnumMap<>(DEFAULT.retries);
        n.properties().forEach(e -> {
            ErrorKind kind = null;
            for (ErrorKind k : ErrorKind.values()) if (k.policyName.equals(e.getKey())) kind = k;
            if (kind == null || kind == ErrorKind.CANCELLED) {
                throw new ConfigException("router_settings.retry_policy." + e.getKey() + " is not a known error kind (e.g. RateLimitErrorRetries, TimeoutErrorRetries, InternalServerErrorRetries, BadRequestErrorRetries, AuthenticationErrorRetries).");
            }
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0 || v.asInt() > MAX_RETRIES) {
                throw new ConfigException("router_settings.retry_policy." + e.getKey() + " must be a whole number of retries from 0 to "
                        + MAX_RETRIES + ", not " + v + ".");
            }
            m.put(kind, e.getValue().asInt());
        });
        return new RetryPolicy(m);
    }
}
