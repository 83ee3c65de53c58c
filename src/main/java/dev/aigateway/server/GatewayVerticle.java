package dev.aigateway.server;

import dev.aigateway.server.admin.AdminRoutes;
import dev.aigateway.server.chat.ChatCompletionsHandler;
import dev.aigateway.server.completions.TextCompletionsHandler;
import dev.aigateway.server.embeddings.EmbeddingsHandler;
import dev.aigateway.server.health.HealthHandler;
import dev.aigateway.server.messages.MessagesHandler;
import dev.aigateway.server.models.ModelsHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One HTTP server per event loop, all on the same port (Vert.x spreads connections across them). The
 * route table is the map of the public API.
 */
public final class GatewayVerticle extends VerticleBase {
    private final Gateway gateway;
    private HttpServer server;

    public GatewayVerticle(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Future<?> start() {
        RequestPipeline pipeline = new RequestPipeline(gateway);
        ModelsHandler models = new ModelsHandler(pipeline);
        HealthHandler health = new HealthHandler(pipeline);
        Routes routes = new Routes(pipeline)
                .add(HttpMethod.POST, "/chat/completions", new ChatCompletionsHandler(pipeline))
                .add(HttpMethod.POST, "/completions", new TextCompletionsHandler(pipeline))
                .add(HttpMethod.POST, "/embeddings", new EmbeddingsHandler(pipeline))
                .add(HttpMethod.POST, "/messages", new MessagesHandler(pipeline))
                .add(HttpMethod.GET, "/models", models::list)
                .addPrefix(HttpMethod.GET, "/models/", models::get)
                .add(HttpMethod.GET, "/health/liveliness", health::liveness)
                .add(HttpMethod.GET, "/health/liveness", health::liveness)
                .add(HttpMethod.GET, "/health/readiness", health::readiness)
                .add(HttpMethod.GET, "/health", health::health);
        AdminRoutes.register(routes, pipeline);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(gateway.config().host())
                .setPort(gateway.config().port())
                .setTcpNoDelay(true)
                .setTcpFastOpen(true)
                .setReusePort(true)
                .setCompressionSupported(false)
                .setIdleTimeout(0)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024);
        server = vertx.createHttpServer(options).requestHandler(routes);
        return server.listen();
    }

    public int actualPort() {
        return server.actualPort();
    }
}
