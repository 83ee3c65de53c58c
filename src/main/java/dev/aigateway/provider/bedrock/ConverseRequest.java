package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An OpenAI chat body as a Bedrock Converse request. Bedrock's rules, applied here so a call is not refused: turns
 * alternate user/assistant (consecutive turns of one role are merged; tool results join the next user turn), tool ids
 * match {@code [a-zA-Z0-9_-]+} (others are rewritten the same way in a call and in its result), empty text blocks are
 * left out, and a {@code toolConfig} goes with every request whose history holds tool blocks.
 */
final class ConverseRequest {
    private static final Pattern NOT_ID = Pattern.compile("[^a-zA-Z0-9_-]");
    /** Bedrock's limit on stop sequences (4 for most models). */
    private static final int MAX_STOP = 4;

    private ConverseRequest() {}

    static ObjectNode translate(ObjectNode in) {
        ObjectNode out = Json.object();
        ArrayNode system = Json.array();
        ArrayNode messages = out.putArray("messages");
        Set<String> historyTools = new LinkedHashSet<>();
        JsonNode msgs = in.path("messages");
        if (!msgs.isArray() || msgs.isEmpty()) throw GatewayException.badRequest("messages must be a non-empty array.", "messages");
        for (JsonNode m : msgs) {
            String role = m.path("role").asText("");
            switch (role) {
                case "system", "developer" -> addText(system, m.get("content"));
                case "user" -> append(messages, "user", userContent(m.get("content")));
                case "assistant" -> append(messages, "assistant", assistantContent(m, historyTools));
                case "tool", "function" -> append(messages, "user", toolResult(m));
                default -> throw GatewayException.badRequest("Unsupported message role '" + role + "'.", "messages");
            }
        }
        if (!system.isEmpty()) out.set("system", system);
        ObjectNode inference = inference(in);
        if (!inference.isEmpty()) out.set("inferenceConfig", inference);
        ObjectNode tools = toolConfig(in, historyTools);
        if (tools != null) out.set("toolConfig", tools);
        return out;
    }

    /** Adds a turn, merging it into the previous one when that has the same role. */
    private static void append(ArrayNode messages, String role, ArrayNode content) {
        if (content.isEmpty()) return;
        if (!messages.isEmpty()) {
            ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
            if (role.equals(last.path("role").asText())) {
                ((ArrayNode) last.get("content")).addAll(content);
                return;
            }
        }
        ObjectNode m = messages.addObject();
        m.put("role", role);
        m.set("content", content);
    }

