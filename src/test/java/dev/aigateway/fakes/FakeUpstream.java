package dev.aigateway.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the in-process provider fakes: a real HTTP server on a random loopback port that records
 * every request (method, path, headers, body) and answers according to the current {@link Scenario}.
 * Subclasses speak one provider's wire format; this class knows nothing about any provider.
 */
public abstract class FakeUpstream implements AutoCloseable {

    /** One request as the fake received it. */
    public record Recorded(String method, String path, String query, MultiMap headers, Buffer body) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            return dev.aigateway.core.Json.parse(body.toString());
        }
    }

    protected final Vertx vertx;
    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger disconnects = new AtomicInteger();
    private volatile Scenario scenario = new Scenario.Text("Hello from the fake!");

    protected FakeUpstream() {
        this.vertx = Vertx.vertx();
        this.server = vertx.createHttpServer().requestHandler(this::onRequest);
        try {
            server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void onRequest(HttpServerRequest req) {
        req.connection().closeHandler(v -> disconnects.incrementAndGet());
        req.body().onSuccess(body -> {
            Recorded r = new Recorded(req.method().name(), req.path(), req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body);
            requests.add(r);
            handle(req, r, scenario);
        });
    }

    /** The credential a request carried, as a provider that echoes it would quote it (for Scenario.Error kind "echo_key"). */
    protected static String presentedCredential(Recorded r) {
        for (String h : new String[]{"x-api-key", "x-goog-api-key", "api-key", "authorization"}) {
            String v = r.headers().get(h);
            if (v != null) return v;
        }
        return "(none)";
    }

    /** Answers one request in the provider's format. */
    protected abstract void handle(HttpServerRequest req, Recorded recorded, Scenario scenario);

    public void scenario(Scenario s) {
        this.scenario = s;
    }

    public int port() {
        return server.actualPort();
    }

    public String host() {
        return "http://127.0.0.1:" + port();
    }

    public List<Recorded> requests() {
        return requests;
    }

    public Recorded last() {
        return requests.get(requests.size() - 1);
    }

    /** Connections the client closed or reset (used to prove that client disconnects cancel upstream calls). */
    public int disconnects() {
        return disconnects.get();
    }

    public void reset() {
        requests.clear();
        disconnects.set(0);
        scenario = new Scenario.Text("Hello from the fake!");
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // test teardown
        }
    }
}
