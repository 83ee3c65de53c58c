package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.nio.charset.StandardCharsets;

/** An OpenAI {@code chat.completion} from any provider -> the Anthropic {@code message} a Messages API client reads. */
final class MessagesResponseTranslator {
    private MessagesResponseTranslator() {}

    static ObjectNode translate(ObjectNode completion, String model) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode msg = choice.path("message");
        ObjectNode out = Json.object();
        out.put("id", MessageIds.messageId(completion.path("id").asText(null)));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", model != null ? model : completion.path("model").asText(""));
        ArrayNode content = out.putArray("content");
        thinking(msg, content);
        String text = text(msg.get("content"));
        if (!text.isEmpty()) content.addObject().put("type", "text").put("text", text);
        for (JsonNode call : msg.path("tool_calls")) {
            ObjectNode use = content.addObject();
            use.put("type", "tool_use");
            use.put("id", MessageIds.toolUseId(call.path("id").asText(null)));
            use.put("name", call.path("function").path("name").asText());
            use.set("input", input(call.path("function").path("arguments")));
        }
        if (content.isEmpty()) content.addObject().put("type", "text").put("text", ""); // clients read content[0]
        String stopSequence = choice.path("stop_reason").isTextual() ? choice.get("stop_reason").asText() : null;
        String stopReason = StopReasons.toStopReason(choice.path("finish_reason").asText(null), stopSequence);
        out.put("stop_reason", stopReason);
        if ("stop_sequence".equals(stopReason)) out.put("stop_sequence", stopSequence);
        else out.putNull("stop_sequence");
        out.set("usage", usage(completion.path("usage")));
        return out;
    }

    /** OpenAI usage -> Anthropic's, whose input_tokens leaves out the cached part that prompt_tokens includes. */
    static ObjectNode usage(JsonNode u) {
        long prompt = u.path("prompt_tokens").asLong(0);
        long cacheRead = u.has("cache_read_input_tokens")
                ? u.path("cache_read_input_tokens").asLong(0)
                : u.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        long cacheCreation = u.path("cache_creation_input_tokens").asLong(0);
        ObjectNode out = Json.object();
        out.put("input_tokens", Math.max(0, prompt - cacheRead - cacheCreation));
        out.put("output_tokens", u.path("completion_tokens").asLong(0));
        out.put("cache_read_input_tokens", cacheRead);
        out.put("cache_creation_input_tokens", cacheCreation);
        return out;
    }

    /**
     * The answer's reasoning as Anthropic's thinking block, first, where Anthropic puts it: LiteLLM's
     * {@code thinking_blocks} (an Anthropic answer, with its signatures) as they are, else the reasoning text
     * ({@code reasoning_content}: DeepSeek, vLLM, the Gemini and Ollama translations; {@code reasoning}: OpenRouter,
     * newer vLLM, Ollama's /v1) with an empty signature, since no other provider signs its reasoning. Sent whether or
     * not the client asked for thinking, as LiteLLM does: the text exists and clients show it.
     */
    private static void thinking(JsonNode msg, ArrayNode content) {
        JsonNode blocks = msg.get("thinking_blocks");
        if (blocks != null && blocks.isArray() && !blocks.isEmpty()) {
            for (JsonNode b : blocks) {
                String type = b.path("type").asText("");
                if (type.equals("thinking") || type.equals("redacted_thinking")) content.add(b);
            }
            return;
        }
        String reasoning = reasoning(msg);
        if (!reasoning.isEmpty()) content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
    }

    /** Reasoning text of a message or a stream delta, under either name OpenAI-compatible servers use. */
    static String reasoning(JsonNode msgOrDelta) {
        JsonNode r = msgOrDelta.get("reasoning_content");
        if (r == null || !r.isTextual() || r.asText().isEmpty()) r = msgOrDelta.get("reasoning");
        return r != null && r.isTextual() ? r.asText() : "";
    }

    private static String text(JsonNode content) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) if ("text".equals(part.path("type").asText())) sb.append(part.path("text").asText(""));
        return sb.toString();
    }

    /** Anthropic's input must be an object; arguments a model garbled are given as an empty one. */
    static JsonNode input(JsonNode arguments) {
        if (arguments.isObject()) return arguments;
        JsonNode parsed = arguments.isTextual() ? Json.tryParse(arguments.asText().getBytes(StandardCharsets.UTF_8)) : null;
        return parsed instanceof ObjectNode ? parsed : Json.object();
    }
}
