package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Deployment;

/**
 * A call to one deployment.
 *
 * @param deployment where to send it (credentials, base URL, provider model name)
 * @param body       the request in OpenAI's format (chat, completions or embeddings body as the route
 *                   implies). Its {@code model} is still the client's model name: providers use
 *                   {@link Deployment#model()}. Providers must not mutate it (a retry may reuse it).
 * @param cancel     lets the provider register what to abort when the client goes away
 * @param client     the client's own request, for a provider that passes the route's API through
 *                   ({@link AnthropicMessagesWire}); null where the route does not offer it
 */
public record ProviderRequest(Deployment deployment, ObjectNode body, Cancellation cancel, ClientCall client) {

    public ProviderRequest(Deployment deployment, ObjectNode body, Cancellation cancel) {
        this(deployment, body, cancel, null);
    }
}
