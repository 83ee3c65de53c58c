package dev.aigateway.cli.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.List;
import java.util.Map;

/**
 * One row of a LiteLLM table, its values already in the gateway's terms: TIMESTAMP(3) as epoch milliseconds (Long),
 * TEXT[] as a list of strings, JSON/JSONB as a parsed tree. A column the source database does not have (an older
 * LiteLLM release) reads as null, like a column that is null.
 */
public record SourceRow(Map<String, Object> values) {

    public String text(String column) {
        Object v = values.get(column);
        return v == null ? null : v.toString();
    }

    public Double dbl(String column) {
        return values.get(column) instanceof Number n ? n.doubleValue() : null;
    }

    public double dbl(String column, double otherwise) {
        Double d = dbl(column);
        return d == null ? otherwise : d;
    }

    public Long lng(String column) {
        return values.get(column) instanceof Number n ? n.longValue() : null;
    }

    public boolean bool(String column) {
        return values.get(column) instanceof Boolean b && b;
    }

    /** Epoch milliseconds of a timestamp column, or null. */
    public Long millis(String column) {
        return values.get(column) instanceof Long l ? l : null;
    }

    public JsonNode json(String column) {
        return values.get(column) instanceof JsonNode n ? n : null;
    }

    /** A JSON object column, or an empty object when it is null or not an object. */
    public ObjectNode object(String column) {
        return json(column) instanceof ObjectNode o ? o : Json.object();
    }

    /** A TEXT[] column as a JSON array (empty when null). */
    public ArrayNode array(String column) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (values.get(column) instanceof List<?> list) {
            for (Object o : list) if (o != null) out.add(o.toString());
        }
        return out;
    }
}
