package dev.aigateway.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The field checks of the admin API's bodies (keys, teams, users, organizations, budgets, end users), in LiteLLM's
 * names: each returns the value, or null for an explicit JSON null, and a wrong one is a 400 whose {@code param} names
 * the field. Sizes are bounded: names and ids, lists, and JSON objects such as metadata.
 */
public final class AdminFields {
    /** Ids, aliases, emails: as long as the database columns. */
    public static final int MAX_NAME = 255;
    /** Entries of a list (models, members, ids to delete). */
    public static final int MAX_LIST = 1_000;
    /** A JSON object (metadata) once written out. */
    public static final int MAX_OBJECT_CHARS = 64 * 1024;
    /**
     * Amounts in USD (budgets, spend): a billion at most. Budgets are counted in nano-USD in a long (9.2 billion USD),
     * and reservations are added to spend, so an amount near that limit would overflow.
     */
    public static final double MAX_USD = 1e9;
    /** Rate limits and counts: far above any real limit, and far inside a long (limiters add to them). */
    public static final long MAX_COUNT = 1_000_000_000_000_000L;

    private AdminFields() {}

    public static String text(JsonNode n, String field) {
        if (!n.isTextual()) throw GatewayException.badRequest("'" + field + "' must be a string, not " + kind(n) + ".", field);
        return n.asText();
    }

    public static String name(JsonNode n, String field) {
        if (n.isNull()) return null;
        String s = text(n, field);
        if (s.isBlank()) throw GatewayException.badRequest("'" + field + "' must not be empty; send null to clear it.", field);
        if (s.length() > MAX_NAME) throw GatewayException.badRequest("'" + field + "' is longer than " + MAX_NAME + " characters.", field);
        return s;
    }

    public static Double amount(JsonNode n, String field) {
        if (n.isNull()) return null;
        if (!isAmount(n)) {
            throw GatewayException.badRequest("'" + field + "' must be a number of USD from 0 to " + (long) MAX_USD + ", not " + kind(n) + ".", field);
        }
        return n.asDouble();
    }

    /** A finite number of USD within 0 to {@link #MAX_USD} (an overlong literal parses to infinity, refused too). */
    public static boolean isAmount(JsonNode n) {
        return n.isNumber() && n.asDouble() >= 0 && n.asDouble() <= MAX_USD;
    }

    public static Long count(JsonNode n, String field) {
        if (n.isNull()) return null;
        if (!isCount(n)) {
            throw GatewayException.badRequest("'" + field + "' must be a whole number from 0 to " + MAX_COUNT + ", not " + kind(n) + ".", field);
        }
        return n.asLong();
    }

    /** A whole number within 0 to {@link #MAX_COUNT}; {@code 5.0} counts as whole (JavaScript clients send it). */
    public static boolean isCount(JsonNode n) {
        boolean whole = n.isIntegralNumber() && n.canConvertToLong() || n.isFloatingPointNumber() && n.asDouble() == Math.rint(n.asDouble());
        return whole && n.asDouble() >= 0 && n.asDouble() <= MAX_COUNT;
    }

    public static List<String> strings(JsonNode n, String field) {
        if (n.isNull()) return null;
        if (!n.isArray()) throw GatewayException.badRequest("'" + field + "' must be a list of strings, not " + kind(n) + ".", field);
        if (n.size() > MAX_LIST) throw GatewayException.badRequest("'" + field + "' has more than " + MAX_LIST + " entries.", field);
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw GatewayException.badRequest("'" + field + "' must be a list of non-empty strings; found " + kind(e) + ".", field);
            }
            out.add(e.asText());
        }
        return Collections.unmodifiableList(out);
    }

    public static ObjectNode object(JsonNode n, String field) {
        if (n.isNull()) return null;
        if (!(n instanceof ObjectNode o)) throw GatewayException.badRequest("'" + field + "' must be a JSON object, not " + kind(n) + ".", field);
        if (o.toString().length() > MAX_OBJECT_CHARS) {
            throw GatewayException.badRequest("'" + field + "' is larger than " + MAX_OBJECT_CHARS + " characters of JSON.", field);
        }
        return o.deepCopy();
    }

    public static String kind(JsonNode n) {
        if (n.isTextual()) return "the string " + abbreviate(n.toString());
        if (n.isNumber()) return "the number " + abbreviate(n.asText());
        if (n.isBoolean()) return n.asText();
        if (n.isNull()) return "null";
        if (n.isArray()) return "a list";
        return "an object";
    }

    public static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
