package dev.aigateway.router;

import dev.aigateway.core.GatewayException;

/**
 * What went wrong with an attempt, as far as routing cares: whether to retry it, whether it counts
 * against the deployment (towards a cooldown), and which fallbacks apply. LiteLLM's retry_policy names
 * each kind ({@code RateLimitErrorRetries} ...).
 */
public enum ErrorKind {
    BAD_REQUEST("BadRequestErrorRetries", false),
    CONTEXT_WINDOW("ContextWindowExceededErrorRetries", false),
    CONTENT_POLICY("ContentPolicyViolationErrorRetries", false),
    AUTHENTICATION("AuthenticationErrorRetries", true),
    NOT_FOUND("NotFoundErrorRetries", true),
    TIMEOUT("TimeoutErrorRetries", true),
    RATE_LIMIT("RateLimitErrorRetries", true),
    SERVER("InternalServerErrorRetries", true),
    /** The client went away: stop everything. */
    CANCELLED("", false);

    public final String policyName;
    private final boolean countsAgainstDeployment;

    ErrorKind(String policyName, boolean countsAgainstDeployment) {
        this.policyName = policyName;
        this.countsAgainstDeployment = countsAgainstDeployment;
    }

    public static ErrorKind of(GatewayException e) {
        if (e.isClientClosed()) return CANCELLED;
        String code = e.code() == null ? "" : e.code();
        return switch (e.status()) {
            case 400, 413, 422 -> code.equals("context_length_exceeded") ? CONTEXT_WINDOW
                    : code.equals("content_policy_violation") ? CONTENT_POLICY : BAD_REQUEST;
            case 401, 403 -> AUTHENTICATION;
            case 404 -> NOT_FOUND;
            case 408 -> TIMEOUT;
            case 429 -> RATE_LIMIT;
            // An upstream's own 499 (Gemini's CANCELLED) is its failure, not our client leaving.
            default -> SERVER;
        };
    }

    /** Failures of the deployment itself (429, 5xx, timeouts, refused connections, a rejected provider key). */
    public boolean countsAgainstDeployment() {
        return countsAgainstDeployment;
    }

    /** Whether the generic {@code fallbacks} apply (they do not to the caller's own mistakes). */
    public boolean fallsBackGenerally() {
        return this != BAD_REQUEST && this != CANCELLED && this != CONTEXT_WINDOW && this != CONTENT_POLICY;
    }
}
