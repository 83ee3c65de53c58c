package dev.aigateway.server;

import dev.aigateway.config.TransportSettings;
import dev.aigateway.server.transport.ConnectionGuard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.function.Supplier;

/**
 * One HTTP server per event loop, all on the same port (Vert.x spreads connections across them). What it serves,
 * its {@link Loop}, is built by {@link GatewayServer} when the verticle starts, on the verticle's own event loop.
 */
public final class GatewayVerticle extends VerticleBase {
    /** One event loop's request path: the guard that times its connections, and the route table (the public API's map). */
    record Loop(ConnectionGuard guard, Routes routes) {}

    private final String host;
    private final int port;
    private final Supplier<Loop> loop;
    private HttpServer server;

    GatewayVerticle(String host, int port, Supplier<Loop> loop) {
        this.host = host;
        this.port = port;
        this.loop = loop;
    }

    @Override
    public Future<?> start() {
        Loop l = loop.get();
        ConnectionGuard guard = l.guard();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
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
                .requestHandler(guard.requests(l.routes()));
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
