package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * A provider capability: the deployment speaks Anthropic's Messages API on the wire, so a client that speaks it too
 * ({@code POST /v1/messages}) is passed through instead of translated. Only {@code model} (and what the deployment
 * needs) is rewritten; every other field and content block reaches the upstream as the client sent it, and the
 * answer comes back as the upstream sent it. Providers without it are reached through the OpenAI translation.
 */
public interface AnthropicMessagesWire {

    /** Whether this deployment's model speaks the Messages API (a host of several model families decides per model). */
    default boolean passesThrough(dev.aigateway.core.Deployment deployment) {
        return true;
    }

    /**
     * A non-streamed Messages call with {@code request.client()}'s body. Resolves to the upstream's message as it
     * is, with its usage in OpenAI's form for accounting. Fails like {@link Provider#chat}; the failure keeps
     * Anthropic's error type and text ({@link dev.aigateway.core.GatewayException#providerError()}).
     */
    Future<Answer> messages(ProviderRequest request);

    /**
     * A streamed Messages call. The upstream's response headers the client gets too go to
     * {@link ChunkSink#upstreamHeaders} first, then its event bytes to {@link ChunkSink#passThrough} unchanged; the sink's
     * {@link ChunkSink#chunk} receives, alongside, OpenAI chunks that only meter the stream (text so far, finish,
     * usage) and are not meant for the client. Completes and fails as {@link Provider#chatStream}.
     */
    Future<Void> messagesStream(ProviderRequest request, ChunkSink sink);

    /**
     * @param message the upstream's answer, unchanged
     * @param usage   its usage as OpenAI's {@code usage} object (prompt tokens including cache reads and writes, which
     *                are also kept as their own fields)
     * @param headers the upstream's response headers the client gets too (its request id, its rate limits)
     */
    record Answer(ObjectNode message, ObjectNode usage, MultiMap headers) {}
}
