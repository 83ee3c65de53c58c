package dev.aigateway.server.transport;

import dev.aigateway.config.TransportSettings;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Bounds what a client may hold of one event loop's HTTP server before and between its requests: time and
 * connections. Only the client's own sending and idling are timed; once a request has arrived in full, its answer
 * (a slow upstream, a long stream) takes as long as it takes.
 * <ul>
 *   <li>a new connection must complete its first request's headers within {@code headerTimeout};</li>
 *   <li>a request's body must arrive in full within {@code bodyTimeout} of its headers (else 408 from its reader, and the
 *       connection is closed; a body nobody reads just loses the connection);</li>
 *   <li>a connection with no request in progress is closed after {@code keepAliveTimeout}. The wait for the next
 *       request's headers counts as idle: the server sees a request only once its headers are complete;</li>
 *   <li>connections over {@link ConnectionLimit} are closed when accepted;</li>
 *   <li>a request line over {@link TransportSettings#MAX_INITIAL_LINE_BYTES} gets 414, a header block over
 *       {@link TransportSettings#MAX_HEADER_BYTES} or more than {@link TransportSettings#MAX_HEADER_FIELDS} header fields
 *       431, a request the HTTP decoder cannot read 400: each with an OpenAI-shaped JSON body, then the connection is
 *       closed.</li>
 * </ul>
 * Deadlines are checked by one periodic sweep per event loop (a quarter of the shortest timeout, at most once a second)
 * rather than a timer per request: a request costs two field writes, and the sweep a few comparisons per open connection.
 * Confined to its event loop.
 */
public final class ConnectionGuard {
    private final Vertx vertx;
    private final ConnectionLimit limit;
    private final long headerNanos;
    private final long bodyNanos;
    private final long keepAliveNanos;
    private final Map<HttpConnection, Conn> conns = new IdentityHashMap<>();
    private long sweepTimer = -1;

    public ConnectionGuard(Vertx vertx, TransportSettings settings, ConnectionLimit limit) {
        this.vertx = vertx;
        this.limit = limit;
        this.headerNanos = settings.headerTimeout().toNanos();
        this.bodyNanos = settings.bodyTimeout().toNanos();
        this.keepAliveNanos = settings.keepAliveTimeout().toNanos();
    }

    /** Starts the sweep; call on the event loop that serves the connections. */
    public void start() {
        long shortest = Math.min(headerNanos, Math.min(bodyNanos, keepAliveNanos)) / 1_000_000;
        sweepTimer = vertx.setPeriodic(Math.max(50, Math.min(1000, shortest / 4)), id -> sweep());
    }

    public void stop() {
        if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    }

    /** For {@code HttpServer.connectionHandler}. */
    public void connected(HttpConnection conn) {
        if (!limit.tryOpen()) {
            conn.close();
            return;
        }
        Conn c = new Conn(conn, System.nanoTime() + headerNanos);
        conns.put(conn, c);
        conn.closeHandler(v -> {
            if (conns.remove(conn) != null) limit.closed();
        });
    }

    /** Wraps the server's request handler: checks the header count and starts the request's body deadline. */
    public Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
        return req -> {
            if (tooManyHeaderFields(req)) {
                refuse(req, GatewayException.headersTooLarge(
                        "The request has more than " + TransportSettings.MAX_HEADER_FIELDS + " header fields."));
                return;
            }
            Conn c = conns.get(req.connection());
            if (c != null) {
                c.request = req;
                c.bodyTimeout = null;
                c.deadline = System.nanoTime() + bodyNanos;
            }
            next.handle(req);
        };
    }

    /**
     * What to do when {@code req}'s body has not arrived in time: its reader's own failure (a 408 through the request's
     * error path, so the request finishes as usual). A request nobody reads loses its connection instead.
     */
    public void onBodyTimeout(HttpServerRequest req, Runnable action) {
        Conn c = conns.get(req.connection());
        if (c != null && c.request == req) c.bodyTimeout = action;
    }

    /** For {@code HttpServer.invalidRequestHandler}: what the HTTP decoder could not read gets a JSON answer. */
    public void invalid(HttpServerRequest req) {
        Throwable cause = req.decoderResult() == null ? null : req.decoderResult().cause();
        GatewayException e;
        if (cause instanceof TooLongHttpLineException) {
            e = GatewayException.uriTooLong(
                    "The request line (method, path and query) is longer than " + TransportSettings.MAX_INITIAL_LINE_BYTES + " bytes.");
        } else if (cause instanceof TooLongHttpHeaderException) {
            e = GatewayException.headersTooLarge(
                    "The request's headers are larger than " + TransportSettings.MAX_HEADER_BYTES + " bytes in all.");
        } else {
            e = GatewayException.malformedRequest(
                    "The request is not valid HTTP/1.1 (request line or headers could not be read).");
        }
        refuse(req, e);
    }

    private static boolean tooManyHeaderFields(HttpServerRequest req) {
        int n = 0;
        for (Iterator<Map.Entry<String, String>> it = req.headers().iterator(); it.hasNext(); it.next()) {
            if (++n > TransportSettings.MAX_HEADER_FIELDS) return true;
        }
        return false;
    }

    /** Answers and closes: the rest of what the client sends on this connection is not read. */
    private static void refuse(HttpServerRequest req, GatewayException e) {
        HttpServerResponse r = req.response();
        HttpConnection conn = req.connection();
        if (r.headWritten() || r.ended() || r.closed()) {
            conn.close();
            return;
        }
        e.headers().forEach(r::putHeader);
        r.setStatusCode(e.status()).putHeader("content-type", "application/json").putHeader("connection", "close");
        r.end(Json.toBuffer(e.toJson())).onComplete(v -> conn.close());
    }

    private void sweep() {
        if (conns.isEmpty()) return;
        long now = System.nanoTime();
        List<Conn> expired = null;
        for (Conn c : conns.values()) {
            HttpServerRequest req = c.request;
            if (req != null) {
                if (req.isEnded()) {
                    if (!req.response().ended()) continue; // answering: a stream or a slow upstream is not the client's doing
                    c.request = null; // answered: the connection idles from now on
                    c.bodyTimeout = null;
                    c.deadline = now + keepAliveNanos;
                    continue;
                }
            }
            if (now - c.deadline > 0) {
                if (expired == null) expired = new ArrayList<>();
                expired.add(c);
            }
        }
        if (expired == null) return;
        for (Conn c : expired) {
            Runnable timeout = c.bodyTimeout;
            c.bodyTimeout = null;
            if (c.request != null && timeout != null) {
                timeout.run(); // the reader answers 408 and closes after it
            } else {
                // Idle, headers incomplete, or a body nobody reads (its request answered early, or busy elsewhere): the
                // connection goes; a request still in progress sees its client leave and ends as such.
                c.conn.close();
            }
        }
    }

    /** One open connection: its request in progress (null while idle) and the deadline of what it is waiting for. */
    private static final class Conn {
        final HttpConnection conn;
        HttpServerRequest request;
        /** The request's body reader's 408, once it reads. */
        Runnable bodyTimeout;
        long deadline;

        Conn(HttpConnection conn, long deadline) {
            this.conn = conn;
            this.deadline = deadline;
        }
    }
}
