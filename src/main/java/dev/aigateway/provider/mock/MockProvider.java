package dev.aigateway.provider.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.Provider;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.HttpCall;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The built-in provider that needs no network: deterministic answers for a first run, demos and
 * benchmarks. Configured through litellm_params:
 * <ul>
 *   <li>{@code mock_response}: the reply text (default: an echo of the last user message, cut at 200 characters)</li>
 *   <li>{@code mock_latency_ms}: delay before the first token (default 0, at most 600000)</li>
 *   <li>{@code mock_tokens_per_second}: streaming pace (default: as fast as possible, at most 1000000)</li>
 *   <li>{@code mock_error_status}: answer every call with this HTTP error instead (400 to 599), after the latency;
 *       {@code mock_error_message} is its message</li>
 * </ul>
 * A request's own testing options ({@link Mocking}) reach it as a stand-in deployment with these parameters.
 * The bounds of the knobs are checked when the deployment is loaded ({@code DeploymentParser}); what a request asks
 * for is bounded by the route's validator, and an embeddings answer by {@link #MAX_EMBEDDING_VALUES}.
 * When the request offers tools (and tool_choice is not "none") and the last message is not a tool
 * result, it calls the chosen (or first) tool with arguments filled from the tool's JSON schema.
 */
public final class MockProvider implements Provider {
    /** Vector length when the request gives no {@code dimensions}. */
    static final int DEFAULT_DIMENSIONS = 256;
    /**
     * Numbers one embeddings answer may hold (inputs x dimensions): 512 inputs at the default size, 16 at 8192. The mock
     * builds its vectors in the gateway's own heap, where a real provider's answer would be the provider's to bound.
     * Measured at this cap (512 inputs, JDK 25, docs/api.md): the answer's JSON tree holds about 6 MB and its text
     * 1.3 MB, so a few such requests at once fit the smallest heap (128 MB).
     */
    static final long MAX_EMBEDDING_VALUES = 512L * DEFAULT_DIMENSIONS;

    private final Vertx vertx;

    public MockProvider(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public String name() {
        return "mock";
    }

    /** Built in: nothing to ask. */
    @Override
    public HttpCall probe(Deployment deployment) {
        return null;
    }

    @Override
    public boolean usesApiKey() {
        return false;
    }

    @Override
    public Future<ObjectNode> chat(ProviderRequest request) {
        // an error is answered after the latency too: a faked timeout waits for its timeout first
        return after(latency(request.deployment()), () -> reply(request).completion(request.deployment().model()));
    }

    @Override
    public Future<Void> chatStream(ProviderRequest request, ChunkSink sink) {
        Deployment d = request.deployment();
        long gapMs = gapMs(d);
        Promise<Void> started = Promise.promise();
        long delay = latency(d);
        Runnable begin = () -> {
            if (request.cancel().isCancelled()) {
                started.tryFail(GatewayException.clientClosed());
                return;
            }
            List<ObjectNode> chunks;
            try {
                chunks = reply(request).chunks(d.model());
            } catch (GatewayException e) {
                started.tryFail(e);
                return;
            }
            started.complete();
            new Emitter(vertx, chunks, sink, gapMs, request).next(0);
        };
        if (delay > 0) vertx.setTimer(delay, t -> begin.run());
        else vertx.runOnContext(v -> begin.run());
        return started.future();
    }

    @Override
    public Future<ObjectNode> embeddings(ProviderRequest request) {
        failIfConfigured(request.deployment());
        JsonNode input = request.body().get("input");
        List<String> inputs = new ArrayList<>();
        if (input == null || input.isNull()) throw GatewayException.badRequest("Missing required parameter: 'input'.", "input");
        if (input.isArray()) input.forEach(i -> inputs.add(i.isTextual() ? i.asText() : i.toString()));
        else inputs.add(input.asText());
        JsonNode asked = request.body().get("dimensions");
        long dims = asked == null || asked.isNull() ? DEFAULT_DIMENSIONS : asked.asLong();
        if (dims < 1 || dims > MAX_EMBEDDING_VALUES || dims * inputs.size() > MAX_EMBEDDING_VALUES) {
            String param = asked == null || asked.isNull() ? "input" : "dimensions";
            throw GatewayException.badRequest("The mock model answers at most " + MAX_EMBEDDING_VALUES + " numbers per request (inputs x dimensions); "
                    + inputs.size() + " inputs of " + dims + " dimensions are " + dims * inputs.size() + ".", param);
        }
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            ArrayNode vec = e.putArray("embedding");
            for (double v : vector(inputs.get(i), (int) dims)) vec.add(v);
            tokens += Tokens.estimate(inputs.get(i));
        }
        out.put("model", request.deployment().model());
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return after(latency(request.deployment()), () -> out);
    }

    private Reply reply(ProviderRequest request) {
        failIfConfigured(request.deployment());
        return Reply.of(request.body(), request.deployment().param("mock_response"));
    }

    private static void failIfConfigured(Deployment d) {
        Long errorStatus = d.longParam("mock_error_status");
        if (errorStatus != null) {
            String message = d.param("mock_error_message");
            throw dev.aigateway.provider.ProviderErrors.map("mock", errorStatus.intValue(),
                    message != null ? message : "mock_error_status is set to " + errorStatus + " for this deployment", null, null);
        }
    }

    private static long latency(Deployment d) {
        Long l = d.longParam("mock_latency_ms");
        return l == null ? 0 : l;
    }

    private static long gapMs(Deployment d) {
        Long tps = d.longParam("mock_tokens_per_second");
        return tps == null || tps <= 0 ? 0 : Math.max(1, 1000 / tps);
    }

    private <T> Future<T> after(long delayMs, java.util.function.Supplier<T> value) {
        if (delayMs <= 0) return Future.succeededFuture(value.get());
        Promise<T> p = Promise.promise();
        vertx.setTimer(delayMs, t -> {
            try {
                p.complete(value.get());
            } catch (GatewayException e) {
                p.fail(e);
            }
        });
        return p.future();
    }

    /** A deterministic unit vector from the text: same text, same embedding. */
    static double[] vector(String text, int dims) {
        double[] v = new double[dims];
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        long seed = crc.getValue();
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            v[i] = ((seed >>> 11) / (double) (1L << 53)) * 2 - 1;
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < dims; i++) v[i] = Math.round(v[i] / norm * 1e6) / 1e6;
        return v;
    }

    /** Sends chunks one by one on timers, stopping if the client has gone. */
    private static final class Emitter {
        private final Vertx vertx;
        private final List<ObjectNode> chunks;
        private final ChunkSink sink;
        private final long gapMs;
        private final ProviderRequest request;

        Emitter(Vertx vertx, List<ObjectNode> chunks, ChunkSink sink, long gapMs, ProviderRequest request) {
            this.vertx = vertx;
            this.chunks = chunks;
            this.sink = sink;
            this.gapMs = gapMs;
            this.request = request;
        }

        void next(int i) {
            while (i < chunks.size()) {
                if (request.cancel().isCancelled()) return;
                sink.chunk(chunks.get(i++));
                if (sink.writeQueueFull()) {
                    int resumeAt = i;
                    sink.drainHandler(() -> next(resumeAt));
                    return;
                }
                if (gapMs > 0 && i < chunks.size()) {
                    int nextIndex = i;
                    vertx.setTimer(gapMs, t -> next(nextIndex));
                    return;
                }
            }
            sink.end();
        }
    }
}
