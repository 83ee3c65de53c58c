package dev.aigateway.server.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.error.GatewayException;
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
                .map(EmbeddingsHandler::validate)
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

    static ObjectNode validate(ObjectNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) throw GatewayException.badRequest("Missing required parameter: 'input'.", "input");
        if (!input.isTextual() && !input.isArray()) {
            throw GatewayException.badRequest("Invalid type for 'input': expected a string or an array of strings.", "input");
        }
        if (input.isArray() && input.isEmpty()) throw GatewayException.badRequest("'input' must not be empty.", "input");
        JsonNode format = body.get("encoding_format");
        if (format != null && !format.isNull() && !"float".equals(format.asText()) && !"base64".equals(format.asText())) {
            throw GatewayException.badRequest("Invalid value for 'encoding_format': supported values are 'float' and 'base64'.", "encoding_format");
        }
        JsonNode dims = body.get("dimensions");
        if (dims != null && !dims.isNull() && (!dims.isIntegralNumber() || dims.asInt() < 1)) {
            throw GatewayException.badRequest("Invalid value for 'dimensions': expected a positive integer.", "dimensions");
        }
        return body;
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
