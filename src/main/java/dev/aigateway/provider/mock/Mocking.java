package dev.aigateway.provider.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;

import java.time.Duration;

/**
 * What a request asks the gateway to fake instead of calling its deployment (LiteLLM's testing options): an answer
 * ({@code mock_response}), a rate-limit error on the first attempt ({@code mock_testing_rate_limit_error}) or a
 * timeout ({@code mock_timeout}). An attempt that is faked goes to the {@link MockProvider} through a
 * {@link #standIn stand-in} of its deployment: routing, admission, failover, cooldowns and accounting treat it as
 * the deployment's own answer (except its health: a faked outcome feeds no cooldown and no latency figure), so these
 * options test the request's real path without an upstream call.
 * ({@code mock_testing_fallbacks} fails the model group itself: the router's {@code Failover} does it.)
 *
 * @param response  {@code mock_response}: the answer's text, or one of LiteLLM's error names ({@code
 *                  litellm.RateLimitError}, {@code litellm.InternalServerError}, {@code
 *                  litellm.ContextWindowExceededError}), or null
 * @param rateLimit whether the first attempt fails with a 429
 * @param timeout   whether every attempt times out (after the request's timeout)
 */
public record Mocking(String response, boolean rateLimit, boolean timeout) {
    public static final Mocking NONE = new Mocking(null, false, false);

    public boolean any() {
        return response != null || rateLimit || timeout;
    }

    /**
     * The deployment attempt number {@code attempt} (1 for the first) goes to: a stand-in served by the mock provider
     * (same id, model name and model, so cooldowns, limits and prices are the deployment's), or null when the attempt
     * is real. {@code timeoutAfter} is how long a faked timeout waits.
     */
    public Deployment standIn(Deployment d, int attempt, Duration timeoutAfter) {
        if (!fakes(attempt)) return null;
        ObjectNode params = Json.object();
        if (timeout) {
            error(params, 408, "This is a mock timeout error");
            params.put("mock_latency_ms", timeoutAfter.toMillis());
        } else if (rateLimit && attempt == 1) {
            error(params, 429, "This is a mock rate limit error");
        } else {
            switch (response) {
                case "litellm.RateLimitError" -> error(params, 429, "This is a mock rate limit error");
                case "litellm.InternalServerError" -> error(params, 500, "This is a mock internal server error");
                case "litellm.ContextWindowExceededError" -> error(params, 400, "This is a mock context window exceeded error");
                default -> params.put("mock_response", response);
            }
        }
        // No credentials, no base URL: nothing of the real deployment's secrets travels with the stand-in.
        return new Deployment(d.id(), d.modelName(), "mock", d.model(), null, null, null, d.timeout(), d.streamTimeout(),
                d.weight(), d.order(), params, d.modelInfo(), d.fromConfig(), Json.object());
    }

    /** Whether attempt number {@code attempt} (1 for the first) is faked rather than sent to its deployment. */
    public boolean fakes(int attempt) {
        return timeout || rateLimit && attempt == 1 || response != null;
    }

    private static void error(ObjectNode params, int status, String message) {
        params.put("mock_error_status", status).put("mock_error_message", message);
    }
}
