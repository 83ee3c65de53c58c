package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ProviderErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic's error types and their HTTP statuses, both ways: reading Anthropic's error bodies and stream
 * error events ({@code {"type":"error","error":{"type","message"}}}), and naming the Anthropic type for a
 * gateway error when the gateway itself speaks the Messages API.
 */
final class AnthropicErrors {
    private static final int MAX_RAW_MESSAGE = 500;

    private AnthropicErrors() {}

    /** A non-2xx answer from Anthropic. */
    static GatewayException fromHttp(String provider, int status, MultiMap headers, Buffer body) {
        JsonNode json = Json.tryParse(body);
        JsonNode err = json == null ? null : json.get("error");
        if (err != null && err.isObject()) {
            String message = err.path("message").asText("");
            String type = err.path("type").asText(null);
            GatewayException e = ProviderErrors.map(provider, status, message, type, headers);
            return type == null ? e : e.withProviderError(new GatewayException.ProviderError(type, message, status));
        }
        // Not Anthropic's JSON: e.g. the 413 that Cloudflare answers before the request reaches the API.
        String raw = body.toString().strip();
        if (raw.length() > MAX_RAW_MESSAGE) raw = raw.substring(0, MAX_RAW_MESSAGE) + "...";
        return ProviderErrors.map(provider, status, raw, null, headers);
    }

    /** An {@code error} event inside a stream that had already answered 200: mapped as if it were that HTTP error. */
    static GatewayException fromStreamEvent(String provider, JsonNode event) {
        JsonNode err = event.path("error");
        String type = err.path("type").asText("api_error");
        String message = err.path("message").asText("");
        int status = statusOf(type);
        return ProviderErrors.map(provider, status, message, type, null)
                .withProviderError(new GatewayException.ProviderError(type, message, status));
    }

    /** The HTTP status Anthropic uses for an error type (per its errors page). */
    static int statusOf(String type) {
        return switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500; // api_error and types added later
        };
    }

    /** The Anthropic error type an Anthropic SDK expects for a gateway error's status. */
    static String typeOf(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408, 504 -> "timeout_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }
}
