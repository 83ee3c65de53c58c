package dev.aigateway.provider.anthropic;

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

/**
 * OpenAI -> Anthropic request and Anthropic -> OpenAI response translation, as trees and bytes to bytes
 * (what a request really costs: parse, translate, serialize), and decoding a whole Anthropic stream
 * (~45 events) into OpenAI chunks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnthropicTranslationBench {
    private final Deployment deployment = Payloads.deployment("anthropic", "claude-sonnet-4-5");
    private Buffer requestBytes;
    private ObjectNode request;
    private byte[] messageBytes;
    private JsonNode message;
    private List<Buffer> stream;

    @Setup
    public void setup() {
        requestBytes = Buffer.buffer(Payloads.CHAT_REQUEST);
        request = Payloads.chatRequest();
        messageBytes = Payloads.ANTHROPIC_MESSAGE.getBytes(StandardCharsets.UTF_8);
        message = Json.tryParse(messageBytes);
        stream = Payloads.anthropicStream();
        String before = request.toString();
        AnthropicRequestTranslator.translate(request, deployment, false);
        if (!before.equals(request.toString())) throw new IllegalStateException("the translator changed its input");
    }

    @Benchmark
    public ObjectNode requestTree() {
        return AnthropicRequestTranslator.translate(request, deployment, false);
    }

    @Benchmark
    public byte[] requestBytesToBytes() {
        return Json.toBytes(AnthropicRequestTranslator.translate(Json.parseRequest(requestBytes), deployment, false));
    }

    @Benchmark
    public ObjectNode responseTree() {
        return AnthropicResponseTranslator.translate(message, "claude-sonnet-4-5");
    }

    @Benchmark
    public byte[] responseBytesToBytes() {
        return Json.toBytes(AnthropicResponseTranslator.translate(Json.tryParse(messageBytes), "claude-sonnet-4-5"));
    }

    /** One whole stream: SSE parsing, JSON parsing of each event, OpenAI chunk building. */
    @Benchmark
    public void streamDecode(Blackhole bh) {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder("anthropic", "claude-sonnet-4-5");
        ChunkSink sink = Payloads.sink(bh::consume);
        for (Buffer b : stream) decoder.feed(b, sink);
        decoder.end(sink);
    }
}