    private static ArrayNode userContent(JsonNode content) {
        ArrayNode out = Json.array();
        if (content == null || content.isNull()) return out;
        if (content.isTextual()) {
            addText(out, content);
            return out;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asText("")) {
                case "text" -> addText(out, part.get("text"));
                case "image_url" -> out.add(image(part.path("image_url").path("url").asText(part.path("image_url").asText(""))));
                default -> throw GatewayException.badRequest("Unsupported content part type '" + part.path("type").asText()
                        + "' for Bedrock.", "messages");
            }
            cachePoint(out, part);
        }
        return out;
    }

    private static ObjectNode image(String url) {
        int comma = url.indexOf(',');
        if (!url.regionMatches(true, 0, "data:image/", 0, 11) || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw GatewayException.badRequest("Bedrock takes images as base64 data URLs (data:image/png;base64,...).", "messages");
        }
        String format = url.substring(11, url.indexOf(';')).toLowerCase(Locale.ROOT);
        if (format.equals("jpg")) format = "jpeg";
        if (!Set.of("png", "jpeg", "gif", "webp").contains(format)) {
            throw GatewayException.badRequest("Bedrock takes png, jpeg, gif or webp images, not " + format + ".", "messages");
        }
        ObjectNode block = Json.object();
        ObjectNode img = block.putObject("image");
        img.put("format", format);
        img.putObject("source").put("bytes", url.substring(comma + 1));
        return block;
    }

    private static ArrayNode assistantContent(JsonNode m, Set<String> historyTools) {
        ArrayNode out = Json.array();
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) addText(out, content);
        else if (content != null && content.isArray()) {
            for (JsonNode part : content) if ("text".equals(part.path("type").asText())) addText(out, part.get("text"));
        }
        for (JsonNode call : m.path("tool_calls")) {
            String name = call.path("function").path("name").asText("");
            historyTools.add(name);
            ObjectNode use = out.addObject().putObject("toolUse");
            use.put("toolUseId", toolId(call.path("id").asText("")));
            use.put("name", name);
            String args = call.path("function").path("arguments").asText("");
            JsonNode input = args.isBlank() ? Json.object() : Json.tryParse(args.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (input == null || !input.isObject()) {
                throw GatewayException.badRequest("The arguments of tool call " + call.path("id").asText() + " are not a JSON object.", "messages");
            }
            use.set("input", input);
        }
        return out;
    }

    private static ArrayNode toolResult(JsonNode m) {
        ArrayNode out = Json.array();
        ObjectNode result = out.addObject().putObject("toolResult");
        result.put("toolUseId", toolId(m.path("tool_call_id").asText(m.path("name").asText(""))));
        ArrayNode content = Json.array();
        JsonNode c = m.get("content");
        if (c != null && c.isArray()) {
            for (JsonNode part : c) addText(content, part.get("text"));
        } else {
            addText(content, c);
        }
        // A tool that returned nothing still needs a content block.
        if (content.isEmpty()) content.addObject().put("text", ".");
        result.set("content", content);
        return out;
    }

    /** A tool id Bedrock accepts: every character outside [a-zA-Z0-9_-] becomes '_' (the same in a call and its result). */
    static String toolId(String id) {
        String clean = NOT_ID.matcher(id).replaceAll("_");
        return clean.isEmpty() ? "tool_call" : clean;
    }

    private static void addText(ArrayNode out, JsonNode text) {
        if (text == null || text.isNull()) return;
        if (text.isArray()) {
            for (JsonNode part : text) {
                addText(out, part.get("text"));
                cachePoint(out, part);
            }
            return;
        }
        String s = text.asText("");
        if (!s.isBlank()) out.addObject().put("text", s);
    }

    /**
     * A part marked for prompt caching ({@code cache_control}, Anthropic's marker as OpenAI clients send it) is
     * followed by Converse's {@code cachePoint}: everything before it is cached.
     */
    private static void cachePoint(ArrayNode out, JsonNode part) {
        if (part.hasNonNull("cache_control") && !out.isEmpty()) out.addObject().putObject("cachePoint").put("type", "default");
    }

    private static ObjectNode inference(ObjectNode in) {
        ObjectNode out = Json.object();
        JsonNode max = in.hasNonNull("max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
        if (max != null && max.canConvertToInt()) out.put("maxTokens", max.asInt());
        if (in.path("temperature").isNumber()) out.set("temperature", in.get("temperature"));
        if (in.path("top_p").isNumber()) out.set("topP", in.get("top_p"));
        JsonNode stop = in.get("stop");
        if (stop != null && !stop.isNull()) {
            ArrayNode seqs = out.putArray("stopSequences");
            if (stop.isTextual()) seqs.add(stop.asText());
            else for (JsonNode s : stop) if (seqs.size() < MAX_STOP) seqs.add(s.asText());
        }
        return out;
    }

    private static ObjectNode toolConfig(ObjectNode in, Set<String> historyTools) {
        ArrayNode specs = Json.array();
        Set<String> declared = new LinkedHashSet<>();
        for (JsonNode t : in.path("tools")) {
            JsonNode f = t.path("function");
            String name = f.path("name").asText("");
            if (name.isEmpty()) throw GatewayException.badRequest("Every tool needs a function name.", "tools");
            declared.add(name);
            ObjectNode spec = specs.addObject().putObject("toolSpec");
            spec.put("name", name);
            if (f.hasNonNull("description")) spec.put("description", f.get("description").asText());
            JsonNode params = f.get("parameters");
            spec.putObject("inputSchema").set("json", params != null && params.isObject() ? params : emptySchema());
        }
        // Bedrock refuses a history with tool blocks unless a toolConfig names tools: declare the used ones, schema-less.
        for (String name : historyTools) {
            if (declared.add(name)) {
                ObjectNode spec = specs.addObject().putObject("toolSpec");
                spec.put("name", name);
                spec.putObject("inputSchema").set("json", emptySchema());
            }
        }
        if (specs.isEmpty()) return null;
        ObjectNode config = Json.object();
        config.set("tools", specs);
        JsonNode choice = in.get("tool_choice");
        if (choice != null && choice.isTextual()) {
            switch (choice.asText()) {
                case "auto" -> config.putObject("toolChoice").putObject("auto");
                case "required" -> config.putObject("toolChoice").putObject("any");
                default -> { } // "none": Converse has no such choice; the tools stay declared
            }
        } else if (choice != null && choice.isObject()) {
            String name = choice.path("function").path("name").asText("");
            if (!name.isEmpty()) config.putObject("toolChoice").putObject("tool").put("name", name);
        }
        return config;
    }

    private static ObjectNode emptySchema() {
        ObjectNode s = Json.object();
        s.put("type", "object");
        s.putObject("properties");
        return s;
    }
}
