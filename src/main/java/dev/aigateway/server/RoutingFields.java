package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ClientCall;
import dev.aigateway.provider.mock.Mocking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The request options LiteLLM accepts in a request body that are the gateway's, not the provider's: routing
 * ({@code fallbacks}, {@code num_retries}, {@code timeout}) and testing ({@code mock_response},
 * {@code mock_testing_fallbacks}, {@code mock_testing_rate_limit_error}, {@code mock_timeout}). They are taken out of
 * the body once, when the request is routed, so no provider sees (and rejects) them.
 *
 * @param timeout       the request's own {@code timeout}, or null: it shortens its deployments' timeouts, never
 *                      lengthens them
 * @param mocking       what the request asks to fake instead of calling its deployment
 * @param mockFallbacks {@code mock_testing_fallbacks}: the model group fails so its fallbacks answer
 */
public record RoutingFields(List<String> fallbacks, int numRetries, Duration timeout, Mocking mocking, boolean mockFallbacks) {
    /** Fallback groups a request may name; each may cost a round of attempts. */
    public static final int MAX_FALLBACKS = 32;
    /** {@code num_retries}, as router_settings bounds it. */
    public static final int MAX_RETRIES = 10;
    /** The longest {@code timeout} a request may name, in seconds (its deployment's own timeout still caps it). */
    public static final double MAX_TIMEOUT_SECONDS = 86_400;

    public RoutingFields(List<String> fallbacks, int numRetries) {
        this(fallbacks, numRetries, null, Mocking.NONE, false);
    }

    /**
     * Copies the gateway's fields from a client's body to the body a translation made of it (an API whose
     * translator knows only its provider's fields would drop them, and with them the client's fallbacks).
     */
    public static ObjectNode carry(ObjectNode from, ObjectNode to) {
        for (String f : ClientCall.GATEWAY_FIELDS) {
            JsonNode v = from.get(f);
            if (v != null) to.set(f, v);
        }
        return to;
    }

    /** The deployment attempt number {@code attempt} (1 for the first) is sent to: a mock's stand-in, or {@code d} within the request's timeout. */
    Deployment forAttempt(Deployment d, int attempt) {
        Deployment bounded = timeout == null ? d : d.withTimeoutsAtMost(timeout);
        if (!mocking.any()) return bounded;
        Deployment standIn = mocking.standIn(bounded, attempt, bounded.effectiveTimeout());
        return standIn != null ? standIn : bounded;
    }

    /** The timeout an attempt on {@code d} runs with (for the {@code x-litellm-timeout} header). */
    Duration timeoutOn(Deployment d) {
        Duration t = d.effectiveTimeout();
        return timeout != null && timeout.compareTo(t) < 0 ? timeout : t;
    }

    static RoutingFields take(ObjectNode body, int defaultRetries) {
        JsonNode f = body.remove("fallbacks");
        JsonNode n = body.remove("num_retries");
        List<String> fallbacks = new ArrayList<>();
        if (f != null && !f.isNull()) {
            if (!f.isArray()) throw GatewayException.badRequest("Invalid type for 'fallbacks': expected an array of model names.", "fallbacks");
            RequestFields.maxItems(f, "fallbacks", MAX_FALLBACKS);
            for (JsonNode m : f) {
                if (m.isTextual()) fallbacks.add(m.asText());
                else if (m.isObject() && m.path("model").isTextual()) fallbacks.add(m.path("model").asText());
                else throw GatewayException.badRequest("Invalid value in 'fallbacks': expected model names.", "fallbacks");
            }
        }
        int retries = defaultRetries;
        if (n != null && !n.isNull()) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > MAX_RETRIES) {
                throw GatewayException.badRequest("Invalid value for 'num_retries': expected a whole number from 0 to " + MAX_RETRIES + ".", "num_retries");
            }
            retries = n.asInt();
        }
        if (!hasOptions(body)) return new RoutingFields(fallbacks, retries); // the common case: nothing more to read
        RequestFields.number(body, "timeout", 0.001, MAX_TIMEOUT_SECONDS);
        RequestFields.string(body, "mock_response");
        for (String flag : new String[] {"mock_testing_fallbacks", "mock_testing_rate_limit_error", "mock_timeout", "fastest_response"}) {
            RequestFields.bool(body, flag);
        }
        body.remove("fastest_response"); // a batch's option (BatchCompletion): with one model there is nothing to race
        JsonNode t = body.remove("timeout");
        JsonNode response = body.remove("mock_response");
        boolean mockFallbacks = body.path("mock_testing_fallbacks").asBoolean(false);
        boolean rateLimit = body.path("mock_testing_rate_limit_error").asBoolean(false);
        boolean mockTimeout = body.path("mock_timeout").asBoolean(false);
        body.remove("mock_testing_fallbacks");
        body.remove("mock_testing_rate_limit_error");
        body.remove("mock_timeout");
        Duration timeout = t == null || t.isNull() ? null : Duration.ofNanos(Math.max(1_000_000, Math.round(t.asDouble() * 1e9)));
        String text = response == null || response.isNull() ? null : response.asText();
        return new RoutingFields(fallbacks, retries, timeout, new Mocking(text, rateLimit, mockTimeout), mockFallbacks);
    }

    private static boolean hasOptions(ObjectNode body) {
        return body.has("timeout") || body.has("mock_response") || body.has("fastest_response") || body.has("mock_testing_fallbacks")
                || body.has("mock_testing_rate_limit_error") || body.has("mock_timeout");
    }
}
