package dev.aigateway.server.completions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.chat.SseChatWriter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /v1/completions}. Non-streamed calls use the provider's native completions endpoint when it
 * has one; otherwise (and for streams) the prompt runs as a chat and the answer is converted back.
 */
public final class TextCompletionsHandler implements Handler<HttpServerRequest> {
    private final RequestPipeline pipeline;

    public TextCompletionsHandler(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req, "completion");
        Future.succeededFuture(ctx)
                .map(pipeline::authenticate)
                .compose(p -> pipeline.readJson(ctx))
                .map(CompletionsRequestValidator::validate)
                .compose(body -> body.path("stream").asBoolean(false) ? stream(ctx, body) : complete(ctx, body))
                .onFailure(t -> Responses.error(ctx, t));
    }

    private Future<Void> complete(RequestContext ctx, ObjectNode body) {
        return pipeline.call(ctx, body, (provider, request) -> {
            Future<ObjectNode> nativeCall = provider.textCompletion(request);
            if (nativeCall != null) return nativeCall;
            // request.body(), not body: it carries the output limit a budget may have set for this attempt
            ProviderRequest asChat = new ProviderRequest(request.deployment(), TextCompletions.toChat(request.body()), request.cancel());
            return provider.chat(asChat).map(TextCompletions::fromChat);
        }).map(result -> {
            Responses.json(ctx, 200, result);
            return null;
        });
    }

    private Future<Void> stream(RequestContext ctx, ObjectNode body) {
        ObjectNode chat = TextCompletions.toChat(body);
        SseChatWriter writer = new SseChatWriter(ctx, chat.path("stream_options").path("include_usage").asBoolean(false));
        ChunkSink asText = new ChunkSink() {
            @Override public void chunk(ObjectNode chunk) { writer.chunk(TextCompletions.chunkFromChat(chunk)); }
            @Override public void end() { writer.end(); }
            @Override public void fail(GatewayException error) { writer.fail(error); }
            @Override public boolean writeQueueFull() { return writer.writeQueueFull(); }
            @Override public void drainHandler(Runnable onDrain) { writer.drainHandler(onDrain); }
        };
        return pipeline.callStream(ctx, chat, asText);
    }
}
