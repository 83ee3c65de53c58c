package dev.aigateway.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Cancellation;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.Upstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What provider tests share: a Vert.x instance with the shared {@link Upstream}, an event-loop context to
 * call providers on (they, and {@link Cancellation}, are event-loop confined as in the server), and builders
 * for deployments and requests.
 */
public final class ProviderTestKit implements AutoCloseable {
    public final Vertx vertx = Vertx.vertx();
    public final Upstream upstream = new Upstream(vertx);
    private final Context context = vertx.getOrCreateContext();

    /** Runs a provider call on the event loop and hands back its future (a synchronous throw becomes a failure). */
    public <T> Future<T> onLoop(Supplier<Future<T>> call) {
        Promise<T> p = Promise.promise();
        context.runOnContext(v -> {
            try {
                call.get().onComplete(p);
            } catch (RuntimeException e) {
                p.fail(e);
            }
        });
        return p.future();
    }

    /** Cancels on the event loop, as the server does when the client disconnects. */
    public void cancel(Cancellation c) {
        context.runOnContext(v -> c.cancel());
    }

    public static <T> T await(Future<T> f) {
        try {
            return f.await(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("future did not complete within 5 s", e);
        }
    }

    /** The GatewayException a future failed with (the test fails if it succeeded or failed otherwise). */
    public static GatewayException failure(Future<?> f) {
        Throwable t = catchThrowable(() -> await(f));
        assertThat(t).as("expected a GatewayException").isInstanceOf(GatewayException.class);
        return (GatewayException) t;
    }

    public static Deployment deployment(String provider, String model, String key, String apiBase) {
        return deployment(provider, model, key, apiBase, null, Duration.ofSeconds(5), Json.object());
    }

    public static Deployment deployment(String provider, String model, String key, String apiBase,
                                        String apiVersion, Duration timeout, ObjectNode params) {
        return new Deployment("d1", "my-model", provider, model, key, apiBase, apiVersion, timeout, null,
                1, 0, params, Json.object(), true);
    }

    public static ProviderRequest request(Deployment d, String bodyJson) {
        return new ProviderRequest(d, json(bodyJson), new Cancellation());
    }

    public static ObjectNode json(String s) {
        return (ObjectNode) Json.parse(s);
    }

    /** Polls until the condition holds (fakes run on their own event loop). */
    public static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            upstream.close().await(5, TimeUnit.SECONDS);
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // teardown
        }
    }
}
