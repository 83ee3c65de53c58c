package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

/**
 * Gemini's {@code usageMetadata} to OpenAI's {@code usage}. Thinking tokens are billed as output, so
 * they count in completion_tokens (and are reported again as reasoning_tokens, as OpenAI does); tokens
 * of tool-use prompts (e.g. search results) are billed as input.
 */
final class GeminiUsage {
    private GeminiUsage() {}

    /** An all-zero usage when Gemini sent none. */
    static ObjectNode toOpenAi(JsonNode meta) {
        JsonNode m = meta == null ? Json.object() : meta;
        int prompt = m.path("promptTokenCount").asInt(0) + m.path("toolUsePromptTokenCount").asInt(0);
        int thoughts = m.path("thoughtsTokenCount").asInt(0);
        int completion = m.path("candidatesTokenCount").asInt(0) + thoughts;
        ObjectNode u = Json.object();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        if (m.has("cachedContentTokenCount")) {
            u.putObject("prompt_tokens_details").put("cached_tokens", m.path("cachedContentTokenCount").asInt(0));
        }
        if (m.has("thoughtsTokenCount")) {
            u.putObject("completion_tokens_details").put("reasoning_tokens", thoughts);
        }
        return u;
    }
}
