package dev.aigateway.server.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.provider.Provider;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * {@code POST /v1/embeddings}. {@code encoding_format: base64} is honoured for every provider: when the
 * provider answered with float arrays, they are packed here as little-endian float32, as OpenAI does.
 */
public final class EmbeddingsHandler implements Handler<HttpServerRequest> {
    private final RequestPipeline pipeline;

    public EmbeddingsHandler(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req, "embedding");
        Future.succeededFuture(ctx)
                .map(pipeline::authenticate)
                .compose(p -> pipeline.readJson(ctx))
                .map(EmbeddingsRequestValidator::validate)
                .compose(body -> embed(ctx, body))
                .onFailure(t -> Responses.error(ctx, t));
    }

    private Future<Void> embed(RequestContext ctx, ObjectNode body) {
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        return pipeline.call(ctx, body, Provider::embeddings).map(result -> {
            if (base64) packBase64(result);
            Responses.json(ctx, 200, result);
            return null;
        });
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
