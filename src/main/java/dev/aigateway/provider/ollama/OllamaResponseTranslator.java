package dev.aigateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Ollama's native answers to OpenAI's: chat.completion, and the embeddings list. Shared pieces serve the stream too. */
final class OllamaResponseTranslator {
    private OllamaResponseTranslator() {}

    static ObjectNode completion(ObjectNode in, String deploymentModel) {
        ObjectNode out = Json.object();
        out.put("id", newId());
        out.put("object", "chat.completion");
        out.put("created", created(in));
        out.put("model", model(in, deploymentModel));
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode msg = choice.putObject("message");
        msg.put("role", "assistant");
        JsonNode m = in.path("message");
        String content = m.path("content").asText("");
        ArrayNode calls = toolCalls(m.get("tool_calls"), 0, false);
        if (calls != null && content.isEmpty()) msg.putNull("content");
        else msg.put("content", content);
        String thinking = m.path("thinking").asText("");
        if (!thinking.isEmpty()) msg.put("reasoning_content", thinking);
        if (calls != null) msg.set("tool_calls", calls);
        choice.put("finish_reason", finishReason(in.path("done_reason").asText(""), calls != null));
        out.set("usage", usage(in));
        return out;
    }

    static ObjectNode embeddings(ObjectNode in, String deploymentModel) {
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        int i = 0;
        for (JsonNode vector : in.path("embeddings")) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i++);
            e.set("embedding", vector);
        }
        out.put("model", model(in, deploymentModel));
        int prompt = in.path("prompt_eval_count").asInt(0);
        out.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
        return out;
    }

    /**
     * Ollama's tool calls as OpenAI's, numbered from {@code firstIndex}: arguments become a JSON string and
     * each call gets an id (Ollama's own when it sends one). Stream deltas also carry their {@code index}.
     * Null when there are none.
     */
    static ArrayNode toolCalls(JsonNode calls, int firstIndex, boolean withIndex) {
        if (calls == null || !calls.isArray() || calls.isEmpty()) return null;
        ArrayNode out = Json.array();
        int index = firstIndex;
        for (JsonNode c : calls) {
            JsonNode fn = c.path("function");
            ObjectNode o = out.addObject();
            if (withIndex) o.put("index", index);
            o.put("id", c.hasNonNull("id") && !c.get("id").asText().isEmpty() ? c.get("id").asText() : "call_" + index);
            o.put("type", "function");
            JsonNode args = fn.get("arguments");
            o.putObject("function")
                    .put("name", fn.path("name").asText())
                    .put("arguments", args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : Json.toString(args));
            index++;
        }
        return out;
    }

    /** done_reason "length" is a cut answer; "stop", "load" and the rest end normally, unless tools were called. */
    static String finishReason(String doneReason, boolean toolCalls) {
        if (toolCalls) return "tool_calls";
        return "length".equals(doneReason) ? "length" : "stop";
    }

    static ObjectNode usage(JsonNode in) {
        int prompt = in.path("prompt_eval_count").asInt(0);
        int completion = in.path("eval_count").asInt(0);
        ObjectNode u = Json.object();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }

    static long created(JsonNode in) {
        String at = in.path("created_at").asText("");
        try {
            if (!at.isEmpty()) return OffsetDateTime.parse(at).toEpochSecond();
        } catch (DateTimeParseException ignored) {
            // Ollama always sends RFC 3339; a proxy that does not is not worth failing the answer over
        }
        return System.currentTimeMillis() / 1000;
    }

    static String model(JsonNode in, String deploymentModel) {
        String m = in.path("model").asText("");
        return m.isEmpty() ? deploymentModel : m;
    }

    static String newId() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }
}
