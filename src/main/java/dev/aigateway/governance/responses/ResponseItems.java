package dev.aigateway.governance.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request's {@code input} as the list of items OpenAI's {@code GET /v1/responses/{id}/input_items} shows: a string
 * is one user message; a message given as {@code {role, content}} gets {@code type: "message"} and its string content
 * becomes one {@code input_text} part ({@code output_text} for the assistant); every item gets an id (kept when the
 * client sent one), so the list can be paged with {@code after}/{@code before}. The client's tree is copied, never changed.
 */
public final class ResponseItems {
    private ResponseItems() {}

    /** The items of {@code input} (a string, an array of items, or absent: none). */
    public static ArrayNode of(JsonNode input) {
        ArrayNode out = Json.array();
        if (input == null || input.isNull() || input.isMissingNode()) return out;
        if (input.isTextual()) {
            out.add(message("user", input.textValue()));
            return out;
        }
        if (!input.isArray()) throw GatewayException.badRequest("input must be a string or an array of items.", "input");
        for (int i = 0; i < input.size(); i++) {
            if (!(input.get(i) instanceof ObjectNode item)) {
                throw GatewayException.badRequest("input[" + i + "] must be an object (an input item).", "input");
            }
            out.add(item(item.deepCopy()));
        }
        return out;
    }

    private static ObjectNode item(ObjectNode item) {
        if (!item.hasNonNull("type") && item.has("role")) item.put("type", "message");
        String type = item.path("type").asText("");
        JsonNode c = item.get("content");
        if (type.equals("message") && c != null && c.isTextual()) {
            String role = item.path("role").asText("user");
            ArrayNode parts = Json.array();
            parts.addObject().put("type", role.equals("assistant") ? "output_text" : "input_text").put("text", c.textValue());
            item.set("content", parts);
        }
        if (!item.hasNonNull("id")) {
            // put first, as OpenAI lists it: a new tree with id, then the rest
            ObjectNode withId = Json.object();
            withId.put("id", newId(type));
            withId.setAll(item);
            return withId;
        }
        return item;
    }

    private static ObjectNode message(String role, String text) {
        ObjectNode m = Json.object();
        m.put("id", newId("message"));
        m.put("type", "message");
        m.put("role", role);
        m.putArray("content").addObject().put("type", "input_text").put("text", text);
        return m;
    }

    /** An item id in OpenAI's style: a prefix naming the type and 24 random bytes in hex. */
    static String newId(String type) {
        String prefix = switch (type) {
            case "message" -> "msg_";
            case "function_call" -> "fc_";
            case "function_call_output" -> "fco_";
            case "reasoning" -> "rs_";
            default -> "item_";
        };
        byte[] b = new byte[24];
        ThreadLocalRandom.current().nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    /** The Response object's {@code output} items (none when it has no array there). */
    public static ArrayNode output(ObjectNode response) {
        return response.get("output") instanceof ArrayNode a ? a.deepCopy() : Json.array();
    }
}
