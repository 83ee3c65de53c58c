package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;

/**
 * The client's request as it arrived, for a provider that speaks the route's own API and passes it through instead
 * of taking the OpenAI translation (see {@link AnthropicMessagesWire}).
 *
 * @param body    the parsed body in the route's API format, still holding the client's {@code model} and the
 *                gateway's routing fields; providers must not mutate it (a retry may reuse it)
 * @param headers the client's request headers; a provider forwards only the ones its API defines (never credentials)
 */
public record ClientCall(ObjectNode body, MultiMap headers) {}
