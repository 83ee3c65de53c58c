package dev.aigateway.governance.limits;

import io.vertx.core.Future;

/**
 * Admission control for one request: budgets (with reservations, so concurrent requests cannot overspend),
 * rpm/tpm/parallel limits per key, per key and model, and per deployment. {@link LocalLimiter} counts in
 * this process; {@link RedisLimiter} counts in Redis so that N instances share one set of counters (one
 * round trip per admission, atomic in a Lua script); {@link FailoverLimiter} uses Redis and falls back to
 * local counting while Redis is unreachable. All of them follow the same rules, built by {@link LimitPlan}:
 *
 * <h2>Budgets (key {@code max_budget}, and {@code model_max_budget[model]})</h2>
 * <ul>
 *   <li>A request is admitted iff the budget is not spent ({@code committed + reserved < max_budget}) and its
 *       worst case fits what is left: {@code committed + reserved + cost(t) <= max_budget} for an output limit
 *       {@code t} it accepts ({@link AdmissionRequest#cost()}): its own max_tokens when it set one, else the largest
 *       limit from 1 to the model's maximum output that fits, which is granted ({@link Admission#grantedTokens()})
 *       and which the gateway then sends as the request's max_tokens. It reserves {@code cost(t)}; settlement
 *       releases the reservation and adds the real cost to {@code committed}. As long as no request costs more than
 *       its reservation, {@code committed + reserved <= max_budget} at every moment, however many requests race:
 *       spend never passes the budget by more than what the worst cases underestimated (docs/limits.md).</li>
 *   <li>Windows: with {@code budget_duration} the current window ends at the key's {@code budget_reset_at}.
 *       When {@code now >= budget_reset_at} the window rolls to the first {@code end + k * duration} after now
 *       (missed windows are skipped): committed starts again at 0, and the stored row is reset
 *       ({@link BudgetResets}, off the event loop) and re-read into the key registry. A per-model budget's
 *       windows ({@code time_period}) are aligned on the epoch in UTC.</li>
 *   <li>Committed starts from the key's stored {@code spend} the first time a window is seen (and again when a
 *       registry reload brings a different window); per-model budgets start from 0.</li>
 *   <li>A request's cost is booked to the window it was admitted in; reservations of requests still in flight
 *       when a window rolls keep counting until they settle.</li>
 *   <li>Refusal: 429 {@code budget_exceeded} "Budget has been exceeded! Current cost: x, Max budget: y",
 *       Retry-After = seconds until the window resets (none when it never resets).</li>
 *   <li>Soft budget: when committed crosses {@code soft_budget} a warning is logged, once per window; nothing is
 *       blocked.</li>
 * </ul>
 *
 * <h2>Rate limits</h2>
 * <ul>
 *   <li>{@code rpm_limit}, {@code model_rpm_limit[model]}, deployment {@code rpm}: fixed one-minute windows
 *       (minute of the epoch); admitted iff this minute's count is below the limit, then counted.</li>
 *   <li>{@code tpm_limit}, {@code model_tpm_limit[model]}, deployment {@code tpm}: admitted iff tokens used this
 *       minute are below the limit; settlement adds the request's real total tokens to the minute it settles in.</li>
 *   <li>{@code max_parallel_requests}: admitted iff fewer are in flight; settlement frees the slot.</li>
 *   <li>Deployment limits count every key's requests to that deployment (by deployment id).</li>
 *   <li>Refusal: 429 {@code rate_limit_error} naming the limit ("Key rpm_limit of 10 requests per minute
 *       reached."), Retry-After = seconds to the next minute (at least 1; 1 for parallel).</li>
 *   <li>The admission carries x-ratelimit figures from the tightest rpm limit (requests) and tpm limit (tokens).</li>
 * </ul>
 *
 * <p>All or nothing: if any check fails, nothing is counted or reserved. Time is always
 * {@link AdmissionRequest#now()} (the governance clock), so tests can move it.
 *
 * <p>Contract: a refused request gets a failed future with a 429 {@code GatewayException}; every admitted
 * request is settled exactly once, which releases its parallel slot and reservation and books its real cost.
 * The future of {@link #settle} completes when the settlement is applied (at once when counting locally), so that
 * a request's answer can be finished only after its hold is gone: a client's next request never finds it.
 */
public interface Limiter extends AutoCloseable {

    Future<Admission> admit(AdmissionRequest request);

    /** Settles an admission; never fails (a settlement that could not be applied is logged, and holds expire). */
    Future<Void> settle(Admission admission, Settlement actual);

    /**
     * Books a correction for an admission already settled: {@code delta} is what the request really cost minus what it
     * was settled with (negative when the estimate was high), to the same budget windows and the current minute's
     * tpm; nothing is released. For a request settled early with an estimate (a stream whose client left before the
     * usage chunk) whose real usage came later. Never fails.
     */
    Future<Void> adjust(Admission admission, Settlement delta);

    /** For /health/readiness: "not configured" (local), "connected", or "degraded" (Redis unreachable, counting locally). */
    String redisStatus();

    @Override
    default void close() {}
}
