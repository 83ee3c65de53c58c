package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;

/**
 * The field checks the request validators of every LLM route share. Each one throws a 400
 * {@code invalid_request_error} whose {@code param} names the field, worded as OpenAI words its own.
 * The limits themselves live in each route's validator, next to the API they belong to.
 */
public final class RequestFields {
    private RequestFields() {}

    /**
     * An optional integer in {@code [min, max]}. A float (even {@code 5.0} or {@code 1e20}) is refused like OpenAI
     * refuses it, and a whole number too big for a long is "above maximum" rather than silently wrapped around.
     */
    public static void integer(JsonNode parent, String field, String param, long min, long max) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isIntegralNumber()) throw bad("Invalid type for '" + param + "': expected an integer, but got " + kind(v) + " instead.", param);
        if (!v.canConvertToLong() || v.asLong() > max) {
            throw bad("Invalid '" + param + "': integer above maximum value. Expected a value <= " + max + ", but got " + v.asText() + " instead.", param);
        }
        if (v.asLong() < min) {
            throw bad("Invalid '" + param + "': integer below minimum value. Expected a value >= " + min + ", but got " + v.asText() + " instead.", param);
        }
    }

    public static void integer(ObjectNode body, String field, long min, long max) {
        integer(body, field, field, min, max);
    }

    /** An optional number in {@code [min, max]}. */
    public static void number(ObjectNode body, String field, double min, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isNumber()) throw bad("Invalid type for '" + field + "': expected a number, but got " + kind(v) + " instead.", field);
        double d = v.asDouble();
        if (!(d >= min && d <= max)) { // also refuses NaN and the infinities an overlong literal parses to
            throw bad("Invalid value for '" + field + "': " + v.asText() + " is outside the range " + min + " to " + max + ".", field);
        }
    }

    public static void bool(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) {
            throw bad("Invalid type for '" + field + "': expected a boolean, but got " + kind(v) + " instead.", field);
        }
    }

    public static void string(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw bad("Invalid type for '" + field + "': expected a string, but got " + kind(v) + " instead.", field);
        }
    }

    /** A required string of 1 to {@code maxChars} characters: its value. */
    public static String requiredText(ObjectNode body, String field, int maxChars) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) throw bad("Missing required parameter: '" + field + "'.", field);
        if (!v.isTextual()) throw bad("Invalid type for '" + field + "': expected a string, but got " + kind(v) + " instead.", field);
        String text = v.asText();
        if (text.isEmpty()) throw bad("Invalid '" + field + "': empty string. Expected a string with minimum length 1.", field);
        if (text.length() > maxChars) {
            throw bad("Invalid '" + field + "': string too long. Expected a string with maximum length " + maxChars
                    + ", but got a string with length " + text.length() + " instead.", field);
        }
        return text;
    }

    /** An optional string that must be one of {@code allowed}: its value, or null. */
    public static String oneOf(ObjectNode body, String field, java.util.Set<String> allowed) {
        string(body, field);
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!allowed.contains(v.asText())) {
            throw bad("Invalid value for '" + field + "': supported values are " + String.join(", ", new java.util.TreeSet<>(allowed)) + ".", field);
        }
        return v.asText();
    }

    /** An array of at most {@code max} items (null and non-arrays are the caller's to check). */
    public static void maxItems(JsonNode array, String param, int max) {
        if (array != null && array.isArray() && array.size() > max) {
            throw bad("Invalid '" + param + "': array too long. Expected an array with maximum length " + max
                    + ", but got an array with length " + array.size() + " instead.", param);
        }
    }

    public static String kind(JsonNode v) {
        if (v.isTextual()) return "a string";
        if (v.isBoolean()) return "a boolean";
        if (v.isIntegralNumber()) return "an integer";
        if (v.isNumber()) return "a decimal number";
        if (v.isArray()) return "an array";
        if (v.isObject()) return "an object";
        return "null";
    }

    public static GatewayException bad(String message, String param) {
        return GatewayException.badRequest(message, param);
    }
}
