package dev.aigateway.governance.spend;

/**
 * One spend-log row: what a request was, who made it, what it cost and how it went. Times are epoch
 * milliseconds; {@code firstTokenMs} is the time to first token of a stream (null otherwise).
 */
public record SpendRecord(
        String requestId,
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
