package dev.aigateway.provider.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.ProviderRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * Where a translated wire body goes and how it is authorized. A model family's translation (Gemini's, Anthropic's)
 * is one thing; who hosts the model is another: the vendor's own API with its key, or a cloud (Vertex AI) with its
 * own URLs and tokens. A provider builds the body and hands it here.
 */
public interface WireEndpoint {

    /**
     * @param method  the vendor's name for the call ("generateContent", "messages")
     * @param headers the vendor's protocol headers for this call (e.g. anthropic-version), never credentials
     */
    Future<UpstreamResponse> send(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors);

    /** The streamed form of {@link #send}, as {@link Upstream#stream}. */
    Future<Void> stream(ProviderRequest request, String method, ObjectNode body, MultiMap headers, ErrorMapper errors,
                        StreamDecoder decoder, ChunkSink sink);
}
