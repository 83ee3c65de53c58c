package dev.aigateway.governance.limits;

/**
 * An admitted request: what it holds (reservations, a parallel slot) until it is settled, the output limit it
 * was granted, and the figures for the {@code x-ratelimit-*} response headers (null where no limit applies).
 *
 * @param reservedNanos      worst-case cost reserved against budgets until settlement (the cost of
 *                           {@code grantedTokens})
 * @param grantedTokens      the output limit per answer the request may run with: what it asked for, or less when
 *                           it set no limit of its own and its budget affords less than the model's maximum
 * @param holdsParallelSlot  whether a max_parallel_requests slot is held until settlement
 * @param hold               what the limiter that admitted the request needs to settle it (opaque to callers; null
 *                           when nothing is held)
 */
public record Admission(
        AdmissionRequest request,
        long reservedNanos,
        long grantedTokens,
        boolean holdsParallelSlot,
        Long limitRequests,
        Long remainingRequests,
        Long limitTokens,
        Long remainingTokens,
        Hold hold) {

    /** Marker for a limiter's own record of what an admission holds. */
    public interface Hold {}

    /** An admission that no limit applied to. */
    public static Admission unlimited(AdmissionRequest request) {
        return new Admission(request, 0, request.cost().maxTokens(), false, null, null, null, null, null);
    }

    /** The output limit the budget capped the request to (below what it asked for), or null when it was not capped. */
    public Long cappedTokens() {
        return grantedTokens < request.cost().maxTokens() ? grantedTokens : null;
    }
}
