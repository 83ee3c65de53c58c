package dev.aigateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ChunkSink} for provider and stream-decoder tests: keeps a copy of every chunk (so a decoder that mutated a
 * chunk after handing it over is caught), counts terminal calls (a provider must make exactly one) and never applies
 * back-pressure. Helpers read the OpenAI chunk stream back as text, tool arguments, finish reasons, usage.
 */
public final class RecordingSink implements ChunkSink {
    private final List<ObjectNode> chunks = new CopyOnWriteArrayList<>();
    private final AtomicInteger ends = new AtomicInteger();
    private final AtomicInteger fails = new AtomicInteger();
    /** Completes with null on end(), with the error on fail(). */
    private final CompletableFuture<GatewayException> finished = new CompletableFuture<>();
    private volatile GatewayException failure;

    @Override
    public void chunk(ObjectNode chunk) {
        chunks.add(chunk.deepCopy());
    }

    @Override
    public void end() {
        ends.incrementAndGet();
        finished.complete(null);
    }

    @Override
    public void fail(GatewayException error) {
        failure = error;
        fails.incrementAndGet();
        finished.complete(error);
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void drainHandler(Runnable onDrain) {
        // never full
    }

    /** Waits for end(), failing the test if the stream failed instead; then checks nothing else terminated it. */
    public RecordingSink awaitEnd() {
        GatewayException e = awaitTerminal();
        assertThat(e).as("stream should end normally, but failed with: %s", e == null ? null : e.getMessage()).isNull();
        assertThat(fails.get()).isZero();
        assertThat(ends.get()).isEqualTo(1);
        return this;
    }

    /** Waits for fail() and returns its error; end() must never have been called. */
    public GatewayException awaitFailure() {
        GatewayException e = awaitTerminal();
        assertThat(e).as("stream should fail, but it ended normally").isNotNull();
        assertThat(ends.get()).as("sink.end() must not be called on a failed stream").isZero();
        assertThat(fails.get()).isEqualTo(1);
        return e;
    }

    /** Waits for the first terminal call: null when the stream ended, the error when it failed. */
    public GatewayException awaitTerminal() {
        try {
            return finished.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stream neither ended nor failed within 5 s; chunks so far: " + chunks, e);
        }
    }

    public List<ObjectNode> chunks() {
        return chunks;
    }

    /** The last chunk, which for a finished stream must be the usage chunk (choices: []). */
    public ObjectNode last() {
        return chunks.get(chunks.size() - 1);
    }

    public int ends() {
        return ends.get();
    }

    public int fails() {
        return fails.get();
    }

    /** Calls of end() and fail() together: exactly one for a finished stream. */
    public int terminalCalls() {
        return ends.get() + fails.get();
    }

    /** The error of fail(), or null. */
    public GatewayException failure() {
        return failure;
    }

    /** The content deltas of every choice, concatenated. */
    public String text() {
        return text(-1);
    }

    /** The content deltas of choice {@code index} (-1: every choice), concatenated. */
    public String text(int index) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode c : chunks) {
            for (JsonNode choice : c.path("choices")) {
                if (index >= 0 && choice.path("index").asInt() != index) continue;
                JsonNode content = choice.path("delta").get("content");
                if (content != null && content.isTextual()) sb.append(content.asText());
            }
        }
        return sb.toString();
    }

    /** The arguments of tool call {@code index}, reassembled from its deltas. */
    public String toolArguments(int index) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode c : chunks) {
            for (JsonNode choice : c.path("choices")) {
                for (JsonNode call : choice.path("delta").path("tool_calls")) {
                    if (call.path("index").asInt() == index) sb.append(call.path("function").path("arguments").asText(""));
                }
            }
        }
        return sb.toString();
    }

    /** The finish_reason values that were not null, in order. */
    public List<String> finishReasons() {
        List<String> out = new ArrayList<>();
        for (ObjectNode c : chunks) {
            for (JsonNode choice : c.path("choices")) {
                JsonNode f = choice.get("finish_reason");
                if (f != null && !f.isNull()) out.add(f.asText());
            }
        }
        return out;
    }
}
