package dev.aigateway.governance.limits;

/**
 * An admitted request: what it holds (reservations, a parallel slot) until it is settled, and the
 * figures for the {@code x-ratelimit-*} response headers (null where no limit applies).
 */
public record Admission(
        AdmissionRequest request,
        long reservedNanos,
        boolean holdsParallelSlot,
        Long limitRequests,
        Long remainingRequests,
        Long limitTokens,
        Long remainingTokens) {
}
