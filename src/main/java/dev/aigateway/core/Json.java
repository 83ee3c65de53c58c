package dev.aigateway.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;

/** The one ObjectMapper, and the few conversions between bytes and trees the gateway needs. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final com.fasterxml.jackson.databind.ObjectReader READER = MAPPER.reader();

    private Json() {}

    public static ObjectNode object() { return NODES.objectNode(); }

    public static ArrayNode array() { return NODES.arrayNode(); }

    /** Parses a client's request body; anything but a JSON object is a 400. */
    public static ObjectNode parseRequest(Buffer body) {
        return parseRequest(READER, body);
    }

    /**
     * Parses a client's request body, charging the tree's heap cost to {@code charge} as nodes are built
     * ({@link CountingNodeFactory}); the charge stops the parse by throwing. Anything but a JSON object is a 400.
     */
    public static ObjectNode parseRequest(Buffer body, java.util.function.LongConsumer charge) {
        CountingNodeFactory nodes = new CountingNodeFactory(charge);
        try {
            return parseRequest(READER.with(nodes), body);
        } finally {
            nodes.stop();
        }
    }

    private static ObjectNode parseRequest(com.fasterxml.jackson.databind.ObjectReader reader, Buffer body) {
        if (body == null || body.length() == 0) {
            throw GatewayException.badRequest("Request body is empty; expected a JSON object.", null);
        }
        JsonNode node;
        try {
            node = read(reader, body);
        } catch (IOException e) {
            throw GatewayException.badRequest("Request body is not valid JSON: " + describe(e), null);
        }
        if (!(node instanceof ObjectNode obj)) {
            throw GatewayException.badRequest("Request body must be a JSON object.", null);
        }
        return obj;
    }

    /** Parses an upstream body; returns null when it is not JSON so callers can report the raw text. */
    public static JsonNode tryParse(Buffer body) {
        try {
            return read(body);
        } catch (IOException e) {
            return null;
        }
    }

    public static JsonNode tryParse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    public static JsonNode parse(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Serializes straight into the buffer the server or client writes (no intermediate byte[] and copy). */
    public static Buffer toBuffer(JsonNode node) {
        ByteBuf out = Unpooled.buffer(512);
        try (ByteBufOutputStream stream = new ByteBufOutputStream(out)) {
            MAPPER.writeValue((java.io.OutputStream) stream, node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return BufferInternal.buffer(out);
    }

    /** Reads from the buffer's own bytes when it has them (heap buffers), instead of copying them out first. */
    private static JsonNode read(Buffer body) throws IOException {
        return read(READER, body);
    }

    /** A body kept in pieces (a large upload) is streamed, never copied into one array. */
    private static JsonNode read(com.fasterxml.jackson.databind.ObjectReader reader, Buffer body) throws IOException {
        ByteBuf b = ((BufferInternal) body).getByteBuf();
        if (b.hasArray()) return reader.readTree(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
        return reader.readTree((java.io.InputStream) new io.netty.buffer.ByteBufInputStream(b.duplicate()));
    }

    public static byte[] toBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toString(JsonNode node) {
        return node.toString();
    }

    /**
     * Jackson's messages name its own classes and features for some faults (trailing data, mismatched input);
     * the client gets what is wrong and where, in JSON's terms, bounded in length.
     */
    private static String describe(IOException e) {
        String where = "";
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            where = " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
        }
        if (e instanceof MismatchedInputException) return "unexpected data after the JSON value" + where + ".";
        String what = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (what == null) what = "unreadable input";
        int nl = what.indexOf('\n');
        if (nl >= 0) what = what.substring(0, nl);
        if (what.length() > 200) what = what.substring(0, 200) + "...";
        return what + where;
    }
}
