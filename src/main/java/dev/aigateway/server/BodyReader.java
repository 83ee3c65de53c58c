package dev.aigateway.server;

import dev.aigateway.core.GatewayException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.function.Consumer;

/**
 * Reads a request body up to a limit, taking its memory from the instance's {@link BodyBudget} as the bytes arrive.
 * Nothing is allocated ahead of the bytes (a declared Content-Length is a claim, not a byte): the chunks the server
 * received are kept as they are and joined without copying, so a body costs its own size and no more.
 *
 * <p>Refusals: a declared Content-Length over the limit, or one that the budget cannot hold right now, before a byte
 * is read; a body that grows past the limit (413) or past what the budget has left (503 {@code gateway_overloaded}, or
 * 413 when it could never fit) as soon as it does. After a refusal the connection is closed once the answer is out,
 * so the rest of the upload is not read. The hold is released on every failure here; on success it stays with the
 * request (its parsed JSON is charged to it too) until the request finishes.
 */
public final class BodyReader {
    private BodyReader() {}

    /**
     * @param onTimeout given the action that fails this read with a 408 (the transport runs it when the body has not
     *                  arrived within its timeout): the answer then goes out through the request's own error path
     */
    public static Future<Buffer> read(HttpServerRequest req, long limit, BodyBudget.Hold hold, Consumer<Runnable> onTimeout) {
        String declared = req.getHeader("content-length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) return refuse(req, hold, GatewayException.badRequest("Content-Length is not a number.", null));
            if (n > limit) return refuse(req, hold, GatewayException.bodyTooLarge(limit));
            if (!hold.couldTake(n)) return refuse(req, hold, hold.refusal(n));
        }
        Promise<Buffer> p = Promise.promise();
        Chunks body = new Chunks();
        req.handler(chunk -> {
            if (p.future().isComplete()) return; // refused: the rest is dropped until the connection closes
            int n = chunk.length();
            GatewayException refusal = body.length + n > limit ? GatewayException.bodyTooLarge(limit)
                    : hold.take(n) ? null : hold.refusal(hold.held() + n);
            if (refusal != null) {
                body.clear();
                hold.release();
                // Before the failure is handed on: its answer is written as the promise fails, and a header must precede it.
                closeAfterAnswer(req);
                p.tryFail(refusal);
                return;
            }
            body.add(chunk);
        });
        req.endHandler(v -> {
            if (!p.tryComplete(body.joined())) body.clear();
        });
        onTimeout.accept(() -> {
            if (p.future().isComplete()) return;
            body.clear();
            hold.release();
            closeAfterAnswer(req);
            p.tryFail(GatewayException.timeout("The request body did not arrive in time (GATEWAY_BODY_TIMEOUT_SECONDS)."));
        });
        req.exceptionHandler(t -> {
            body.clear();
            hold.release();
            p.tryFail(GatewayException.badRequest("Could not read the request body: " + t.getMessage(), null));
        });
        req.resume();
        return p.future();
    }

    /**
     * The body as received: one chunk as is, several as a composite over them (no copy). A composite has no backing
     * array; {@link dev.aigateway.core.Json} reads it as a stream.
     */
    private static final class Chunks {
        private Buffer first;
        private CompositeByteBuf rest;
        long length;

        void add(Buffer chunk) {
            length += chunk.length();
            if (first == null) {
                first = chunk;
                return;
            }
            if (rest == null) {
                rest = Unpooled.compositeBuffer(Integer.MAX_VALUE);
                rest.addComponent(true, byteBuf(first));
            }
            rest.addComponent(true, byteBuf(chunk));
        }

        Buffer joined() {
            if (rest != null) return BufferInternal.buffer(rest);
            return first != null ? first : Buffer.buffer(0);
        }

        void clear() {
            first = null;
            rest = null;
            length = 0;
        }

        private static ByteBuf byteBuf(Buffer b) {
            return ((BufferInternal) b).getByteBuf();
        }
    }

    /** How long the rest of a refused upload is read (and dropped) before the connection is closed. */
    static final long LINGER_MS = 2_000;

    /**
     * HTTP/1.x: the connection is closed after the answer, so the rest of the upload is not kept (HTTP/2 forbids the
     * header; its stream just ends). Not at once: closing a socket with unread bytes makes the kernel reset the
     * connection, and a client still sending its body would lose the answer it was sent. So the rest is read and
     * dropped until the upload ends or {@link #LINGER_MS} pass, whichever is first (as Nginx's lingering close does).
     */
    static void closeAfterAnswer(HttpServerRequest req) {
        if (req.version() == HttpVersion.HTTP_2) return;
        HttpServerResponse r = req.response();
        if (r.ended() || r.closed()) {
            lingerThenClose(req);
            return;
        }
        if (!r.headWritten()) r.putHeader("connection", "close");
        r.endHandler(v -> lingerThenClose(req));
    }

    private static void lingerThenClose(HttpServerRequest req) {
        HttpConnection conn = req.connection();
        Context here = Vertx.currentContext();
        if (req.isEnded() || here == null) {
            conn.close();
            return;
        }
        long timer = here.owner().setTimer(LINGER_MS, t -> conn.close());
        req.handler(dropped -> {});
        req.endHandler(v -> {
            here.owner().cancelTimer(timer);
            conn.close();
        });
        req.exceptionHandler(t -> here.owner().cancelTimer(timer));
        req.resume();
    }

    private static Future<Buffer> refuse(HttpServerRequest req, BodyBudget.Hold hold, GatewayException e) {
        hold.release();
        closeAfterAnswer(req);
        return Future.failedFuture(e);
    }
}
