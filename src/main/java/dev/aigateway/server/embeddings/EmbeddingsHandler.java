package dev.aigateway.server.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.provider.Provider;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.LlmRoute;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * {@code POST /v1/embeddings}. {@code encoding_format: base64} is honoured for every provider: when the
 * provider answered with float arrays, they are packed here as little-endian float32, as OpenAI does.
 * Embeddings do not stream (a {@code stream} field is ignored).
 */
public final class EmbeddingsHandler {
    public static final LlmRoute ROUTE = new LlmRoute("embedding", EmbeddingsRequestValidator::validate, Provider::embeddings,
            EmbeddingsHandler::answer, null, ErrorShape.OPENAI);

    private EmbeddingsHandler() {}

    private static ObjectNode answer(dev.aigateway.server.RequestContext ctx, ObjectNode request, ObjectNode result) {
        if ("base64".equals(request.path("encoding_format").asText())) packBase64(result);
        return result;
    }

    static void packBase64(ObjectNode result) {
        for (JsonNode item : result.path("data")) {
            JsonNode vec = item.get("embedding");
            if (vec == null || !vec.isArray()) continue; // already base64 (OpenAI-compatible upstream)
            ByteBuffer buf = ByteBuffer.allocate(vec.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode v : vec) buf.putFloat((float) v.asDouble());
            ((ObjectNode) item).put("embedding", Base64.getEncoder().encodeToString(buf.array()));
        }
    }
}
