package dev.aigateway.governance.limits;

import io.vertx.core.Future;

/**
 * Admission control for one request: budgets (with reservations, so concurrent requests cannot overspend),
 * rpm/tpm/parallel limits per key, per key and model, and per deployment. One implementation counts in
 * this process; the other counts in Redis so that N instances share one set of counters (one round trip
 * per admission, atomic in a Lua script).
 *
 * <p>Contract: a refused request gets a failed future with a 429 {@code GatewayException}
 * ({@code rate_limit_error} with Retry-After, or {@code budget_exceeded}); every admitted request is
 * settled exactly once, which releases its parallel slot and reservation and books its real cost.
 */
public interface Limiter extends AutoCloseable {

    Future<Admission> admit(AdmissionRequest request);

    void settle(Admission admission, Settlement actual);

    /** For /health/readiness: "not configured" (local), "connected", or "degraded" (Redis unreachable, counting locally). */
    String redisStatus();

    @Override
    default void close() {}
}
