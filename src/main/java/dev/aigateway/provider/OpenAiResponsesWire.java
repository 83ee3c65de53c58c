package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/**
 * A provider capability: the deployment speaks OpenAI's Responses API on the wire, so a client that speaks it too
 * ({@code POST /v1/responses}) is passed through instead of translated. Only {@code model} is rewritten (and the
 * gateway's routing fields removed); every other field, {@code store} and {@code previous_response_id} included,
 * reaches the upstream as the client sent it, and the answer comes back as the upstream sent it. Providers without
 * it (or deployments that do not serve the API: {@link #speaksResponses}) are reached through the chat translation.
 */
public interface OpenAiResponsesWire {

    /** Whether this deployment serves {@code /v1/responses} (an OpenAI-compatible server may not). */
    boolean speaksResponses(dev.aigateway.core.Deployment deployment);

    /**
     * A non-streamed Responses call with {@code request.client()}'s body. Resolves to the upstream's Response as it
     * is, with its usage in OpenAI chat's form for accounting. Fails like {@link Provider#chat}, keeping OpenAI's
     * error text.
     */
    Future<Answer> responses(ProviderRequest request);

    /**
     * A streamed Responses call: the upstream's event bytes go to {@link ChunkSink#passThrough} unchanged, and the
     * sink's {@link ChunkSink#chunk} receives, alongside, OpenAI chat chunks that only meter the stream. Completes
     * and fails as {@link Provider#chatStream}.
     */
    Future<Void> responsesStream(ProviderRequest request, ChunkSink sink);

    /**
     * {@code POST .../responses/compact} (OpenAI's compaction of a long conversation) with {@code request.client()}'s
     * body, only {@code model} rewritten. Resolves to the upstream's answer as it is (a {@code response.compaction}
     * object), with its usage, when it has one, in OpenAI chat's form. Fails like {@link #responses}.
     */
    Future<Answer> compact(ProviderRequest request);

    /**
     * @param response the upstream's Response, unchanged
     * @param usage    its usage as OpenAI chat's {@code usage} object
     */
    record Answer(ObjectNode response, ObjectNode usage) {}
}
