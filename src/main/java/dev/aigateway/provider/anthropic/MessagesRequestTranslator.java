package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ReasoningEffort;

import java.util.ArrayList;
import java.util.List;

/**
 * A client's Anthropic Messages request -> the OpenAI chat request every provider takes. Tool results,
 * which Anthropic puts in user turns, become role:tool messages right after the assistant's tool calls
 * (where OpenAI wants them); thinking blocks of earlier turns are dropped (no other provider can read them or
 * their signatures); the request's thinking becomes a reasoning effort (see {@link #thinking}). cache_control marks on text
 * blocks and tools are kept, so the call keeps its prompt caching when it lands on Anthropic again.
 */
final class MessagesRequestTranslator {
    /**
     * Set in a translation that had to leave a content block out (a type or source it cannot express): the first
     * such problem, as the 400 a translated call answers. The request still routes and passes through to an
     * Anthropic deployment unchanged; only an attempt that would send the translation fails with it
     * ({@link MessagesApi#untranslatable}). Never sent: no translated attempt goes out with it.
     */
    static final String UNTRANSLATABLE = "__untranslatable_anthropic_block";

    private MessagesRequestTranslator() {}

    /** The first content block a translation left out, kept while translating one request. */
    private static final class Skipped {
        GatewayException first;

        void add(GatewayException e) {
            if (first == null) first = e;
        }
    }

    static ObjectNode translate(ObjectNode req) {
        JsonNode messages = req.get("messages");
        if (messages == null || messages.isNull()) throw GatewayException.badRequest("messages: Field required", "messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw GatewayException.badRequest("messages: must be a non-empty array of messages", "messages");
        }
        JsonNode maxTokens = req.get("max_tokens");
        if (maxTokens == null || maxTokens.isNull()) throw GatewayException.badRequest("max_tokens: Field required", "max_tokens");
        if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToLong() || maxTokens.asLong() < 1) {
            throw GatewayException.badRequest("max_tokens: must be a positive integer", "max_tokens");
        }

        ObjectNode out = Json.object();
        if (req.hasNonNull("model")) out.set("model", req.get("model"));
        ArrayNode msgs = out.putArray("messages");
        system(req.get("system"), msgs);
        Skipped skipped = new Skipped();
        for (int i = 0; i < messages.size(); i++) message(messages.get(i), "messages." + i, msgs, skipped);
        if (skipped.first != null) out.put(UNTRANSLATABLE, skipped.first.getMessage());
        out.put("max_tokens", maxTokens.asLong());

