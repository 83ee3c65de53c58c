package dev.aigateway.governance.spend;

/**
 * One spend-log row: what a request was, who made it, what it cost and how it went. Times are epoch
 * milliseconds; {@code firstTokenMs} is the time to first token of a stream (null otherwise).
 *
 * @param requestId       the gateway's own id for the request ({@code req-...}, unique, time-ordered): the row's key,
 *                        so every request has its own row however its client named it
 * @param clientRequestId the {@code x-request-id} the client sent, for tracing (null when it sent none); clients
 *                        may reuse one, so it keys nothing
 */
public record SpendRecord(
        String requestId,
        String clientRequestId,
        String keyHash,
        String keyAlias,
        String userId,
        String teamId,
        String callType,
        String modelGroup,
        String deploymentId,
        String provider,
        String model,
        long promptTokens,
        long completionTokens,
        long cachedTokens,
        long totalTokens,
        double cost,
        long startTime,
        long endTime,
        Long firstTokenMs,
        String status,
        int httpStatus,
        String errorType,
        boolean stream,
        int attempts,
        String fallbackModel) {
}
