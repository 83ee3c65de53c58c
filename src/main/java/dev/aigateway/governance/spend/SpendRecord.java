package dev.aigateway.governance.spend;

/**
 * One spend-log row: what a request was, who made it, what it cost and how it went. Times are epoch
 * milliseconds; {@code firstTokenMs} is the time to first token of a stream (null otherwise).
 *
 * @param requestId       the gateway's own id for the request ({@code req-...}, unique, time-ordered): the row's key,
 *                        so every request has its own row however its client named it
 * @param clientRequestId the {@code x-request-id} the client sent, for tracing (null when it sent none); clients
 *                        may reuse one, so it keys nothing
 * @param endUser         the end user (LiteLLM's customer) from the request's headers or body, null when none
 * @param sessionId       the calling tool's session (Claude Code's, Codex's...), null when none
 * @param client          the calling tool's class from its User-Agent ({@code claude-code}, {@code openai-sdk}, ...;
 *                        {@code unknown} when none was sent); null in rows journaled before it existed
 * @param userAgent       the User-Agent as sent, cleaned and bounded, null when none
 * @param organizationId  the organization the key belongs to (its own, its team's or its user's), null when none
 *
 * <p>The last five fields were added after the first release: journal lines written before them read with nulls
 * (fields are matched by name), so new fields go at the end and old lines stay readable.
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
        String fallbackModel,
        String endUser,
        String sessionId,
        String client,
        String userAgent,
        String organizationId) {
}
