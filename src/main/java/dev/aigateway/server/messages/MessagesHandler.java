package dev.aigateway.server.messages;

import dev.aigateway.error.GatewayException;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/** PLACEHOLDER until the Anthropic Messages adapter lands. */
public final class MessagesHandler implements Handler<HttpServerRequest> {
    private final RequestPipeline pipeline;

    public MessagesHandler(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void handle(HttpServerRequest req) {
        Responses.error(pipeline.begin(req), GatewayException.serverError("not yet"));
    }
}
