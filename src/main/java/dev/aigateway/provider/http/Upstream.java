package dev.aigateway.provider.http;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.ProviderErrors;
import dev.aigateway.provider.ProviderRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * The one HTTP client every provider sends through: pooled keep-alive connections (HTTP/2 via ALPN on
 * TLS, HTTP/1.1 otherwise), TCP_NODELAY, per-deployment timeouts, cancellation when the client leaves,
 * and stream pass-through with back-pressure (the upstream is paused while the client cannot keep up).
 * Every failure it reports (error answers, broken streams, connection errors) is redacted once, here, by
 * {@link ProviderErrors#scrub}: no provider's error text reaches a client with a credential in it.
 *
 * <p>Timeouts: a non-streamed call must complete within the deployment's {@code timeout}. A stream must
 * send its headers within {@code stream_timeout} (else {@code timeout}) and then never go silent for
 * longer than {@code timeout}.
 */
public final class Upstream {
    private final Vertx vertx;
    /** HTTP/1.1 connections per upstream host (GATEWAY_UPSTREAM_POOL_SIZE). */
    private final int poolSize;
    /**
     * One pair of clients per event loop. A pooled connection belongs to the event loop that opened it; shared
     * between loops, a request arriving on one loop would write through another loop's connection and get its
     * answer handed back across threads (two thread wake-ups per call). Per-loop pools keep a call on one thread.
     */
    private final ThreadLocal<Clients> perLoop = new ThreadLocal<>();
    /** Callers off the event loops (worker threads, tests) share one pair. */
    private final Clients shared;
    private final List<Clients> all = new CopyOnWriteArrayList<>();

    /** HTTP/1.1 connections per upstream host, unless configured: every open stream holds one. */
    public static final int DEFAULT_POOL_SIZE = 4096;

    /** With the default pool size (tests, tools); the gateway passes its configured one. */
    public Upstream(Vertx vertx) {
        this(vertx, DEFAULT_POOL_SIZE);
    }

    public Upstream(Vertx vertx, int poolSize) {
        this.vertx = vertx;
        this.poolSize = poolSize;
        this.shared = newClients();
    }

    /**
     * https upstreams get HTTP/2 when ALPN agrees, else HTTP/1.1. http upstreams get HTTP/1.1 only: an HTTP/2 client
     * would open cleartext connections with the h2c prior-knowledge preface ({@code PRI * HTTP/2.0}), which Ollama
     * (Go net/http), vLLM (uvicorn) and LM Studio reject.
     */
    private record Clients(HttpClient tls, HttpClient plain) {}

    private Clients newClients() {
        // Every open HTTP/1.1 stream holds a connection, so the pool allows thousands per upstream host.
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(poolSize).setHttp2MaxSize(16).setMaxWaitQueueSize(-1);
        HttpClientOptions tls = baseOptions()
                .setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
        Clients c = new Clients(vertx.httpClientBuilder().with(tls).with(pool).build(),
                vertx.httpClientBuilder().with(baseOptions().setProtocolVersion(HttpVersion.HTTP_1_1)).with(pool).build());
        all.add(c);
        return c;
    }

    private static HttpClientOptions baseOptions() {
        return new HttpClientOptions()
                .setTcpNoDelay(true)
                .setKeepAlive(true)
                .setPipelining(false)
                .setConnectTimeout(10_000)
                .setMaxInitialLineLength(8192)
                .setDecoderInitialBufferSize(512);
    }

    private HttpClient clientFor(HttpCall call) {
        Clients c = perLoop.get();
        if (c == null) {
            if (!Context.isOnEventLoopThread()) {
                c = shared;
            } else {
                c = newClients();
                perLoop.set(c);
            }
        }
        return call.url().regionMatches(true, 0, "https:", 0, 6) ? c.tls() : c.plain();
    }

    /** Sends a call and buffers the whole 2xx answer; any other status goes through {@code errors}. */
    public Future<UpstreamResponse> send(HttpCall call, ProviderRequest request, ErrorMapper errors) {
        Deployment d = request.deployment();
        long timeoutMs = timeout(d).toMillis();
        Promise<UpstreamResponse> result = Promise.promise();
        String label = d.provider();
        // The deadline and the cancel hook start before a pooled connection is found, so waiting in the pool counts too.
        Pending pending = new Pending();
        long timer = vertx.setTimer(timeoutMs, t -> {
            if (result.tryFail(GatewayException.timeout(label + " did not answer within " + timeoutMs + " ms (deployment timeout)."))) {
                pending.abort();
            }
        });
        request.cancel().onCancel(() -> {
            vertx.cancelTimer(timer);
            if (result.tryFail(GatewayException.clientClosed())) pending.abort();
        });
        clientFor(call).request(options(call, timeoutMs)).onComplete(ar -> {
            if (ar.failed()) {
                vertx.cancelTimer(timer);
                result.tryFail(transportError(d, call, ar.cause()));
                return;
            }
            HttpClientRequest req = ar.result();
            if (!pending.attach(req, result.future())) return;
            if (!copyHeaders(req, call)) {
                vertx.cancelTimer(timer);
                result.tryFail(invalidHeader(d));
                return;
            }
            Future<HttpClientResponse> sent = call.body() == null ? req.send() : req.send(call.body());
            sent.compose(resp -> resp.body().map(body -> new UpstreamResponse(resp.statusCode(), resp.headers(), body)))
                    .onComplete(r -> {
                        vertx.cancelTimer(timer);
                        if (r.failed()) {
                            result.tryFail(transportError(d, call, r.cause()));
                        } else if (r.result().status() / 100 != 2) {
                            UpstreamResponse u = r.result();
                            result.tryFail(ProviderErrors.scrub(errors.map(u.status(), u.headers(), u.body()), d));
                        } else {
                            result.tryComplete(r.result());
                        }
                    });
        });
        return result.future();
    }

    /**
     * Sends a streaming call. Completes once a 2xx answer has arrived; from then on every buffer goes through
     * {@code decoder} into {@code sink}, ending in exactly one {@code sink.end()} or {@code sink.fail()}.
     */
    public Future<Void> stream(HttpCall call, ProviderRequest request, ErrorMapper errors,
                               StreamDecoder decoder, ChunkSink sink) {
        Deployment d = request.deployment();
        long idleMs = timeout(d).toMillis();
        long firstByteMs = (d.streamTimeout() != null ? d.streamTimeout() : timeout(d)).toMillis();
        String label = d.provider();
        Promise<Void> started = Promise.promise();
        StreamState state = new StreamState(sink, d);
        Pending pending = new Pending();
        long timer = vertx.setTimer(firstByteMs, t -> {
            if (started.tryFail(GatewayException.timeout(label + " did not start streaming within " + firstByteMs + " ms (stream timeout)."))) {
                pending.abort();
            }
        });
        request.cancel().onCancel(() -> {
            vertx.cancelTimer(timer);
            state.stop();
            started.tryFail(GatewayException.clientClosed());
            pending.abort();
        });
        clientFor(call).request(options(call, firstByteMs)).onComplete(ar -> {
            if (ar.failed()) {
                vertx.cancelTimer(timer);
                started.tryFail(transportError(d, call, ar.cause()));
                return;
            }
            HttpClientRequest req = ar.result();
            if (!pending.attach(req, started.future())) return;
            if (!copyHeaders(req, call)) {
                vertx.cancelTimer(timer);
                started.tryFail(invalidHeader(d));
                return;
            }
            req.idleTimeout(idleMs);
            req.exceptionHandler(t -> onStreamError(state, started, d, call, t));
            Future<HttpClientResponse> sent = call.body() == null ? req.send() : req.send(call.body());
            sent.onComplete(rr -> {
                vertx.cancelTimer(timer);
                if (rr.failed()) {
                    onStreamError(state, started, d, call, rr.cause());
                    return;
                }
                HttpClientResponse resp = rr.result();
                if (resp.statusCode() / 100 != 2) {
                    resp.body().onComplete(b -> started.tryFail(b.succeeded()
                            ? ProviderErrors.scrub(errors.map(resp.statusCode(), resp.headers(), b.result()), d)
                            : transportError(d, call, b.cause())));
                    return;
                }
                if (!started.tryComplete()) { // timed out or cancelled meanwhile
                    req.reset();
                    return;
                }
                decoder.start(resp.headers(), sink); // only this attempt's: a failed one never reaches the sink
                // Vert.x's request idle timeout ends at the response head: from here this watch catches a silent stream.
                IdleWatch idle = new IdleWatch(vertx, idleMs, () -> {
                    state.fail(GatewayException.timeout(label + " stream went silent for longer than " + idleMs + " ms (deployment timeout)."));
                    req.reset();
                });
                state.watch(idle);
                resp.exceptionHandler(t -> onStreamError(state, started, d, call, t));
                resp.handler(buf -> {
                    if (state.done) return;
                    idle.touch();
                    try {
                        decoder.feed(buf, sink);
                    } catch (GatewayException e) {
                        state.fail(e);
                        req.reset();
                        return;
                    }
                    if (sink.writeQueueFull()) {
                        resp.pause();
                        idle.pause(); // a slow client is not a silent upstream
                        sink.drainHandler(() -> {
                            idle.resume();
                            resp.resume();
                        });
                    }
                });
                resp.endHandler(v -> {
                    if (state.done) return;
                    try {
                        decoder.end(sink);
                        state.end();
                    } catch (GatewayException e) {
                        state.fail(e);
                    }
                });
            });
        });
        return started.future();
    }

    /**
     * The upstream request of a call once the pool handed one out. A call that timed out or was cancelled while
     * it waited for a connection gets its request reset as soon as the request exists.
     */
    private static final class Pending {
        private HttpClientRequest req;
        private boolean aborted;

        /** Returns false (and resets the request) when the call already ended. */
        boolean attach(HttpClientRequest req, Future<?> outcome) {
            // Failures reach the call through its futures; without a handler Vert.x logs every reset as an error.
            req.exceptionHandler(t -> {});
            if (aborted || outcome.isComplete()) {
                req.reset();
                return false;
            }
            this.req = req;
            return true;
        }

        void abort() {
            aborted = true;
            if (req != null) req.reset();
        }
    }

    /**
     * Vert.x refuses header values with line breaks or control characters by throwing; inside this pooled callback
     * an exception would leave the call waiting for its timeout and the connection checked out, so it is caught here.
     */
    private static boolean copyHeaders(HttpClientRequest req, HttpCall call) {
        try {
            req.headers().addAll(call.headers());
            return true;
        } catch (IllegalArgumentException e) {
            req.reset();
            return false;
        }
    }

    /** Names the deployment, never the value (it is usually a credential). */
    private static GatewayException invalidHeader(Deployment d) {
        return GatewayException.upstream("The request to " + d.provider() + " for deployment " + d.id()
                + " has a header value HTTP does not allow (a line break or control character, usually in api_key);"
                + " fix the deployment.");
    }

    private void onStreamError(StreamState state, Promise<Void> started, Deployment d, HttpCall call, Throwable t) {
        GatewayException e = t instanceof TimeoutException || isIdleTimeout(t)
                ? GatewayException.timeout(d.provider() + " stream went silent for longer than the deployment timeout.")
                : transportError(d, call, t);
        // An attempt that never started (it timed out or was cancelled, and its request was reset: that reset lands
        // here) must not touch the sink: the next attempt (a retry, a fallback) may be streaming into it already.
        if (!started.tryFail(e) && started.future().succeeded()) state.fail(e);
    }


    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        for (Clients c : all) {
            closing.add(c.tls().close());
            closing.add(c.plain().close());
        }
        return Future.join(closing).mapEmpty();
    }

    private static boolean isIdleTimeout(Throwable t) {
        String m = t.getMessage();
        return m != null && m.contains("timeout");
    }

    /** {@code connectTimeout} also bounds the wait for a pooled connection. */
    static RequestOptions options(HttpCall call, long connectTimeoutMs) {
        return new RequestOptions().setMethod(call.method()).setAbsoluteURI(call.url()).setFollowRedirects(false)
                .setConnectTimeout(connectTimeoutMs);
    }

    private static java.time.Duration timeout(Deployment d) {
        return d.timeout() != null ? d.timeout() : Deployment.DEFAULT_TIMEOUT;
    }

    /** Connection-level failures: refused, reset, DNS, TLS, timeouts before an answer (redacted like every upstream error). */
    static GatewayException transportError(Deployment d, HttpCall call, Throwable t) {
        return ProviderErrors.scrub(transportError(d.provider(), call, t), d);
    }

    private static GatewayException transportError(String label, HttpCall call, Throwable t) {
        if (t instanceof GatewayException g) return g;
        String where = hostOf(call.url());
        if (t instanceof TimeoutException || (t.getMessage() != null && t.getMessage().toLowerCase().contains("timeout"))) {
            return GatewayException.timeout(label + " at " + where + " timed out: " + t.getMessage());
        }
        if (t instanceof ConnectException || t.getCause() instanceof ConnectException) {
            return GatewayException.upstream("Could not connect to " + label + " at " + where + ": " + t.getMessage());
        }
        if (t instanceof UnknownHostException) {
            return GatewayException.upstream("Could not resolve " + label + " host " + where + ".");
        }
        return GatewayException.upstream("Connection to " + label + " at " + where + " failed: "
                + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
    }

    private static String hostOf(String url) {
        try {
            URI u = URI.create(url);
            return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (RuntimeException e) {
            return "(bad url)";
        }
    }

    /**
     * Guards the sink so it sees exactly one terminal call. A failure reaching the sink is redacted: it may come from
     * the provider's stream (an error event decoded mid-answer) as well as from the connection.
     */
    private static final class StreamState {
        final ChunkSink sink;
        final Deployment deployment;
        boolean done;
        private IdleWatch idle;

        StreamState(ChunkSink sink, Deployment deployment) {
            this.sink = sink;
            this.deployment = deployment;
        }

        void watch(IdleWatch idle) { this.idle = idle; }

        void end() {
            if (done) return;
            stop();
            sink.end();
        }

        void fail(GatewayException e) {
            if (done) return;
            stop();
            sink.fail(ProviderErrors.scrub(e, deployment));
        }

        /** Finished without telling the sink (the client went away). */
        void stop() {
            done = true;
            if (idle != null) idle.stop();
        }
    }

    /**
     * Calls {@code onIdle} once when a stream has received nothing for {@code idleMs}. One timer per period, not
     * one per buffer: it re-arms for the remaining time when data came meanwhile. Time paused for back-pressure
     * does not count. Event-loop confined.
     */
    private static final class IdleWatch {
        private final Vertx vertx;
        private final long idleMs;
        private final Runnable onIdle;
        private long lastActivity = System.nanoTime();
        private long timerId;
        private boolean paused;
        private boolean stopped;

        IdleWatch(Vertx vertx, long idleMs, Runnable onIdle) {
            this.vertx = vertx;
            this.idleMs = idleMs;
            this.onIdle = onIdle;
            arm(idleMs);
        }

        void touch() { lastActivity = System.nanoTime(); }

        void pause() { paused = true; }

        void resume() {
            paused = false;
            touch();
        }

        void stop() {
            stopped = true;
            vertx.cancelTimer(timerId);
        }

        private void arm(long delayMs) {
            timerId = vertx.setTimer(Math.max(1, delayMs), t -> check());
        }

        private void check() {
            if (stopped) return;
            long silentMs = (System.nanoTime() - lastActivity) / 1_000_000;
            if (paused || silentMs < idleMs) {
                arm(paused ? idleMs : idleMs - silentMs);
                return;
            }
            stopped = true;
            onIdle.run();
        }
    }
}
