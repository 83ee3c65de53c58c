package dev.aigateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI request bodies to Ollama's native {@code /api/chat} and {@code /api/embed} bodies. Sampling
 * parameters move into {@code options}, images into each message's {@code images} (bare base64), tool-call
 * arguments become JSON objects, and tool results are named by the tool they answer.
 */
final class OllamaRequestTranslator {
    /** Ollama options a client may send at the top level (as LiteLLM lets it); copied into {@code options}. */
    private static final List<String> NATIVE_OPTIONS = List.of("top_k", "min_p", "repeat_penalty", "num_ctx");

    private OllamaRequestTranslator() {}

    static ObjectNode chat(ObjectNode in, Deployment d, boolean stream) {
        ObjectNode out = Json.object();
        out.put("model", d.model());
        out.set("messages", messages(in.path("messages")));
        out.put("stream", stream);
        ObjectNode options = options(in);
        if (!options.isEmpty()) out.set("options", options);
        JsonNode format = format(in.get("response_format"));
        if (format != null) out.set("format", format);
        JsonNode tools = in.get("tools");
        // Ollama has no tool_choice: "none" can only be honoured by not offering the tools at all.
        if (tools != null && tools.isArray() && !tools.isEmpty() && !"none".equals(in.path("tool_choice").asText())) {
            out.set("tools", tools); // OpenAI's tool format is Ollama's
        }
        JsonNode think = think(in, d.model());
        if (think != null) out.set("think", think);
        JsonNode keepAlive = in.has("keep_alive") ? in.get("keep_alive") : d.params() == null ? null : d.params().get("keep_alive");
        if (keepAlive != null && !keepAlive.isNull()) out.set("keep_alive", keepAlive);
        return out;
    }

    static ObjectNode embed(ObjectNode in, String model) {
        JsonNode input = in.get("input");
        if (input == null || input.isNull()) {
            throw GatewayException.badRequest("Missing required parameter: 'input'.", "input");
        }
        boolean text = input.isTextual() || input.isArray() && !input.isEmpty() && allText(input);
        if (!text) {
            throw GatewayException.badRequest("ollama embeddings take 'input' as a string or an array of strings; "
                    + "token-id arrays are not supported by Ollama's /api/embed.", "input");
        }
        ObjectNode out = Json.object();
        out.put("model", model);
        out.set("input", input);
        if (in.hasNonNull("dimensions")) out.set("dimensions", in.get("dimensions"));
        return out;
    }

