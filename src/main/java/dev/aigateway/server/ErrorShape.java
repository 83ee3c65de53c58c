package dev.aigateway.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.anthropic.MessagesApi;

/**
 * How a route's API words an error: its body, and its HTTP status. OpenAI's routes answer with the gateway's own
 * error table; Anthropic's routes answer an Anthropic upstream's error as Anthropic did, status included: its 529
 * {@code overloaded_error}, which the table maps to 503 for OpenAI clients, stays 529 for Anthropic's (Claude Code's
 * {@code --fallback-model} switches models on repeated 529s). Except a 500: the gateway answers 500 only for a fault of
 * its own, so an upstream's 500 stays the table's 502.
 */
@FunctionalInterface
public interface ErrorShape {

    ObjectNode body(GatewayException e);

    default int status(GatewayException e) {
        return e.status();
    }

    /** OpenAI's {@code {"error": {...}}}, with the gateway's status. */
    ErrorShape OPENAI = GatewayException::toJson;

    /** Anthropic's {@code {"type": "error", "error": {...}}}; an Anthropic upstream's own error keeps its status. */
    ErrorShape ANTHROPIC = new ErrorShape() {
        @Override
        public ObjectNode body(GatewayException e) {
            return MessagesApi.errorBody(e);
        }

        @Override
        public int status(GatewayException e) {
            GatewayException.ProviderError own = e.providerError();
            boolean kept = own != null && own.status() >= 400 && own.status() <= 599 && own.status() != 500;
            return kept ? own.status() : e.status();
        }
    };
}
