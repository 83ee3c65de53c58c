package dev.aigateway.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.json.Json;
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

import java.util.concurrent.TimeUnit;

/** Parsing a client's ~2 KB chat request (every request pays this) and writing a tree back to bytes. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonBench {
    private Buffer requestBytes;
    private ObjectNode request;

    @Setup
    public void setup() {
        requestBytes = Buffer.buffer(Payloads.CHAT_REQUEST);
        request = Payloads.chatRequest();
    }

    @Benchmark
    public ObjectNode parseChatRequest() {
        return Json.parseRequest(requestBytes);
    }

    @Benchmark
    public byte[] writeChatRequest() {
        return Json.toBytes(request);
    }

    /** What the OpenAI provider does per request: copy the client's body, set the model, serialize. */
    @Benchmark
    public Buffer openAiPassThroughBody() {
        ObjectNode body = request.deepCopy();
        body.put("model", "gpt-4o-mini");
        return Json.toBuffer(body);
    }
}
