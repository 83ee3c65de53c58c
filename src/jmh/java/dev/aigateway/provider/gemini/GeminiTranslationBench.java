package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.jmh.Payloads;
import dev.aigateway.json.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.router.Deployment;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** OpenAI -> Gemini request and Gemini -> OpenAI response translation, and decoding a Gemini SSE stream. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GeminiTranslationBench {
    private final Deployment deployment = Payloads.deployment("gemini", "gemini-2.5-flash");
    private final GeminiErrors errors = new GeminiErrors("gemini");
    private Buffer requestBytes;
    private ObjectNode request;
    private byte[] responseBytes;
    private JsonNode response;
    private List<Buffer> stream;

    @Setup
    public void setup() {
        requestBytes = Buffer.buffer(Payloads.CHAT_REQUEST);
        request = Payloads.chatRequest();
        responseBytes = Payloads.GEMINI_RESPONSE.getBytes(StandardCharsets.UTF_8);
        response = Json.tryParse(responseBytes);
        stream = Payloads.geminiStream();
        String before = request.toString();
        GeminiRequestTranslator.translate(request, deployment);
        if (!before.equals(request.toString())) throw new IllegalStateException("the translator changed its input");
    }

    @Benchmark
    public ObjectNode requestTree() {
        return GeminiRequestTranslator.translate(request, deployment);
    }

    @Benchmark
    public byte[] requestBytesToBytes() {
        return Json.toBytes(GeminiRequestTranslator.translate(Json.parseRequest(requestBytes), deployment));
    }

    @Benchmark
    public ObjectNode responseTree() {
        return GeminiResponseTranslator.toCompletion(response, "gemini-2.5-flash");
    }

    @Benchmark
    public byte[] responseBytesToBytes() {
        return Json.toBytes(GeminiResponseTranslator.toCompletion(Json.tryParse(responseBytes), "gemini-2.5-flash"));
    }

    /** One whole stream (~10 events). */
    @Benchmark
    public void streamDecode(Blackhole bh) {
        GeminiStreamDecoder decoder = new GeminiStreamDecoder("gemini-2.5-flash", errors);
        ChunkSink sink = Payloads.sink(bh::consume);
        for (Buffer b : stream) decoder.feed(b, sink);
        decoder.end(sink);
    }
}