    private static ArrayNode messages(JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw GatewayException.badRequest("'messages' must be a non-empty array.", "messages");
        }
        ArrayNode out = Json.array();
        Map<String, String> toolNames = new HashMap<>(); // tool_call_id -> function name, to name tool results
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            ObjectNode o = out.addObject();
            switch (role) {
                case "system", "developer" -> {
                    o.put("role", "system");
                    o.put("content", text(m.get("content"), role));
                }
                case "user" -> {
                    o.put("role", "user");
                    userContent(m.get("content"), o);
                }
                case "assistant" -> assistant(m, o, toolNames);
                case "tool", "function" -> {
                    o.put("role", "tool");
                    o.put("content", text(m.get("content"), role));
                    String name = m.hasNonNull("name") ? m.get("name").asText() : toolNames.get(m.path("tool_call_id").asText());
                    if (name != null) o.put("tool_name", name);
                }
                default -> throw GatewayException.badRequest("Unsupported message role '" + role + "'.", "messages");
            }
        }
        return out;
    }

    private static void assistant(JsonNode m, ObjectNode o, Map<String, String> toolNames) {
        o.put("role", "assistant");
        JsonNode content = m.get("content");
        o.put("content", content == null || content.isNull() ? "" : text(content, "assistant"));
        JsonNode calls = m.get("tool_calls");
        if (calls == null || !calls.isArray() || calls.isEmpty()) return;
        ArrayNode outCalls = o.putArray("tool_calls");
        for (JsonNode c : calls) {
            JsonNode fn = c.path("function");
            String name = fn.path("name").asText();
            if (c.hasNonNull("id")) toolNames.put(c.get("id").asText(), name);
            ObjectNode f = outCalls.addObject().putObject("function");
            f.put("name", name);
            f.set("arguments", argumentsObject(fn.get("arguments"), name));
        }
    }

    /** OpenAI sends tool arguments as a JSON string; Ollama wants the object. */
    private static JsonNode argumentsObject(JsonNode args, String tool) {
        if (args == null || args.isNull()) return Json.object();
        if (args.isObject()) return args;
        String s = args.asText().strip();
        if (s.isEmpty()) return Json.object();
        JsonNode parsed = Json.tryParse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (parsed == null || !parsed.isObject()) {
            throw GatewayException.badRequest("The arguments of the earlier call to tool '" + tool
                    + "' are not a JSON object; Ollama needs them as one.", "messages");
        }
        return parsed;
    }

    /** A user message: text parts joined into content, data-URL images into {@code images}. */
    private static void userContent(JsonNode content, ObjectNode o) {
        if (content == null || !content.isArray()) {
            o.put("content", content == null || content.isNull() ? "" : content.asText());
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode images = null;
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            switch (type) {
                case "text" -> {
                    if (!text.isEmpty()) text.append('\n');
                    text.append(part.path("text").asText());
                }
                case "image_url" -> {
                    JsonNode iu = part.get("image_url");
                    String url = iu != null && iu.isObject() ? iu.path("url").asText() : iu == null ? "" : iu.asText();
                    if (images == null) images = Json.array();
                    images.add(base64Image(url));
                }
                default -> throw GatewayException.badRequest("ollama does not accept content parts of type '" + type
                        + "'; only 'text' and 'image_url' are supported.", "messages");
            }
        }
        o.put("content", text.toString());
        if (images != null) o.set("images", images);
    }

    private static String base64Image(String url) {
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            if (comma > 0 && url.substring(0, comma).endsWith(";base64")) return url.substring(comma + 1);
            throw GatewayException.badRequest("Image data URLs must be base64-encoded (data:image/png;base64,...).", "messages");
        }
        throw GatewayException.badRequest("ollama's native API only accepts images inline as base64: it cannot fetch '"
                + abbreviate(url) + "'. Send the image as a data URL (data:image/png;base64,...).", "messages");
    }

    /** System, assistant and tool content: a string, or text parts joined. */
    private static String text(JsonNode content, String role) {
        if (content == null || content.isNull()) return "";
        if (!content.isArray()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (!"text".equals(part.path("type").asText())) {
                throw GatewayException.badRequest("ollama accepts only text content in '" + role + "' messages.", "messages");
            }
            if (!sb.isEmpty()) sb.append('\n');
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }

    private static ObjectNode options(ObjectNode in) {
        ObjectNode o = Json.object();
        copy(in, "temperature", o, "temperature");
        copy(in, "top_p", o, "top_p");
        copy(in, "seed", o, "seed");
        copy(in, "presence_penalty", o, "presence_penalty");
        copy(in, "frequency_penalty", o, "frequency_penalty");
        if (in.hasNonNull("max_completion_tokens")) o.set("num_predict", in.get("max_completion_tokens"));
        else copy(in, "max_tokens", o, "num_predict");
        JsonNode stop = in.get("stop");
        if (stop != null && !stop.isNull()) {
            if (stop.isArray()) o.set("stop", stop);
            else o.putArray("stop").add(stop.asText());
        }
        for (String name : NATIVE_OPTIONS) copy(in, name, o, name);
        return o;
    }

    private static JsonNode format(JsonNode responseFormat) {
        if (responseFormat == null || !responseFormat.isObject()) return null;
        return switch (responseFormat.path("type").asText()) {
            case "json_object" -> Json.MAPPER.getNodeFactory().textNode("json");
            case "json_schema" -> {
                JsonNode schema = responseFormat.path("json_schema").get("schema");
                if (schema == null || !schema.isObject()) {
                    throw GatewayException.badRequest("response_format.json_schema.schema must be a JSON schema object.", "response_format");
                }
                yield schema;
            }
            default -> null;
        };
    }

    /**
     * OpenAI's reasoning_effort as Ollama's {@code think}: gpt-oss models take a level, the others only on/off.
     * A {@code think} value the client sent itself wins.
     */
    private static JsonNode think(ObjectNode in, String model) {
        if (in.hasNonNull("think")) return in.get("think");
        JsonNode effort = in.get("reasoning_effort");
        if (effort == null || effort.isNull()) return null;
        String level = effort.asText().toLowerCase(Locale.ROOT);
        var nodes = Json.MAPPER.getNodeFactory();
        if (level.equals("none")) return nodes.booleanNode(false);
        if (!model.startsWith("gpt-oss")) return nodes.booleanNode(true);
        return nodes.textNode(level.equals("minimal") ? "low" : level);
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode v = from.get(name);
        if (v != null && !v.isNull()) to.set(as, v);
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) if (!n.isTextual()) return false;
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
