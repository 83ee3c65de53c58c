package dev.aigateway.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Every error the gateway answers with, in OpenAI's shape: {@code {"error": {message, type, param, code}}}.
 * The factory methods are the rows of PRODUCT.md's error table; nothing else should pick a status or type.
 * Stack traces are not filled in: these are answers, not bugs.
 */
public final class GatewayException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Map<String, String> headers;

    public GatewayException(int status, String type, String code, String param, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public GatewayException(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, null);
    }

    public static GatewayException badRequest(String message, String param) {
        return new GatewayException(400, "invalid_request_error", null, param, message);
    }

    public static GatewayException contextLengthExceeded(String message) {
        return new GatewayException(400, "invalid_request_error", "context_length_exceeded", "messages", message);
    }

    public static GatewayException contentPolicy(String message) {
        return new GatewayException(400, "invalid_request_error", "content_policy_violation", null, message);
    }

    public static GatewayException invalidKey(String message) {
        return new GatewayException(401, "authentication_error", "invalid_api_key", null, message);
    }

    public static GatewayException permission(String message) {
        return new GatewayException(403, "permission_error", "access_denied", null, message);
    }

    public static GatewayException modelNotFound(String model) {
        return new GatewayException(404, "invalid_request_error", "model_not_found", "model",
                "The model `" + model + "` does not exist or is not configured on this gateway. GET /v1/models lists the models you can use.");
    }

    public static GatewayException notFound(String message) {
        return new GatewayException(404, "invalid_request_error", "not_found", null, message);
    }

    public static GatewayException timeout(String message) {
        return new GatewayException(408, "timeout", "timeout", null, message);
    }

    public static GatewayException bodyTooLarge(long limit) {
        return new GatewayException(413, "invalid_request_error", "request_too_large", null,
                "Request body is larger than the limit of " + limit + " bytes.");
    }

    public static GatewayException rateLimited(String message, long retryAfterSeconds) {
        return new GatewayException(429, "rate_limit_error", "rate_limit_exceeded", null, message,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    public static GatewayException serverError(String message) {
        return new GatewayException(500, "server_error", "internal_error", null, message);
    }

    public static GatewayException upstream(String message) {
        return new GatewayException(502, "api_error", "upstream_error", null, message);
    }

    /** The code of {@link #clientClosed}: routing stops at it, and nothing is ever sent to the (gone) client. */
    public static final String CLIENT_CLOSED = "client_closed_request";

    /** The client went away before the answer: every attempt in flight stops (recorded as 499, as Nginx does). */
    public static GatewayException clientClosed() {
        return new GatewayException(499, CLIENT_CLOSED, CLIENT_CLOSED, null, "The client closed the connection.");
    }

    public boolean isClientClosed() {
        return CLIENT_CLOSED.equals(code);
    }

    public static GatewayException unavailable(String message) {
        return new GatewayException(503, "service_unavailable", "service_unavailable", null, message);
    }

    public int status() { return status; }
    public String type() { return type; }
    public String code() { return code; }
    public String param() { return param; }
    public Map<String, String> headers() { return headers; }

    /** The same error with a header added (e.g. Retry-After copied from the provider). */
    public GatewayException withHeader(String name, String value) {
        var h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new GatewayException(status, type, code, param, getMessage(), h);
    }

    /** The same error with another message (e.g. a provider's text with its credentials redacted). */
    public GatewayException withMessage(String message) {
        return new GatewayException(status, type, code, param, message, headers);
    }

    public ObjectNode toJson() {
        ObjectNode root = Json.object();
        ObjectNode err = root.putObject("error");
        err.put("message", getMessage());
        err.put("type", type);
        err.put("param", param);
        err.put("code", code);
        return root;
    }
}
