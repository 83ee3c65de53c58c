package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Where a provider's stream goes once it has been translated: OpenAI {@code chat.completion.chunk} objects,
 * one call each, then exactly one of {@link #end()} or {@link #fail(GatewayException)}.
 *
 * <p>Back-pressure: a provider checks {@link #writeQueueFull()} after each upstream buffer and, when full,
 * pauses the upstream and resumes it from {@link #drainHandler(Runnable)}. All calls come on the request's
 * event loop.
 */
public interface ChunkSink {

    void chunk(ObjectNode chunk);

    /** The upstream finished normally. */
    void end();

    /** The upstream broke after the stream had started; the sink ends the client stream with an error event. */
    void fail(GatewayException error);

    /**
     * A pass-through stream ({@link AnthropicMessagesWire}): one of the upstream's events, as its bytes came, for the
     * client unchanged. {@code last} marks the event that ends the answer for the client (Anthropic's
     * {@code message_stop}): a sink may hold it back until the request is settled. Sinks of translated streams never
     * receive it.
     */
    default void passThrough(Buffer event, boolean last) {
        throw new UnsupportedOperationException("this stream is translated, not passed through");
    }

    /**
     * The upstream's own count of the prompt, known before the answer (Anthropic's {@code message_start}), as OpenAI's
     * {@code usage} with cache reads and writes: a stream cut before its final usage is charged this for the prompt
     * instead of the gateway's estimate. Called at most once, before the answer's chunks.
     */
    default void promptUsage(ObjectNode usage) {}

    /**
     * A pass-through stream's upstream response headers that the client gets too, once, before any event. A sink whose
     * client has no use for them ignores them.
     */
    default void upstreamHeaders(MultiMap headers) {}

    boolean writeQueueFull();

    void drainHandler(Runnable onDrain);
}
