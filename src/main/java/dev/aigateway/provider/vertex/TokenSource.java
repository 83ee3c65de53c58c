package dev.aigateway.provider.vertex;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * One credential's access token, shared by every call: reused while fresh, and fetched once however many calls need
 * a new one at the same moment (they all wait for the same exchange). A failed exchange is not kept: the next call
 * tries again.
 */
final class TokenSource {
    private final Supplier<Future<AccessToken>> exchange;
    private Future<AccessToken> current; // guarded by this

    TokenSource(Supplier<Future<AccessToken>> exchange) {
        this.exchange = exchange;
    }

    /** A fresh token; completes on the caller's context (the exchange may run on another event loop). */
    Future<AccessToken> token() {
        Future<AccessToken> f;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (current == null || current.failed() || current.succeeded() && !current.result().fresh(now)) {
                current = exchange.get();
            }
            f = current;
        }
        Context ctx = Vertx.currentContext();
        if (f.isComplete() || ctx == null) return f;
        Promise<AccessToken> here = Promise.promise();
        f.onComplete(ar -> ctx.runOnContext(v -> here.handle(ar)));
        return here.future();
    }

    /** The upstream refused {@code token}: the next call fetches another, unless one has been fetched already. */
    synchronized void refused(AccessToken token) {
        if (current != null && current.succeeded() && current.result() == token) current = null;
    }
}
