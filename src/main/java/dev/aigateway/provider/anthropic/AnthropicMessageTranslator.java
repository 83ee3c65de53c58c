package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI {@code messages} -> Anthropic's top-level {@code system} and its {@code messages}. Anthropic has
 * no system or tool roles: system/developer text goes to {@code system}, tool results become user
 * {@code tool_result} blocks, and consecutive turns of one role are merged because Anthropic wants
 * user and assistant to alternate, starting with the user.
 */
final class AnthropicMessageTranslator {
    /** The turn Anthropic gets first when the client's conversation starts with the assistant (or is empty). */
    private static final String PLACEHOLDER_USER_TEXT = ".";

    /** @param system null, a string, or an array of text blocks */
    record Result(JsonNode system, ArrayNode messages) {}

    private record Turn(String role, ArrayNode blocks) {}

    private final List<Turn> turns = new ArrayList<>();
    private final ArrayNode systemBlocks = Json.array();

    private AnthropicMessageTranslator() {}

    static Result translate(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayException.badRequest("'messages' must be a non-empty array.", "messages");
        }
        AnthropicMessageTranslator t = new AnthropicMessageTranslator();
        for (int i = 0; i < messages.size(); i++) t.add(messages.get(i), "messages[" + i + "]");
        return new Result(t.system(), t.messages());
    }

    private void add(JsonNode msg, String path) {
        if (!msg.isObject()) throw GatewayException.badRequest(path + " must be an object.", "messages");
        String role = msg.path("role").asText("");
        switch (role) {
            case "system", "developer" -> {
                ArrayNode blocks = textBlocks(msg.get("content"), path);
                messageCacheControl(msg, blocks);
                systemBlocks.addAll(blocks);
            }
            case "user" -> append("user", withCacheControl(msg, userBlocks(msg.get("content"), path)));
            case "assistant" -> append("assistant", withCacheControl(msg, assistantBlocks(msg, path)));
            case "tool" -> append("user", withCacheControl(msg, toolResult(msg, path)));
            default -> throw GatewayException.badRequest(path + ".role '" + role + "' is not supported.", "messages");
        }
    }

    private void append(String role, ArrayNode blocks) {
        Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && last.role.equals(role)) {
            last.blocks.addAll(blocks);
        } else {
            turns.add(new Turn(role, blocks));
        }
    }

    private JsonNode system() {
        if (systemBlocks.isEmpty()) return null;
        if (systemBlocks.size() == 1 && isPlainText(systemBlocks.get(0))) return systemBlocks.get(0).get("text");
        return systemBlocks;
    }

    private ArrayNode messages() {
        if (turns.isEmpty() || !turns.get(0).role.equals("user")) {
            ArrayNode placeholder = Json.array();
            placeholder.addObject().put("type", "text").put("text", PLACEHOLDER_USER_TEXT);
            turns.add(0, new Turn("user", placeholder));
        }
        ArrayNode out = Json.array();
        for (Turn t : turns) {
            ObjectNode m = out.addObject();
            m.put("role", t.role);
            if (t.blocks.isEmpty()) {
                m.put("content", "");
            } else if (t.blocks.size() == 1 && isPlainText(t.blocks.get(0))) {
                m.set("content", t.blocks.get(0).get("text"));
            } else {
                m.set("content", t.blocks);
            }
        }
        return out;
    }

    private static boolean isPlainText(JsonNode block) {
        return block.size() == 2 && "text".equals(block.path("type").asText()) && block.has("text");
    }

    private static ArrayNode userBlocks(JsonNode content, String path) {
        ArrayNode out = Json.array();
        if (content == null || content.isNull()) return out;
        if (content.isTextual()) {
            addText(out, content.asText(), null);
            return out;
        }
        if (!content.isArray()) throw GatewayException.badRequest(path + ".content must be a string or an array.", "messages");
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partPath = path + ".content[" + j + "]";
            String type = part.path("type").asText("");
            switch (type) {
                case "text" -> addText(out, part.path("text").asText(""), part.get("cache_control"));
                case "image_url" -> out.add(cacheControl(image(part.get("image_url"), partPath), part.get("cache_control")));
                case "file" -> out.add(cacheControl(document(part.path("file"), partPath), part.get("cache_control")));
                default -> throw GatewayException.badRequest(
                        partPath + ".type '" + type + "' is not supported by Anthropic models.", "messages");
            }
        }
        return out;
    }

    private static ArrayNode assistantBlocks(JsonNode msg, String path) {
        ArrayNode out = Json.array();
        // LiteLLM's field for the thinking blocks of an earlier turn: Anthropic needs them back (with their
        // signatures) when a thinking model continues after a tool call.
        JsonNode thinking = msg.get("thinking_blocks");
        if (thinking != null && thinking.isArray()) thinking.forEach(out::add);
        JsonNode content = msg.get("content");
        if (content != null && content.isTextual()) {
            addText(out, content.asText(), null);
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText("");
                if (type.equals("text")) addText(out, part.path("text").asText(""), part.get("cache_control"));
                else if (type.equals("refusal")) addText(out, part.path("refusal").asText(""), null);
            }
        }
        JsonNode calls = msg.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (int j = 0; j < calls.size(); j++) {
                JsonNode call = calls.get(j);
                JsonNode fn = call.path("function");
                ObjectNode use = out.addObject();
                use.put("type", "tool_use");
                use.put("id", call.path("id").asText());
                use.put("name", fn.path("name").asText());
                use.set("input", arguments(fn.get("arguments"), path + ".tool_calls[" + j + "].function.arguments"));
            }
        }
        return out;
    }

    /** OpenAI carries tool arguments as a JSON string; Anthropic wants the object. */
    private static JsonNode arguments(JsonNode args, String path) {
        if (args == null || args.isNull()) return Json.object();
        if (args.isObject()) return args;
        String s = args.asText().strip();
        if (s.isEmpty()) return Json.object();
        JsonNode parsed = Json.tryParse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!(parsed instanceof ObjectNode)) {
            throw GatewayException.badRequest(path + " must be a JSON object encoded as a string.", "messages");
        }
        return parsed;
    }

    private static ArrayNode toolResult(JsonNode msg, String path) {
        String id = msg.path("tool_call_id").asText("");
        if (id.isEmpty()) throw GatewayException.badRequest(path + ".tool_call_id is required for role 'tool'.", "messages");
        ObjectNode result = Json.object();
        result.put("type", "tool_result");
        result.put("tool_use_id", id);
        JsonNode content = msg.get("content");
        if (content != null && content.isArray()) {
            result.set("content", userBlocks(content, path));
        } else {
            result.put("content", content == null || content.isNull() ? "" : content.asText());
        }
        ArrayNode out = Json.array();
        out.add(result);
        return out;
    }

    private static ArrayNode textBlocks(JsonNode content, String path) {
        ArrayNode out = Json.array();
        if (content == null || content.isNull()) return out;
        if (content.isTextual()) {
            addText(out, content.asText(), null);
            return out;
        }
        if (!content.isArray()) throw GatewayException.badRequest(path + ".content must be a string or an array.", "messages");
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) addText(out, part.path("text").asText(""), part.get("cache_control"));
        }
        return out;
    }

    /** Anthropic rejects empty text blocks, so they are left out. */
    private static void addText(ArrayNode out, String text, JsonNode cacheControl) {
        if (text.isEmpty()) return;
        out.add(cacheControl(Json.object().put("type", "text").put("text", text), cacheControl));
    }

    private static ObjectNode image(JsonNode imageUrl, String path) {
        String url = imageUrl == null ? "" : imageUrl.isTextual() ? imageUrl.asText() : imageUrl.path("url").asText("");
        ObjectNode block = Json.object().put("type", "image");
        ObjectNode source = block.putObject("source");
        if (DataUrl.isDataUrl(url)) {
            DataUrl d = DataUrl.parse(url, path + ".image_url.url");
            source.put("type", "base64").put("media_type", d.mediaType()).put("data", d.data());
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source.put("type", "url").put("url", url);
        } else {
            throw GatewayException.badRequest(path + ".image_url.url must be an http(s) URL or a base64 data URL.", "messages");
        }
        return block;
    }

    private static ObjectNode document(JsonNode file, String path) {
        String data = file.path("file_data").asText("");
        if (!DataUrl.isDataUrl(data)) {
            throw GatewayException.badRequest(path + ".file.file_data must be a base64 data URL (file ids are not supported for Anthropic).", "messages");
        }
        DataUrl d = DataUrl.parse(data, path + ".file.file_data");
        ObjectNode block = Json.object().put("type", "document");
        block.putObject("source").put("type", "base64").put("media_type", d.mediaType()).put("data", d.data());
        return block;
    }

    private static ObjectNode cacheControl(ObjectNode block, JsonNode cacheControl) {
        if (cacheControl != null && cacheControl.isObject()) block.set("cache_control", cacheControl);
        return block;
    }

    /** LiteLLM also accepts cache_control on a whole message: it marks the message's last block. */
    private static ArrayNode withCacheControl(JsonNode msg, ArrayNode blocks) {
        messageCacheControl(msg, blocks);
        return blocks;
    }

    private static void messageCacheControl(JsonNode msg, ArrayNode blocks) {
        JsonNode cc = msg.get("cache_control");
        if (cc != null && cc.isObject() && !blocks.isEmpty()) ((ObjectNode) blocks.get(blocks.size() - 1)).set("cache_control", cc);
    }
}
