package dev.aigateway.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.jmh.Payloads;
import dev.aigateway.json.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.SseParser;
import dev.aigateway.server.chat.SseChatWriter;
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

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SSE re-framing of an OpenAI stream (~40 events, one per buffer as the upstream writes them): the
 * upstream side (SseParser, then OpenAiStreamDecoder's JSON parse per event) and the client side
 * (SseChatWriter's chunk -> {@code data: ...\n\n} event via Json.toBytes), separately and together.
 * The stream benchmarks report the time per whole stream.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseReframingBench {
    /** SseChatWriter's private {@code static Buffer event(ObjectNode)}: the server-side framing, measured as it is. */
    private static final MethodHandle EVENT;

    static {
        try {
            Method m = SseChatWriter.class.getDeclaredMethod("event", ObjectNode.class);
            m.setAccessible(true);
            EVENT = MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("SseChatWriter.event(ObjectNode) changed: update this benchmark. " + e);
        }
    }

    private List<Buffer> stream;
    private ObjectNode chunk;

    @Setup
    public void setup() {
        stream = Payloads.openAiStream();
        String second = stream.get(1).toString();
        chunk = (ObjectNode) Json.parse(second.substring("data: ".length()).trim());
    }

    static Buffer event(ObjectNode chunk) {
        try {
            return (Buffer) EVENT.invokeExact(chunk);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** SSE parsing alone: bytes to (event, data) strings. */
    @Benchmark
    public void sseParse(Blackhole bh) {
        SseParser parser = new SseParser((event, data) -> bh.consume(data));
        for (Buffer b : stream) parser.feed(b);
        parser.finish();
    }

    /** Upstream side: SSE parsing plus a JSON tree per chunk. */
    @Benchmark
    public void openAiStreamDecode(Blackhole bh) {
        OpenAiProvider.OpenAiStreamDecoder decoder = new OpenAiProvider.OpenAiStreamDecoder("openai");
        ChunkSink sink = Payloads.sink(bh::consume);
        for (Buffer b : stream) decoder.feed(b, sink);
        decoder.end(sink);
    }

    /** The whole pass-through of a stream: decode every upstream event and re-frame it for the client. */
    @Benchmark
    public void openAiStreamReframe(Blackhole bh) {
        OpenAiProvider.OpenAiStreamDecoder decoder = new OpenAiProvider.OpenAiStreamDecoder("openai");
        ChunkSink sink = Payloads.sink(c -> bh.consume(event(c)));
        for (Buffer b : stream) decoder.feed(b, sink);
        decoder.end(sink);
    }

    /** Client side, one chunk: tree -> {@code data: {...}\n\n}. */
    @Benchmark
    public Buffer chunkToSseEvent() {
        return event(chunk);
    }
}
