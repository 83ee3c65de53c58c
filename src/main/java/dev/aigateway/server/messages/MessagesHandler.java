package dev.aigateway.server.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.anthropic.AnthropicEventWriter;
import dev.aigateway.provider.anthropic.MessagesApi;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.RoutingFields;
import dev.aigateway.server.SseResponse;
import dev.aigateway.server.chat.ChatRequestValidator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API in, any provider out. The request is translated to
 * OpenAI's format once and then takes the same path as a chat completion; answers and streams are
 * translated back. Errors carry both Anthropic's and OpenAI's fields so either SDK family reads them.
 */
public final class MessagesHandler implements Handler<HttpServerRequest> {
    private final RequestPipeline pipeline;

    public MessagesHandler(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req, "messages");
        Future.succeededFuture(ctx)
                .map(pipeline::authenticate)
                .compose(p -> pipeline.readJson(ctx))
                .map(MessagesRequestValidator::validate)
                .map(anthropic -> RoutingFields.carry(anthropic, MessagesApi.toOpenAiRequest(anthropic)))
                .map(ChatRequestValidator::validate)
                .compose(body -> body.path("stream").asBoolean(false) ? stream(ctx, body) : complete(ctx, body))
                .onFailure(t -> Responses.error(ctx, t, MessagesApi::errorBody));
    }

    private Future<Void> complete(RequestContext ctx, ObjectNode body) {
        return pipeline.call(ctx, body, Provider::chat).map(result -> {
            Responses.json(ctx, 200, MessagesApi.toAnthropicResponse(result, ctx.modelName));
            return null;
        });
    }

    private Future<Void> stream(RequestContext ctx, ObjectNode body) {
        SseResponse out = new SseResponse(ctx);
        AnthropicEventWriter events = new AnthropicEventWriter(body.path("model").asText(), out::write);
        ChunkSink sink = new ChunkSink() {
            @Override public void chunk(ObjectNode chunk) { if (!out.clientGone()) events.chunk(chunk); }
            // message_delta and message_stop (or the error event) end the stream for the client: they go out once settled
            @Override public void end() { out.end(events::end, null, 200, null); }
            @Override public void fail(GatewayException error) { out.end(() -> events.fail(error), null, error.status(), error.type()); }
            @Override public boolean writeQueueFull() { return out.writeQueueFull(); }
            @Override public void drainHandler(Runnable onDrain) { out.drainHandler(onDrain); }
        };
        return pipeline.callStream(ctx, body, sink);
    }
}
