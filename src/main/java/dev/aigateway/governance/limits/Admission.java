package dev.aigateway.governance.limits;

/**
 * An admitted request: what it holds (reservations, a parallel slot) until it is settled, and the
 * figures for the {@code x-ratelimit-*} response headers (null where no limit applies).
 *
 * @param reservedNanos      worst-case cost reserved against budgets until settlement
 * @param holdsParallelSlot  whether a max_parallel_requests slot is held until settlement
 * @param hold               what the limiter that admitted the request needs to settle it (opaque to callers; null
 *                           when nothing is held)
 */
public record Admission(
        AdmissionRequest request,
        long reservedNanos,
        boolean holdsParallelSlot,
        Long limitRequests,
        Long remainingRequests,
        Long limitTokens,
        Long remainingTokens,
        Hold hold) {

    /** Marker for a limiter's own record of what an admission holds. */
    public interface Hold {}

    public Admission(AdmissionRequest request, long reservedNanos, boolean holdsParallelSlot, Long limitRequests,
                     Long remainingRequests, Long limitTokens, Long remainingTokens) {
        this(request, reservedNanos, holdsParallelSlot, limitRequests, remainingRequests, limitTokens, remainingTokens, null);
    }

    /** An admission that no limit applied to. */
    public static Admission unlimited(AdmissionRequest request) {
        return new Admission(request, 0, false, null, null, null, null, null);
    }
}
