package dev.aigateway.cli.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.Map;

/** Small conversions between LiteLLM's values and the gateway's columns, shared by the importers. */
final class Convert {
    private Convert() {}

    /** Cut to a column's width (VARCHAR(n)). */
    static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** JSON text of a tree (the gateway keeps JSON in TEXT columns). */
    static String json(JsonNode n) {
        return Json.toString(n);
    }

    static Long orElse(Long value, long otherwise) {
        return value == null ? otherwise : value;
    }

    /** A JSON object of numbers only (model_rpm_limit and friends); other entries are dropped. */
    static ObjectNode numbers(JsonNode in) {
        ObjectNode out = Json.object();
        if (in instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue().isNumber()) out.put(e.getKey(), e.getValue().longValue());
                else if (e.getValue().isTextual() && e.getValue().asText().matches("\\d{1,18}")) out.put(e.getKey(), Long.parseLong(e.getValue().asText()));
            }
        }
        return out;
    }

    /** A JSON object of numbers only, as doubles (model_spend). */
    static ObjectNode numbersAsDoubles(JsonNode in) {
        ObjectNode out = Json.object();
        if (in instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) if (e.getValue().isNumber()) out.put(e.getKey(), e.getValue().doubleValue());
        }
        return out;
    }

    /** A JSON object of strings only (a key's model aliases); other entries are dropped. */
    static ObjectNode strings(JsonNode in) {
        ObjectNode out = Json.object();
        if (in instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) if (e.getValue().isTextual()) out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /**
     * model_max_budget in the gateway's form, {@code {"model": {"budget_limit": 1.0, "time_period": "30d"}}}: LiteLLM
     * writes that form, and older releases a bare number per model, which becomes a budget without a period.
     */
    static ObjectNode modelBudgets(JsonNode in) {
        ObjectNode out = Json.object();
        if (!(in instanceof ObjectNode o)) return out;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            JsonNode v = e.getValue();
            ObjectNode b = Json.object();
            if (v.isNumber()) {
                b.put("budget_limit", v.doubleValue());
            } else if (v.path("budget_limit").isNumber()) {
                b.put("budget_limit", v.path("budget_limit").doubleValue());
                if (v.path("time_period").isTextual()) b.put("time_period", v.path("time_period").asText());
            } else {
                continue;
            }
            out.set(e.getKey(), b);
        }
        return out;
    }

    /** The last characters of a key hash, to name a key in messages without its hash. */
    static String hashTail(String hash) {
        return hash == null || hash.length() < 8 ? "?" : "..." + hash.substring(hash.length() - 6);
    }
}
