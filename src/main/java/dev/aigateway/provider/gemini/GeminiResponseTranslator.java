package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.UUID;

/** A Gemini {@code GenerateContentResponse} to an OpenAI {@code chat.completion}. */
final class GeminiResponseTranslator {
    private GeminiResponseTranslator() {}

    static ObjectNode toCompletion(JsonNode resp, String deploymentModel) {
        ObjectNode out = Json.object();
        out.put("id", idOf(resp));
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", modelOf(resp, deploymentModel));
        ArrayNode choices = out.putArray("choices");
        JsonNode candidates = resp.path("candidates");
        if (candidates.isArray() && !candidates.isEmpty()) {
            int i = 0;
            for (JsonNode c : candidates) choices.add(choice(GeminiCandidate.read(c, i++)));
        } else {
            // The prompt itself was blocked (promptFeedback.blockReason): no candidate at all.
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", "");
            choice.put("finish_reason", isPromptBlocked(resp) ? "content_filter" : "stop");
        }
        out.set("usage", GeminiUsage.toOpenAi(resp.get("usageMetadata")));
        return out;
    }

    private static ObjectNode choice(GeminiCandidate c) {
        ObjectNode choice = Json.object();
        choice.put("index", c.index());
        ObjectNode msg = choice.putObject("message");
        msg.put("role", "assistant");
        if (c.toolCalls().isEmpty() || !c.text().isEmpty()) msg.put("content", c.text());
        else msg.putNull("content");
        if (!c.reasoning().isEmpty()) msg.put("reasoning_content", c.reasoning());
        if (!c.toolCalls().isEmpty()) msg.putArray("tool_calls").addAll(c.toolCalls());
        String finish = c.openAiFinishReason(false);
        choice.put("finish_reason", finish == null ? "stop" : finish);
        return choice;
    }

    static boolean isPromptBlocked(JsonNode resp) {
        return resp.path("promptFeedback").hasNonNull("blockReason");
    }

    static String idOf(JsonNode resp) {
        String id = resp.path("responseId").asText("");
        return id.isEmpty() ? "chatcmpl-" + UUID.randomUUID() : id;
    }

    static String modelOf(JsonNode resp, String deploymentModel) {
        String v = resp.path("modelVersion").asText("");
        return v.isEmpty() ? deploymentModel : v;
    }
}
