package dev.aigateway.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a request's JSON tree is charged covers what it really holds in the heap, for the shapes that cost the most
 * per byte of text. Measured: the heap in use after a full GC with the tree held, minus before.
 */
class CountingNodeFactoryTest {
    static final int ITEMS = 200_000;

    static String body(String shape) {
        StringBuilder b = new StringBuilder("{\"model\":\"m\",\"x\":");
        switch (shape) {
            case "empty-arrays" -> { b.append('['); for (int i = 0; i < ITEMS; i++) b.append(i == 0 ? "" : ",").append("[]"); b.append(']'); }
            case "empty-objects" -> { b.append('['); for (int i = 0; i < ITEMS; i++) b.append(i == 0 ? "" : ",").append("{}"); b.append(']'); }
            case "unique-keys" -> { b.append('{'); for (int i = 0; i < ITEMS; i++) b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i % 7); b.append('}'); }
            case "numbers" -> { b.append('['); for (int i = 0; i < ITEMS; i++) b.append(i == 0 ? "" : ",").append(100_000 + i); b.append(']'); }
            case "short-strings" -> { b.append('['); for (int i = 0; i < ITEMS; i++) b.append(i == 0 ? "" : ",").append("\"s").append(i).append('"'); b.append(']'); }
            case "long-text" -> b.append('"').append("word ".repeat(ITEMS)).append('"');
            case "messages" -> { b.append('['); for (int i = 0; i < ITEMS / 20; i++) b.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"message number ").append(i).append("\"}"); b.append(']'); }
            default -> throw new IllegalArgumentException(shape);
        }
        return b.append('}').toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty-arrays", "empty-objects", "unique-keys", "numbers", "short-strings", "long-text", "messages"})
    void theChargeCoversTheTreesHeap(String shape) {
        Buffer body = Buffer.buffer(body(shape));
        AtomicLong charged = new AtomicLong();
        long before = usedAfterGc();
        ObjectNode tree = Json.parseRequest(body, charged::addAndGet);
        long after = usedAfterGc();
        long retained = after - before;
        System.out.printf("%-14s body %,9d B, tree in heap %,11d B (%.1fx), charged %,11d B (%.1fx)%n", shape, body.length(),
                retained, retained / (double) body.length(), charged.get(), charged.get() / (double) body.length());
        assertThat(tree.size()).isEqualTo(2);
        assertThat(charged.get()).as("charged vs measured heap of the tree").isGreaterThanOrEqualTo(retained);
        assertThat(charged.get()).as("not wildly over").isLessThan(Math.max(retained, body.length()) * 4L);
    }

    @Test
    void aRefusedChargeStopsTheParseWithTheChargesAnswer() {
        AtomicLong charged = new AtomicLong();
        assertThatThrownBy(() -> Json.parseRequest(Buffer.buffer(body("empty-arrays")), n -> {
            if (charged.addAndGet(n) > 100_000) throw GatewayException.unavailable("full");
        })).isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(charged.get()).isLessThan(100_000 + 70_000);
    }

    @Test
    void nodesAddedAfterTheParseAreNotCharged() {
        AtomicLong charged = new AtomicLong();
        ObjectNode tree = Json.parseRequest(Buffer.buffer("{\"model\":\"m\"}"), charged::addAndGet);
        long once = charged.get();
        tree.putArray("added").add("x").add(1);
        tree.putObject("more").put("k", "v");
        assertThat(charged.get()).isEqualTo(once);
        assertThat(tree.toString()).isEqualTo("{\"model\":\"m\",\"added\":[\"x\",1],\"more\":{\"k\":\"v\"}}");
    }

    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
