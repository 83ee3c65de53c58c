package dev.aigateway.provider.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/** What the mock answers to one request: text or a tool call, with its usage, as a completion or chunks. */
record Reply(String text, String toolName, String toolArguments, int promptTokens, int completionTokens, String id) {
    private static final int MAX_ECHO = 200;

    static Reply of(ObjectNode request, String configured) {
        int prompt = Tokens.estimate(request.path("messages").toString());
        String id = "chatcmpl-mock-" + Long.toHexString(crc(request.toString()));
        JsonNode tool = chosenTool(request);
        if (tool != null) {
            String name = tool.path("function").path("name").asText();
            String args = Json.toString(exampleOf(tool.path("function").path("parameters")));
            return new Reply(null, name, args, prompt, Tokens.estimate(name + args), id);
        }
        String text = configured != null ? configured : "Hello from the mock model! You said: " + lastUserText(request);
        return new Reply(text, null, null, prompt, Tokens.estimate(text), id);
    }

    ObjectNode completion(String model) {
        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", model);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode msg = choice.putObject("message");
        msg.put("role", "assistant");
        if (toolName != null) {
            msg.putNull("content");
            ObjectNode call = msg.putArray("tool_calls").addObject();
            call.put("id", "call_" + id.substring(id.length() - 8));
            call.put("type", "function");
            call.putObject("function").put("name", toolName).put("arguments", toolArguments);
            choice.put("finish_reason", "tool_calls");
        } else {
            msg.put("content", text);
            choice.put("finish_reason", "stop");
        }
        usage(out);
        return out;
    }

    /** The stream: a role chunk, content (or tool call) pieces, a finish chunk, then a usage-only chunk. */
    List<ObjectNode> chunks(String model) {
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode first = chunk(model);
        first.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                .putObject("delta").put("role", "assistant").put("content", "");
        out.add(first);
        if (toolName != null) {
            ObjectNode c = chunk(model);
            ObjectNode call = c.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                    .putObject("delta").putArray("tool_calls").addObject();
            call.put("index", 0).put("id", "call_" + id.substring(id.length() - 8)).put("type", "function");
            call.putObject("function").put("name", toolName).put("arguments", "");
            out.add(c);
            for (String piece : split(toolArguments, 8)) {
                ObjectNode a = chunk(model);
                a.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                        .putObject("delta").putArray("tool_calls").addObject().put("index", 0)
                        .putObject("function").put("arguments", piece);
                out.add(a);
            }
        } else {
            for (String word : words(text)) {
                ObjectNode c = chunk(model);
                c.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                        .putObject("delta").put("content", word);
                out.add(c);
            }
        }
        ObjectNode fin = chunk(model);
        fin.withArray("choices").addObject().put("index", 0).put("finish_reason", toolName != null ? "tool_calls" : "stop")
                .putObject("delta");
        out.add(fin);
        ObjectNode u = chunk(model);
        u.putArray("choices");
        usage(u);
        out.add(u);
        return out;
    }

    private void usage(ObjectNode out) {
        out.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
    }

    private ObjectNode chunk(String model) {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", System.currentTimeMillis() / 1000);
        c.put("model", model);
        return c;
    }

    private static JsonNode chosenTool(ObjectNode request) {
        JsonNode tools = request.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) return null;
        JsonNode choice = request.get("tool_choice");
        if (choice != null && "none".equals(choice.asText())) return null;
        JsonNode messages = request.path("messages");
        if (messages.isArray() && !messages.isEmpty()
                && "tool".equals(messages.get(messages.size() - 1).path("role").asText())) {
            return null; // answer the tool result with text
        }
        if (choice != null && choice.isObject()) {
            String wanted = choice.path("function").path("name").asText();
            for (JsonNode t : tools) if (wanted.equals(t.path("function").path("name").asText())) return t;
        }
        return tools.get(0);
    }

    /** A value that satisfies a JSON schema's shape, for plausible tool arguments. */
    private static JsonNode exampleOf(JsonNode schema) {
        String type = schema.path("type").asText("object");
        if (schema.has("enum") && schema.get("enum").isArray() && !schema.get("enum").isEmpty()) return schema.get("enum").get(0);
        return switch (type) {
            case "string" -> Json.MAPPER.getNodeFactory().textNode("mock");
            case "integer", "number" -> Json.MAPPER.getNodeFactory().numberNode(1);
            case "boolean" -> Json.MAPPER.getNodeFactory().booleanNode(true);
            case "array" -> {
                ArrayNode a = Json.array();
                a.add(exampleOf(schema.path("items")));
                yield a;
            }
            default -> {
                ObjectNode o = Json.object();
                for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
                    o.set(p.getKey(), exampleOf(p.getValue()));
                }
                yield o;
            }
        };
    }

    private static String lastUserText(ObjectNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!"user".equals(m.path("role").asText())) continue;
            JsonNode c = m.get("content");
            String text;
            if (c != null && c.isArray()) {
                StringBuilder sb = new StringBuilder();
                for (JsonNode part : c) if ("text".equals(part.path("type").asText())) sb.append(part.path("text").asText());
                text = sb.toString();
            } else {
                text = c == null ? "" : c.asText();
            }
            return text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
        }
        return "";
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        if (out.isEmpty()) out.add("");
        return out;
    }

    private static List<String> split(String s, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += size) out.add(s.substring(i, Math.min(s.length(), i + size)));
        return out;
    }

    private static long crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return c.getValue();
    }
}
