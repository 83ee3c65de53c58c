package dev.aigateway.server.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.router.Deployment;
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
        RequestContext ctx = pipeline.begin(req);
        Future.succeededFuture(ctx)
                .map(pipeline::authenticate)
                .compose(p -> pipeline.readJson(ctx))
                .map(ChatRequestValidator::validate)
                .compose(body -> body.path("stream").asBoolean(false) ? stream(ctx, body) : complete(ctx, body))
                .onFailure(t -> Responses.error(ctx, t));
    }

    private Future<Void> complete(RequestContext ctx, ObjectNode body) {
        Deployment d = pipeline.route(ctx, body);
        Provider provider = pipeline.gateway().providers().get(d.provider());
        ProviderRequest call = new ProviderRequest(d, body, ctx.cancel);
        return pipeline.callUpstream(ctx, () -> provider.chat(call))
                .map(result -> {
                    Responses.json(ctx, 200, result);
                    return null;
                });
    }

    private Future<Void> stream(RequestContext ctx, ObjectNode body) {
        Deployment d = pipeline.route(ctx, body);
        Provider provider = pipeline.gateway().providers().get(d.provider());
        ProviderRequest call = new ProviderRequest(d, body, ctx.cancel);
        SseChatWriter writer = new SseChatWriter(ctx, call.clientWantsStreamUsage());
        return pipeline.callUpstream(ctx, () -> provider.chatStream(call, writer));
    }
}
