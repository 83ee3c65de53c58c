package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

/** An Anthropic {@code message} -> an OpenAI {@code chat.completion}. */
final class AnthropicResponseTranslator {
    private AnthropicResponseTranslator() {}

    static ObjectNode translate(JsonNode message, String fallbackModel) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode toolCalls = Json.array();
        ArrayNode thinkingBlocks = Json.array();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> {
                    ObjectNode call = toolCalls.addObject();
                    call.put("id", block.path("id").asText());
                    call.put("type", "function");
                    call.putObject("function")
                            .put("name", block.path("name").asText())
                            .put("arguments", Json.toString(block.has("input") ? block.get("input") : Json.object()));
                }
                case "thinking" -> {
                    reasoning.append(block.path("thinking").asText(""));
                    thinkingBlocks.add(block);
                }
                case "redacted_thinking" -> thinkingBlocks.add(block);
                default -> { /* server tool blocks and citations have no OpenAI counterpart */ }
            }
        }

        ObjectNode out = Json.object();
        out.put("id", message.path("id").asText());
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", message.path("model").asText(fallbackModel));
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode msg = choice.putObject("message");
        msg.put("role", "assistant");
        if (text.isEmpty() && !toolCalls.isEmpty()) msg.putNull("content");
        else msg.put("content", text.toString());
        if (!toolCalls.isEmpty()) msg.set("tool_calls", toolCalls);
        // LiteLLM's fields: thinking_blocks keeps the signatures a later turn must send back.
        if (!reasoning.isEmpty()) msg.put("reasoning_content", reasoning.toString());
        if (!thinkingBlocks.isEmpty()) msg.set("thinking_blocks", thinkingBlocks);
        String stopReason = message.path("stop_reason").asText(null);
        choice.put("finish_reason", StopReasons.toFinishReason(stopReason == null ? "end_turn" : stopReason));
        if ("stop_sequence".equals(stopReason) && message.hasNonNull("stop_sequence")) {
            choice.put("stop_reason", message.get("stop_sequence").asText());
        }
        AnthropicUsage usage = new AnthropicUsage();
        usage.update(message.get("usage"));
        out.set("usage", usage.toOpenAi());
        return out;
    }
}
