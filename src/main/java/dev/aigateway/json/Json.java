package dev.aigateway.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.error.GatewayException;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/** The one ObjectMapper, and the few conversions between bytes and trees the gateway needs. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() { return NODES.objectNode(); }

    public static ArrayNode array() { return NODES.arrayNode(); }

    /** Parses a client's request body; anything but a JSON object is a 400. */
    public static ObjectNode parseRequest(Buffer body) {
        if (body == null || body.length() == 0) {
            throw GatewayException.badRequest("Request body is empty; expected a JSON object.", null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            throw GatewayException.badRequest("Request body is not valid JSON: " + firstLine(e.getMessage()), null);
        }
        if (!(node instanceof ObjectNode obj)) {
            throw GatewayException.badRequest("Request body must be a JSON object.", null);
        }
        return obj;
    }

    /** Parses an upstream body; returns null when it is not JSON so callers can report the raw text. */
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

    public static Buffer toBuffer(JsonNode node) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
