package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink that keeps every chunk and the terminal call, and counts terminal calls (there must be one). */
final class RecordingSink implements ChunkSink {
    final List<ObjectNode> chunks = new CopyOnWriteArrayList<>();
    final AtomicInteger ends = new AtomicInteger();
    final AtomicInteger fails = new AtomicInteger();
    volatile GatewayException failure;
    private final CountDownLatch done = new CountDownLatch(1);

    @Override
    public void chunk(ObjectNode chunk) {
        // A copy, so a decoder that mutated a chunk after handing it over would be caught.
        chunks.add(chunk.deepCopy());
    }

    @Override
    public void end() {
        ends.incrementAndGet();
        done.countDown();
    }

    @Override
    public void fail(GatewayException error) {
        failure = error;
        fails.incrementAndGet();
        done.countDown();
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void drainHandler(Runnable onDrain) {}

    RecordingSink awaitDone() throws InterruptedException {
        if (!done.await(5, TimeUnit.SECONDS)) throw new AssertionError("stream neither ended nor failed within 5 s");
        return this;
    }

    /** The text deltas of choice 0, concatenated. */
    String content() {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode c : chunks) {
            for (JsonNode ch : c.path("choices")) {
                if (ch.path("index").asInt() == 0 && ch.path("delta").has("content")) sb.append(ch.path("delta").path("content").asText());
            }
        }
        return sb.toString();
    }

    /** The non-null finish_reasons of all chunks, in order. */
    List<String> finishReasons() {
        return chunks.stream().flatMap(c -> {
            java.util.List<String> r = new java.util.ArrayList<>();
            for (JsonNode ch : c.path("choices")) if (ch.hasNonNull("finish_reason")) r.add(ch.get("finish_reason").asText());
            return r.stream();
        }).toList();
    }
}
