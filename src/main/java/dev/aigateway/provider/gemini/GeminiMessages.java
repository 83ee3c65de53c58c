package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI {@code messages} to Gemini {@code contents} + {@code systemInstruction}. Gemini knows two roles,
 * "user" and "model": tool results become user turns with {@code functionResponse} parts (which must
 * name the function, so the name is found through the tool_call_id), and consecutive turns of one role
 * are merged because Gemini wants the parts of one turn together (all results of a parallel call in one).
 */
final class GeminiMessages {

    /** @param systemInstruction null when the conversation has no system or developer message */
    record Translated(ArrayNode contents, ObjectNode systemInstruction) {}

    private final boolean needsThoughtSignatures;
    private final ArrayNode contents = Json.array();
    private final ArrayNode systemParts = Json.array();
    private final Map<String, String> toolNames = new HashMap<>();

    private GeminiMessages(String model) {
        this.needsThoughtSignatures = model.toLowerCase(Locale.ROOT).contains("gemini-3");
    }

    static Translated translate(JsonNode messages, String model) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayException.badRequest("'messages' must be a non-empty array.", "messages");
        }
        GeminiMessages t = new GeminiMessages(model);
        for (JsonNode m : messages) t.add(m);
        ObjectNode system = null;
        if (!t.systemParts.isEmpty()) {
            if (t.contents.isEmpty()) {
                // Gemini refuses a request without contents; a lone system prompt is the user's question.
                t.append("user", t.systemParts);
            } else {
                system = Json.object();
                system.set("parts", t.systemParts);
            }
        }
        if (t.contents.isEmpty()) {
            throw GatewayException.badRequest("The messages have no content to send.", "messages");
        }
        return new Translated(t.contents, system);
    }

    private void add(JsonNode m) {
        String role = m.path("role").asText("");
        switch (role) {
            case "system", "developer" -> systemParts.addAll(GeminiParts.textOnly(m.get("content")));
            case "user" -> append("user", GeminiParts.of(m.get("content")));
            case "assistant" -> append("model", assistantParts(m));
            case "tool" -> append("user", functionResponse(toolName(m), m.get("content")));
            case "function" -> append("user", functionResponse(m.path("name").asText(""), m.get("content")));
            default -> throw GatewayException.badRequest("Unsupported message role '" + role + "'.", "messages");
        }
    }

    private ArrayNode assistantParts(JsonNode m) {
        ArrayNode parts = GeminiParts.textOnly(m.get("content"));
        JsonNode calls = m.get("tool_calls");
        if (calls != null && calls.isArray()) {
            boolean first = true;
            for (JsonNode call : calls) {
                String id = call.path("id").asText("");
                String name = call.path("function").path("name").asText("");
                toolNames.put(id, name);
                ObjectNode part = parts.addObject();
                part.putObject("functionCall").put("name", name).set("args", arguments(call.path("function").get("arguments"), name));
                String signature = GeminiToolCallIds.signatureOf(id);
                // Gemini 3 checks the first call of each step; calls made elsewhere carry no signature.
                if (signature == null && first && needsThoughtSignatures) signature = GeminiToolCallIds.SKIP_VALIDATION;
                if (signature != null) part.put("thoughtSignature", signature);
                first = false;
            }
        }
        JsonNode legacy = m.get("function_call");
        if (legacy != null && legacy.isObject()) {
            String name = legacy.path("name").asText("");
            parts.addObject().putObject("functionCall").put("name", name).set("args", arguments(legacy.get("arguments"), name));
        }
        return parts;
    }

    private String toolName(JsonNode m) {
        String id = m.path("tool_call_id").asText("");
        String name = toolNames.get(id);
        if (name == null && m.hasNonNull("name")) name = m.get("name").asText();
        if (name == null || name.isEmpty()) {
            throw GatewayException.badRequest("Tool message with tool_call_id '" + id
                    + "' does not answer any tool call of an earlier assistant message.", "messages");
        }
        return name;
    }

    /** Gemini takes arguments as an object, OpenAI sends them as a JSON string. */
    private static JsonNode arguments(JsonNode raw, String name) {
        if (raw == null || raw.isNull()) return Json.object();
        if (raw.isObject()) return raw;
        String text = raw.asText("").strip();
        if (text.isEmpty()) return Json.object();
        JsonNode parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (!(parsed instanceof ObjectNode)) {
            throw GatewayException.badRequest("The arguments of tool call '" + name + "' are not a JSON object.", "messages");
        }
        return parsed;
    }

    /** The tool's output: a JSON object is the response itself, anything else is wrapped as {content}. */
    private static ArrayNode functionResponse(String name, JsonNode content) {
        String text = content == null || content.isNull() ? ""
                : content.isTextual() ? content.asText() : GeminiParts.joinedText(content);
        JsonNode parsed = null;
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                parsed = Json.parse(trimmed);
            } catch (IllegalArgumentException ignored) {
                // plain text that happens to start with a brace
            }
        }
        ObjectNode response = parsed instanceof ObjectNode o ? o : Json.object().put("content", text);
        ArrayNode parts = Json.array();
        parts.addObject().putObject("functionResponse").put("name", name).set("response", response);
        return parts;
    }

    private void append(String role, ArrayNode parts) {
        if (parts.isEmpty()) return; // Gemini rejects a turn without parts
        JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
        if (last != null && role.equals(last.path("role").asText())) {
            ((ArrayNode) last.get("parts")).addAll(parts);
            return;
        }
        ObjectNode turn = contents.addObject();
        turn.put("role", role);
        turn.set("parts", parts);
    }
}
