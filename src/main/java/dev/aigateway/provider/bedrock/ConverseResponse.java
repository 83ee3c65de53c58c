package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.UUID;

/** A Converse answer as an OpenAI {@code chat.completion}, and the pieces its stream shares (stop reasons, usage). */
final class ConverseResponse {
    private ConverseResponse() {}

    static ObjectNode toCompletion(ObjectNode resp, String model) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = Json.array();
        for (JsonNode block : resp.path("output").path("message").path("content")) {
            if (block.has("text")) text.append(block.get("text").asText());
            JsonNode r = block.path("reasoningContent").path("reasoningText").path("text");
            if (r.isTextual()) reasoning.append(r.asText());
            JsonNode use = block.get("toolUse");
            if (use != null) {
                ObjectNode call = calls.addObject();
                call.put("id", use.path("toolUseId").asText());
                call.put("type", "function");
                ObjectNode f = call.putObject("function");
                f.put("name", use.path("name").asText());
                f.put("arguments", Json.toString(use.has("input") ? use.get("input") : Json.object()));
            }
        }
        ObjectNode out = Json.object();
        out.put("id", newId());
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", model);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (text.isEmpty() && !calls.isEmpty()) message.putNull("content");
        else message.put("content", text.toString());
        if (!reasoning.isEmpty()) message.put("reasoning_content", reasoning.toString());
        if (!calls.isEmpty()) message.set("tool_calls", calls);
        choice.put("finish_reason", finishReason(resp.path("stopReason").asText("")));
        out.set("usage", usage(resp.get("usage")));
        return out;
    }

    static String newId() {
        return "chatcmpl-" + UUID.randomUUID();
    }

    static String finishReason(String stopReason) {
        return switch (stopReason) {
            case "tool_use" -> "tool_calls";
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> "stop";
        };
    }

    /** Bedrock's inputTokens leaves out cached tokens; OpenAI's prompt_tokens counts them, kept apart too (priced apart). */
    static ObjectNode usage(JsonNode u) {
        long input = u == null ? 0 : u.path("inputTokens").asLong();
        long output = u == null ? 0 : u.path("outputTokens").asLong();
        long cacheRead = u == null ? 0 : u.path("cacheReadInputTokens").asLong();
        long cacheWrite = u == null ? 0 : u.path("cacheWriteInputTokens").asLong();
        long prompt = input + cacheRead + cacheWrite;
        ObjectNode out = Json.object();
        out.put("prompt_tokens", prompt);
        out.put("completion_tokens", output);
        out.put("total_tokens", prompt + output);
        out.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
        out.put("cache_read_input_tokens", cacheRead);
        out.put("cache_creation_input_tokens", cacheWrite);
        return out;
    }
}
