package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;

import java.util.List;

/**
 * The client's request as it arrived, for a provider that speaks the route's own API and passes it through instead
 * of taking the OpenAI translation (see {@link AnthropicMessagesWire}).
 *
 * @param body    the parsed body in the route's API format, still holding the client's {@code model} and the
 *                gateway's routing fields; providers must not mutate it (a retry may reuse it)
 * @param headers the client's request headers; a provider forwards only the ones its API defines (never credentials)
 */
public record ClientCall(ObjectNode body, MultiMap headers) {
    /**
     * The gateway's own fields in a request body (LiteLLM's routing and testing options): a provider would reject
     * them, so a provider passing the client's body through removes them.
     */
    public static final List<String> GATEWAY_FIELDS = List.of("fallbacks", "num_retries", "timeout", "mock_response",
            "mock_testing_fallbacks", "mock_testing_rate_limit_error", "mock_timeout", "fastest_response");
}
