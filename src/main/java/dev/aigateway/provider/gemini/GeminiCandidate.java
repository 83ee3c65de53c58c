package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * What one Gemini candidate (a whole answer, or one stream fragment of it) says, in OpenAI terms.
 *
 * @param text         visible text, concatenated
 * @param reasoning    text of parts marked {@code thought: true}
 * @param toolCalls    OpenAI tool_call objects ({@code id, type, function{name, arguments}}), no index
 * @param finishReason Gemini's raw finishReason, null while the candidate is still going
 */
record GeminiCandidate(int index, String text, String reasoning, List<ObjectNode> toolCalls, String finishReason) {

    static GeminiCandidate read(JsonNode c, int fallbackIndex) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ObjectNode> calls = new ArrayList<>(0);
        for (JsonNode part : c.path("content").path("parts")) {
            JsonNode fc = part.get("functionCall");
            if (fc != null && fc.isObject()) {
                calls.add(toolCall(fc, part.path("thoughtSignature").asText(null)));
            } else if (part.has("text")) {
                (part.path("thought").asBoolean(false) ? reasoning : text).append(part.path("text").asText(""));
            }
        }
        String finish = c.hasNonNull("finishReason") ? c.get("finishReason").asText() : null;
        return new GeminiCandidate(c.path("index").asInt(fallbackIndex), text.toString(), reasoning.toString(), calls, finish);
    }

    /** OpenAI's finish_reason, or null when Gemini has not said the candidate is finished. */
    String openAiFinishReason(boolean hadToolCalls) {
        return GeminiFinishReasons.toOpenAi(finishReason, hadToolCalls || !toolCalls.isEmpty());
    }

    private static ObjectNode toolCall(JsonNode fc, String thoughtSignature) {
        ObjectNode call = Json.object();
        call.put("id", GeminiToolCallIds.newId(thoughtSignature));
        call.put("type", "function");
        JsonNode args = fc.get("args");
        call.putObject("function")
                .put("name", fc.path("name").asText(""))
                .put("arguments", args == null || args.isNull() ? "{}" : args.toString());
        return call;
    }
}
