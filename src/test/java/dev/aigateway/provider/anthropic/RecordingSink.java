package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Collects a provider's chunks and its one terminal call. */
final class RecordingSink implements ChunkSink {
    final List<ObjectNode> chunks = new CopyOnWriteArrayList<>();
    /** Completes with null on end(), with the error on fail(). */
    final CompletableFuture<GatewayException> terminal = new CompletableFuture<>();
    volatile int terminalCalls;

    @Override
    public void chunk(ObjectNode chunk) {
        chunks.add(chunk.deepCopy());
    }

    @Override
    public void end() {
        terminalCalls++;
        terminal.complete(null);
    }

    @Override
    public void fail(GatewayException error) {
        terminalCalls++;
        terminal.complete(error);
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void drainHandler(Runnable onDrain) {}

    /** Waits for the terminal call: null when the stream ended, the error when it failed. */
    GatewayException awaitTerminal() throws Exception {
        return terminal.get(5, TimeUnit.SECONDS);
    }

    String content() {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode c : chunks) for (JsonNode ch : c.path("choices")) sb.append(ch.path("delta").path("content").asText(""));
        return sb.toString();
    }

    String arguments(int toolIndex) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode c : chunks) {
            for (JsonNode ch : c.path("choices")) {
                for (JsonNode tc : ch.path("delta").path("tool_calls")) {
                    if (tc.path("index").asInt() == toolIndex) sb.append(tc.path("function").path("arguments").asText(""));
                }
            }
        }
        return sb.toString();
    }
}
