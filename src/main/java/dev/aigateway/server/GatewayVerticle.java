package dev.aigateway.server;

import dev.aigateway.config.TransportSettings;
import dev.aigateway.models.ModelService;
import dev.aigateway.server.admin.AdminRoutes;
import dev.aigateway.server.chat.ChatCompletionsHandler;
import dev.aigateway.server.completions.TextCompletionsHandler;
import dev.aigateway.server.embeddings.EmbeddingsHandler;
import dev.aigateway.server.health.HealthHandler;
import dev.aigateway.server.messages.MessagesHandler;
import dev.aigateway.server.models.ModelsHandler;
import dev.aigateway.server.transport.ConnectionGuard;
import dev.aigateway.server.transport.ConnectionLimit;
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
    private final ConnectionLimit connections;
    private final ModelService modelService;
    private ConnectionGuard guard;
    private HttpServer server;

    /**
     * @param connections  the instance's connection count, shared by every event loop's verticle
     * @param modelService the runtime-model write path, one per instance
     */
    public GatewayVerticle(Gateway gateway, ConnectionLimit connections, ModelService modelService) {
        this.gateway = gateway;
        this.connections = connections;
        this.modelService = modelService;
    }

    @Override
    public Future<?> start() {
        guard = new ConnectionGuard(vertx, gateway.config().transport(), connections);
        RequestPipeline pipeline = new RequestPipeline(gateway, vertx, guard);
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
                .add(HttpMethod.GET, "/health", health::health)
                .add(HttpMethod.GET, "/metrics", new dev.aigateway.server.metrics.MetricsHandler(pipeline)::handle);
        AdminRoutes.register(routes, pipeline, modelService);
        dev.aigateway.server.ui.UiRoutes.register(routes, pipeline, vertx, modelService);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(gateway.config().host())
                .setPort(gateway.config().port())
                .setTcpNoDelay(true)
                .setTcpFastOpen(true)
                .setReusePort(true)
                .setCompressionSupported(false)
                // Cleartext HTTP/1.1 only: clients and proxies (Nginx, SDKs) speak it, and an h2c upgrade adds a
                // second protocol's edge cases (stream resets, GOAWAY on shutdown) for no gain on loopback or behind TLS.
                .setHttp2ClearTextEnabled(false)
                // No socket idle timeout: it would also cut a stream whose upstream is thinking. ConnectionGuard times
                // what the client does (headers, body, idling between requests) and nothing else.
                .setIdleTimeout(0)
                .setMaxInitialLineLength(TransportSettings.MAX_INITIAL_LINE_BYTES)
                .setMaxHeaderSize(TransportSettings.MAX_HEADER_BYTES);
        guard.start();
        server = vertx.createHttpServer(options)
                .connectionHandler(guard::connected)
                .invalidRequestHandler(guard::invalid)
                .requestHandler(guard.requests(routes));
        return server.listen();
    }

    /** Stops accepting connections and waits (up to the timeout) for open requests and streams to end. */
    public Future<Void> shutdown(long timeoutSeconds) {
        return server.shutdown(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    public int actualPort() {
        return server.actualPort();
    }
}
