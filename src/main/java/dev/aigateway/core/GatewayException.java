package dev.aigateway.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Every error the gateway answers with, in OpenAI's shape: {@code {"error": {message, type, param, code}}}.
 * The factory methods are the rows of the error table in docs/api.md: only they pick a status, type and code (the
 * constructors are public for tests; {@code architecture/ErrorFactoriesTest} holds the main code to the factories).
 * Stack traces are not filled in: these are answers, not bugs.
 */
public final class GatewayException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Map<String, String> headers;
    /** The provider's own error type and text, for routes that answer in that provider's API (null otherwise). */
    private final ProviderError providerError;

    /**
     * A provider's error as its API worded it, kept beside the gateway's mapping so a route that speaks the same API
     * (Anthropic's {@code /v1/messages} to an Anthropic deployment) can answer with it unchanged.
     *
     * @param type    the provider's error type (e.g. {@code overloaded_error})
     * @param message the provider's error text, redacted like every upstream text
     * @param status  the HTTP status the provider answered with (Anthropic's 529, which the gateway's own table maps to
     *                503): a route speaking the provider's API answers with it
     */
    public record ProviderError(String type, String message, int status) {
        /** The same error with its text replaced (redaction). */
        public ProviderError withMessage(String newMessage) {
            return new ProviderError(type, newMessage, status);
        }
    }

    public GatewayException(int status, String type, String code, String param, String message, Map<String, String> headers) {
        this(status, type, code, param, message, headers, null);
    }

    private GatewayException(int status, String type, String code, String param, String message, Map<String, String> headers,
                             ProviderError providerError) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.providerError = providerError;
    }

    public GatewayException(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, null);
    }

    public static GatewayException badRequest(String message, String param) {
        return new GatewayException(400, "invalid_request_error", null, param, message);
    }

    /** A 400 carrying a code of its own: a provider's code for a request it refused (lower-cased), or null. */
    public static GatewayException badRequestWithCode(String message, String code) {
        return new GatewayException(400, "invalid_request_error", code, null, message);
    }

    /** The request line or headers are not valid HTTP/1.1 (the connection is then closed). */
    public static GatewayException malformedRequest(String message) {
        return new GatewayException(400, "invalid_request_error", "malformed_request", null, message);
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

    /** The admin UI's session cookie names no live session (expired, logged out). */
    public static GatewayException sessionExpired(String message) {
        return new GatewayException(401, "authentication_error", "session_expired", null, message);
    }

    public static GatewayException permission(String message) {
        return new GatewayException(403, "permission_error", "access_denied", null, message);
    }

    public static GatewayException modelNotFound(String model) {
        // The name is the client's own; a megabyte of it is not echoed back.
        String shown = model != null && model.length() > 256 ? model.substring(0, 256) + "..." : model;
        return new GatewayException(404, "invalid_request_error", "model_not_found", "model",
                "The model `" + shown + "` does not exist or is not configured on this gateway. GET /v1/models lists the models you can use.");
    }

    /** A provider answered 404 for the deployment's model: its own words, as {@code model_not_found}. */
    public static GatewayException modelNotFoundUpstream(String message) {
        return new GatewayException(404, "invalid_request_error", "model_not_found", "model", message);
    }

    /** The code of a 404 for a thing the client named (a stored response, a key, a route). */
    public static final String NOT_FOUND = "not_found";

    public static GatewayException notFound(String message) {
        return notFound(message, null);
    }

    /** A 404 for what the request's field {@code param} names. */
    public static GatewayException notFound(String message, String param) {
        return new GatewayException(404, "invalid_request_error", NOT_FOUND, param, message);
    }

    public static GatewayException methodNotAllowed(String message) {
        return new GatewayException(405, "invalid_request_error", "method_not_allowed", null, message);
    }

    public static GatewayException timeout(String message) {
        return new GatewayException(408, "timeout", "timeout", null, message);
    }

    public static GatewayException bodyTooLarge(long limit) {
        return new GatewayException(413, "invalid_request_error", "request_too_large", null,
                "Request body is larger than the limit of " + limit + " bytes.");
    }

    /** A body whose bytes and parsed JSON could never fit what all request bodies may hold at once. */
    public static GatewayException bodyTooLarge(String message) {
        return new GatewayException(413, "invalid_request_error", "request_too_large", null, message);
    }

    public static GatewayException uriTooLong(String message) {
        return new GatewayException(414, "invalid_request_error", "uri_too_long", null, message);
    }

    public static GatewayException headersTooLarge(String message) {
        return new GatewayException(431, "invalid_request_error", "header_fields_too_large", null, message);
    }

    /**
     * A budget is spent, or the request's worst case does not fit what is left.
     *
     * @param param              {@code max_tokens} when the client's own limit cannot fit, else null
     * @param retryAfterSeconds  when the budget resets, or null for a budget that never does (no Retry-After)
     */
    public static GatewayException budgetExceeded(String message, String param, Long retryAfterSeconds) {
        return new GatewayException(429, "budget_exceeded", "budget_exceeded", param, message,
                retryAfterSeconds == null ? null : Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
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

    /** The request bodies in flight already hold the memory this instance allows them: retry shortly or elsewhere. */
    public static GatewayException gatewayOverloaded(String message, long retryAfterSeconds) {
        return new GatewayException(503, "service_unavailable", "gateway_overloaded", null, message,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    /** The code of {@link #noHealthyDeployment}: failover tells "nothing to pick" from a failed call by it. */
    public static final String NO_HEALTHY_DEPLOYMENT = "no_healthy_deployment";

    /** Every deployment of a model is cooling down or unhealthy; Retry-After at the end of the earliest cooldown. */
    public static GatewayException noHealthyDeployment(String message, long retryAfterSeconds) {
        return new GatewayException(503, "service_unavailable", NO_HEALTHY_DEPLOYMENT, "model", message,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public int status() { return status; }
    public String type() { return type; }
    public String code() { return code; }
    public String param() { return param; }
    public Map<String, String> headers() { return headers; }
    public ProviderError providerError() { return providerError; }

    /** The same error with a header added (e.g. Retry-After copied from the provider). */
    public GatewayException withHeader(String name, String value) {
        var h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new GatewayException(status, type, code, param, getMessage(), h, providerError);
    }

    /** The same error remembering the provider's own type and text (see {@link ProviderError}). */
    public GatewayException withProviderError(ProviderError error) {
        return new GatewayException(status, type, code, param, getMessage(), headers, error);
    }

    /** The same error with another message (e.g. a provider's text with its credentials redacted). */
    public GatewayException withMessage(String message) {
        return new GatewayException(status, type, code, param, message, headers, providerError);
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