        JsonNode stop = req.get("stop_sequences");
        if (stop != null && stop.isArray() && !stop.isEmpty()) out.set("stop", stop);
        for (String f : new String[] {"temperature", "top_p"}) {
            if (req.hasNonNull(f)) out.set(f, req.get(f));
        }
        // top_k has no OpenAI counterpart.
        thinking(req, out);
        if (req.path("stream").asBoolean(false)) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true);
        }
        tools(req, out);
        JsonNode userId = req.path("metadata").get("user_id");
        if (userId != null && userId.isTextual()) out.put("user", userId.asText());
        return out;
    }

    /**
     * Thinking goes out both ways: Anthropic's {@code thinking} as it is, for providers that read a budget
     * ({@link dev.aigateway.provider.Provider#readsThinking}), and the {@code reasoning_effort} it maps to, for the
     * others; {@link MessagesApi#forProvider} keeps the one the attempt's provider takes.
     */
    private static void thinking(ObjectNode req, ObjectNode out) {
        JsonNode thinking = req.get("thinking");
        if (thinking == null || !thinking.isObject()) return;
        out.set("thinking", thinking);
        String effort = ReasoningEffort.ofThinking(thinking, req.get("output_config"));
        if (effort != null) out.put("reasoning_effort", effort);
    }

    private static void system(JsonNode system, ArrayNode msgs) {
        if (system == null || system.isNull()) return;
        if (system.isTextual()) {
            if (!system.asText().isEmpty()) msgs.addObject().put("role", "system").put("content", system.asText());
            return;
        }
        if (!system.isArray()) throw GatewayException.badRequest("system: must be a string or an array of text blocks", "system");
        ArrayNode parts = Json.array();
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asText())) {
                throw GatewayException.badRequest("system." + i + ".type: only text blocks are supported", "system");
            }
            parts.add(textPart(block));
        }
        if (!parts.isEmpty()) msgs.addObject().put("role", "system").set("content", collapse(parts));
    }

    private static void message(JsonNode msg, String path, ArrayNode out, Skipped skipped) {
        String role = msg.path("role").asText("");
        if (role.equals("system")) {
            // Claude Code ends its first request with one for models it does not know. Every translation target takes a
            // system message where it stands; Anthropic itself (the native path) refuses it in words Claude Code reacts to.
            system(msg.get("content"), out);
            return;
        }
        if (!role.equals("user") && !role.equals("assistant")) {
            // Anthropic's own wording for this fault, which clients of the Messages API recognise
            throw GatewayException.badRequest(path + ".role: Input should be 'user' or 'assistant'", "messages");
        }
        JsonNode content = msg.get("content");
        if (content != null && content.isTextual()) {
            out.addObject().put("role", role).put("content", content.asText());
            return;
        }
        if (content == null || !content.isArray()) {
            throw GatewayException.badRequest(path + ".content: must be a string or an array of content blocks", "messages");
        }
        if (role.equals("user")) userTurn(content, path, out, skipped);
        else assistantTurn(content, path, out);
    }

    private static void userTurn(JsonNode blocks, String path, ArrayNode out, Skipped skipped) {
        List<ObjectNode> toolMessages = new ArrayList<>();
        ArrayNode parts = Json.array();
        for (int j = 0; j < blocks.size(); j++) {
            JsonNode block = blocks.get(j);
            String blockPath = path + ".content." + j;
            try {
                switch (block.path("type").asText("")) {
                    case "text" -> parts.add(textPart(block));
                    case "image" -> parts.add(imagePart(block, blockPath));
                    case "document" -> parts.add(documentPart(block, blockPath));
                    case "tool_result" -> toolMessages.add(toolMessage(block, blockPath, parts));
                    case "thinking", "redacted_thinking" -> { /* dropped: other providers cannot read them */ }
                    default -> throw GatewayException.badRequest(
                            blockPath + ".type: '" + block.path("type").asText() + "' is not supported in user messages", "messages");
                }
            } catch (GatewayException e) {
                skipped.add(e); // an Anthropic deployment takes it as it is; a translated attempt answers this 400
            }
        }
        toolMessages.forEach(out::add);
        if (!parts.isEmpty() || toolMessages.isEmpty()) out.addObject().put("role", "user").set("content", collapse(parts));
    }

    private static void assistantTurn(JsonNode blocks, String path, ArrayNode out) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.array();
        for (JsonNode block : blocks) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> {
                    ObjectNode call = calls.addObject();
                    call.put("id", block.path("id").asText());
                    call.put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", Json.toString(block.has("input") ? block.get("input") : Json.object()));
                }
                default -> { /* thinking and server-tool blocks: history other providers cannot use */ }
            }
        }
        ObjectNode m = out.addObject().put("role", "assistant");
        if (text.isEmpty() && !calls.isEmpty()) m.putNull("content");
        else m.put("content", text.toString());
        if (!calls.isEmpty()) m.set("tool_calls", calls);
    }

    /** OpenAI tool messages carry text only: images in a tool result go to the user message that follows. */
    private static ObjectNode toolMessage(JsonNode block, String path, ArrayNode userParts) {
        ObjectNode m = Json.object().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asText());
        JsonNode content = block.get("content");
        if (content == null || content.isNull()) {
            m.put("content", "");
        } else if (content.isTextual()) {
            m.put("content", content.asText());
        } else {
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < content.size(); k++) {
                JsonNode c = content.get(k);
                switch (c.path("type").asText("")) {
                    case "text" -> text.append(text.isEmpty() ? "" : "\n").append(c.path("text").asText(""));
                    case "image" -> userParts.add(imagePart(c, path + ".content." + k));
                    default -> throw GatewayException.badRequest(
                            path + ".content." + k + ".type: '" + c.path("type").asText() + "' is not supported in tool results", "messages");
                }
            }
            m.put("content", text.toString());
        }
        if (block.has("cache_control")) m.set("cache_control", block.get("cache_control"));
        return m;
    }

    private static ObjectNode textPart(JsonNode block) {
        ObjectNode p = Json.object().put("type", "text").put("text", block.path("text").asText(""));
        if (block.has("cache_control")) p.set("cache_control", block.get("cache_control"));
        return p;
    }

    private static ObjectNode imagePart(JsonNode block, String path) {
        JsonNode source = block.path("source");
        String url = switch (source.path("type").asText("")) {
            case "base64" -> new DataUrl(source.path("media_type").asText(), source.path("data").asText()).toUrl();
            case "url" -> source.path("url").asText();
            default -> throw GatewayException.badRequest(path + ".source.type: must be 'base64' or 'url'", "messages");
        };
        ObjectNode p = Json.object().put("type", "image_url");
        p.putObject("image_url").put("url", url);
        if (block.has("cache_control")) p.set("cache_control", block.get("cache_control"));
        return p;
    }

    private static ObjectNode documentPart(JsonNode block, String path) {
        JsonNode source = block.path("source");
        switch (source.path("type").asText("")) {
            case "base64" -> {
                ObjectNode p = Json.object().put("type", "file");
                ObjectNode file = p.putObject("file");
                file.put("file_data", new DataUrl(source.path("media_type").asText(), source.path("data").asText()).toUrl());
                if (block.hasNonNull("title")) file.put("filename", block.get("title").asText());
                return p;
            }
            case "text" -> {
                return Json.object().put("type", "text").put("text", source.path("data").asText(""));
            }
            default -> throw GatewayException.badRequest(path + ".source.type: documents must be 'base64' or 'text'", "messages");
        }
    }

    /** A lone plain text part as a plain string: what every OpenAI-compatible server understands. */
    private static JsonNode collapse(ArrayNode parts) {
        if (parts.size() == 1 && parts.get(0).size() == 2 && "text".equals(parts.get(0).path("type").asText())) {
            return parts.get(0).get("text");
        }
        return parts;
    }

    private static void tools(ObjectNode req, ObjectNode out) {
        JsonNode tools = req.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) return; // OpenAI refuses tool_choice without tools
        ArrayNode translated = out.putArray("tools");
        for (JsonNode tool : tools) {
            String type = tool.path("type").asText("custom");
            if (!type.equals("custom") || !tool.has("input_schema")) {
                // Anthropic's own tools (web_search_..., bash_...): passed as they are, only Anthropic can run them.
                translated.add(tool);
                continue;
            }
            ObjectNode t = translated.addObject().put("type", "function");
            ObjectNode fn = t.putObject("function").put("name", tool.path("name").asText());
            if (tool.hasNonNull("description")) fn.put("description", tool.get("description").asText());
            fn.set("parameters", tool.get("input_schema"));
            if (tool.has("cache_control")) t.set("cache_control", tool.get("cache_control"));
        }
        JsonNode choice = req.get("tool_choice");
        if (choice == null || !choice.isObject()) return;
        switch (choice.path("type").asText("")) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> out.putObject("tool_choice").put("type", "function")
                    .putObject("function").put("name", choice.path("name").asText());
            default -> throw GatewayException.badRequest("tool_choice.type: must be auto, any, tool or none", "tool_choice");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) out.put("parallel_tool_calls", false);
    }
}
