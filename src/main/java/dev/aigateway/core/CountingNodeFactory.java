package dev.aigateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ValueNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.LongConsumer;

/**
 * Builds a request's JSON tree while charging what each node costs in the heap, as it is built. A tree takes several
 * times the bytes of its text ({@code [[],[],...]}: about 30 times; unique keys, numbers and short strings in
 * between), so counting only the body would let one request's tree outgrow the heap. The charge throws to stop the
 * parse when the memory is not there.
 *
 * <p>The costs are upper estimates for a 64-bit JVM with compressed references (object headers, the map entries and
 * array slots that hold each node; strings at two bytes a character, as a string with one non-Latin-1 character is
 * stored). Charges go in steps, so a tree of any size makes only a few calls. Once {@link #stop}ped (the parse is
 * done) the factory charges nothing: nodes a handler adds later are its own business.
 */
final class CountingNodeFactory extends JsonNodeFactory {
    static final long OBJECT = 88;
    static final long ENTRY = 52;
    static final long STRING = 40;
    static final long ARRAY = 104;
    static final long SLOT = 8;
    static final long TEXT_NODE = 16;
    static final long SMALL_NUMBER = 16;
    static final long NUMBER = 24;
    static final long BIG_NUMBER = 128;
    /** The smallest step taken from the budget; a step grows with the tree (a quarter of what it holds, to 64 KiB). */
    private static final long MIN_STEP = 1024;
    private static final long MAX_STEP = 64 * 1024;

    private LongConsumer charge;
    private long used;
    private long granted;

    CountingNodeFactory(LongConsumer charge) {
        super(false);
        this.charge = charge;
    }

    /** Bytes charged for the tree so far (an estimate of its size in the heap). */
    long used() {
        return used;
    }

    void stop() {
        charge = null;
    }

    private void cost(long bytes) {
        if (charge == null) return;
        used += bytes;
        if (used > granted) {
            long step = Math.max(used - granted, Math.min(MAX_STEP, Math.max(MIN_STEP, granted / 4)));
            charge.accept(step);
            granted += step;
        }
    }

    private static long chars(String s) {
        return STRING + 2L * s.length();
    }

    @Override
    public ObjectNode objectNode() {
        cost(OBJECT);
        return new ObjectNode(this, new Fields());
    }

    @Override
    public ArrayNode arrayNode() {
        cost(ARRAY);
        return new ArrayNode(this, new Items());
    }

    @Override
    public ArrayNode arrayNode(int capacity) {
        cost(ARRAY + SLOT * Math.max(0, capacity));
        return new ArrayNode(this, new Items());
    }

    @Override
    public TextNode textNode(String text) {
        if (text != null) cost(TEXT_NODE + chars(text));
        return super.textNode(text);
    }

    @Override
    public NumericNode numberNode(int v) {
        cost(SMALL_NUMBER);
        return super.numberNode(v);
    }

    @Override
    public NumericNode numberNode(long v) {
        cost(NUMBER);
        return super.numberNode(v);
    }

    @Override
    public NumericNode numberNode(double v) {
        cost(NUMBER);
        return super.numberNode(v);
    }

    @Override
    public NumericNode numberNode(float v) {
        cost(SMALL_NUMBER);
        return super.numberNode(v);
    }

    @Override
    public ValueNode numberNode(BigInteger v) {
        cost(BIG_NUMBER);
        return super.numberNode(v);
    }

    @Override
    public ValueNode numberNode(BigDecimal v) {
        cost(BIG_NUMBER);
        return super.numberNode(v);
    }

    @Override
    public com.fasterxml.jackson.databind.node.BinaryNode binaryNode(byte[] data) {
        if (data != null) cost(NUMBER + data.length);
        return super.binaryNode(data);
    }

    /** An object's fields: each new key costs its map entry and its name. */
    private final class Fields extends LinkedHashMap<String, JsonNode> {
        @Override
        public JsonNode put(String key, JsonNode value) {
            JsonNode previous = super.put(key, value);
            if (previous == null) cost(ENTRY + chars(key));
            return previous;
        }

        @Override
        public JsonNode putIfAbsent(String key, JsonNode value) {
            JsonNode previous = super.putIfAbsent(key, value);
            if (previous == null) cost(ENTRY + chars(key));
            return previous;
        }
    }

    /** An array's items: each costs its slot (with the list's spare capacity). */
    private final class Items extends ArrayList<JsonNode> {
        @Override
        public boolean add(JsonNode node) {
            cost(SLOT);
            return super.add(node);
        }

        @Override
        public void add(int index, JsonNode node) {
            cost(SLOT);
            super.add(index, node);
        }
    }
}
