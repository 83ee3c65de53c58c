package dev.aigateway.server.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.provider.Provider;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/** {@code POST /v1/chat/completions}: OpenAI chat in, any provider out, streamed or not. */
public final class ChatCompletionsHandler implements Handler<HttpServerRequest> {
    private final RequestPipeline pipeline;

    public ChatCompletionsHandler(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req, "chat");
        Future.succeededFuture(ctx)
                .map(pipeline::authenticate)
                .compose(p -> pipeline.readJson(ctx))
                .map(ChatRequestValidator::validate)
                .compose(body -> body.path("stream").asBoolean(false) ? stream(ctx, body) : complete(ctx, body))
                .onFailure(t -> Responses.error(ctx, t));
    }

    private Future<Void> complete(RequestContext ctx, ObjectNode body) {
        return pipeline.call(ctx, body, Provider::chat).map(result -> {
            Responses.json(ctx, 200, result);
            return null;
        });
    }

    private Future<Void> stream(RequestContext ctx, ObjectNode body) {
        boolean wantsUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return pipeline.callStream(ctx, body, new SseChatWriter(ctx, wantsUsage));
    }
}
