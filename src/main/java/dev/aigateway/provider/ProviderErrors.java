package dev.aigateway.provider;

import dev.aigateway.error.GatewayException;
import io.vertx.core.MultiMap;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps a provider's HTTP status and error message to PRODUCT.md's error table. Each provider extracts
 * the message (and its own error code) from its error body and calls {@link #map}; the status rules,
 * context-window and content-policy detection live here once.
 */
public final class ProviderErrors {
    private static final Pattern CONTEXT = Pattern.compile(
            "context length|context_length|maximum context|context window|prompt is too long|too many tokens|"
                    + "input token count|exceeds the maximum number of tokens|reduce the length|maximum input length|"
                    + "input is too long|string too long",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern POLICY = Pattern.compile(
            "content policy|content_policy|content management policy|safety system|content_filter|responsibleai",
            Pattern.CASE_INSENSITIVE);

    private ProviderErrors() {}

    /**
     * @param provider     provider name as users know it ("openai", "anthropic", ...)
     * @param status       the provider's HTTP status
     * @param message      the provider's error message (or the raw body when it was not JSON)
     * @param providerCode the provider's own error code or type, may be null
     * @param headers      the provider's response headers (Retry-After is carried over), may be null
     */
    public static GatewayException map(String provider, int status, String message, String providerCode, MultiMap headers) {
        String text = provider + " returned " + status + ": " + (message == null || message.isBlank() ? "(no message)" : message);
        String codeLower = providerCode == null ? "" : providerCode.toLowerCase(Locale.ROOT);
        if (status == 400 || status == 422 || status == 413) {
            if (CONTEXT.matcher(message == null ? "" : message).find() || codeLower.contains("context_length")) {
                return GatewayException.contextLengthExceeded(text);
            }
            if (POLICY.matcher(message == null ? "" : message).find() || codeLower.contains("content_filter") || codeLower.contains("content_policy")) {
                return GatewayException.contentPolicy(text);
            }
            return new GatewayException(400, "invalid_request_error", providerCode == null ? null : codeLower, null, text);
        }
        GatewayException e = switch (status) {
            case 401 -> GatewayException.invalidKey(text);
            case 403 -> new GatewayException(403, "permission_error", "access_denied", null, text);
            case 404 -> new GatewayException(404, "invalid_request_error", "model_not_found", "model", text);
            case 408 -> GatewayException.timeout(text);
            case 429 -> new GatewayException(429, "rate_limit_error", "rate_limit_exceeded", null, text, Map.of("Retry-After", "1"));
            case 503, 529 -> GatewayException.unavailable(text);
            case 504 -> GatewayException.timeout(text);
            default -> GatewayException.upstream(text);
        };
        String retryAfter = headers == null ? null : headers.get("retry-after");
        if (retryAfter != null && (status == 429 || status == 503 || status == 529)) {
            e = e.withHeader("Retry-After", retryAfter);
        }
        return e;
    }
}
