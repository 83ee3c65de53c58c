package dev.aigateway.server;

import dev.aigateway.error.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a request body up to a limit. A declared Content-Length over the limit is refused before a byte
 * is read; a chunked body is refused as soon as it grows past it (413 either way, and the connection is
 * closed after the answer so the rest of the upload is not read).
 */
public final class BodyReader {
    private BodyReader() {}

    public static Future<Buffer> read(HttpServerRequest req, long limit) {
        String declared = req.getHeader("content-length");
        if (declared != null) {
            try {
                long n = Long.parseLong(declared.strip());
                if (n > limit) return tooLarge(req, limit);
            } catch (NumberFormatException e) {
                return Future.failedFuture(GatewayException.badRequest("Content-Length is not a number.", null));
            }
        }
        Promise<Buffer> p = Promise.promise();
        Buffer body = Buffer.buffer(declared != null ? (int) Math.min(Long.parseLong(declared.strip()), limit) : 1024);
        req.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                if (p.tryFail(GatewayException.bodyTooLarge(limit))) {
                    closeAfterAnswer(req);
                    req.pause();
                }
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> p.tryComplete(body));
        req.exceptionHandler(t -> p.tryFail(GatewayException.badRequest("Could not read the request body: " + t.getMessage(), null)));
        req.resume();
        return p.future();
    }

    /** HTTP/1.x: close so the unread rest of the upload is dropped (HTTP/2 forbids the header; its stream just ends). */
    private static void closeAfterAnswer(HttpServerRequest req) {
        if (req.version() != HttpVersion.HTTP_2) req.response().putHeader("connection", "close");
    }

    private static Future<Buffer> tooLarge(HttpServerRequest req, long limit) {
        closeAfterAnswer(req);
        return Future.failedFuture(GatewayException.bodyTooLarge(limit));
    }
}
