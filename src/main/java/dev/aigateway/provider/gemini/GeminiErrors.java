package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ProviderErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.Locale;

/**
 * Gemini's error body, {@code {"error": {"code", "message", "status", "details": [...]}}}, to the gateway's
 * error table. Google's canonical {@code status} decides over the HTTP code, and one quirk needs care:
 * a bad API key comes back as 400 INVALID_ARGUMENT (reason API_KEY_INVALID), which clients must see as 401.
 */
final class GeminiErrors {
    private static final int MAX_RAW = 300;
    private final String provider;

    GeminiErrors(String provider) {
        this.provider = provider;
    }

    /** An {@link dev.aigateway.provider.http.ErrorMapper} for non-2xx answers. */
    GatewayException map(int status, MultiMap headers, Buffer body) {
        JsonNode json = Json.tryParse(body);
        JsonNode err = json == null ? null : json.get("error");
        // Streamed calls that fail early may answer with a one-element JSON array around the error.
        if (err == null && json != null && json.isArray() && !json.isEmpty()) err = json.get(0).get("error");
        if (err == null || !err.isObject()) {
            // Google's front end answers some failures (unknown paths, proxies) with an HTML page.
            String raw = body.toString();
            return ProviderErrors.map(provider, status, raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) + "..." : raw, null, headers);
        }
        return fromError(status, err, headers);
    }

    /** Maps one {@code error} object; {@code httpStatus} is used when the body names no canonical status. */
    GatewayException fromError(int httpStatus, JsonNode err, MultiMap headers) {
        String message = err.path("message").asText("");
        String status = err.path("status").asText("").toUpperCase(Locale.ROOT);
        int code = err.path("code").asInt(httpStatus);
        if (isBadKey(err, message)) {
            return GatewayException.invalidKey(provider + " returned " + code + ": " + message);
        }
        int effective = switch (status) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "CANCELLED" -> 499;
            case "INTERNAL", "UNKNOWN", "DATA_LOSS" -> 500;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> httpStatus >= 400 ? httpStatus : code;
        };
        GatewayException e = ProviderErrors.map(provider, effective, message, status.isEmpty() ? null : status, headers);
        if (effective == 429) {
            String delay = retryDelaySeconds(err);
            if (delay != null) e = e.withHeader("Retry-After", delay);
        }
        return e;
    }

    private static boolean isBadKey(JsonNode err, String message) {
        for (JsonNode d : err.path("details")) {
            String reason = d.path("reason").asText("");
            if (reason.equals("API_KEY_INVALID") || reason.equals("API_KEY_EXPIRED")) return true;
        }
        return message.startsWith("API key not valid") || message.startsWith("API key expired");
    }

    /** RetryInfo's {@code retryDelay} ("26s", "0.5s") as whole seconds, at least 1; null when absent. */
    static String retryDelaySeconds(JsonNode err) {
        for (JsonNode d : err.path("details")) {
            String delay = d.path("retryDelay").asText("");
            if (delay.endsWith("s")) {
                try {
                    double secs = Double.parseDouble(delay.substring(0, delay.length() - 1));
                    return Long.toString(Math.max(1, (long) Math.ceil(secs)));
                } catch (NumberFormatException ignored) {
                    return null;
                }
            }
        }
        return null;
    }
}
