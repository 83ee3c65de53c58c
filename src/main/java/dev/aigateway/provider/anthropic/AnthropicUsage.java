package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

/**
 * Anthropic's token counts, which arrive in pieces in a stream. Anthropic's input_tokens leaves out the
 * cached part; OpenAI's prompt_tokens includes it, so the cache reads and writes are added back, and kept
 * as separate fields too (as LiteLLM does) because they are priced differently.
 */
final class AnthropicUsage {
    private long input;
    private long output;
    private long cacheRead;
    private long cacheCreation;

    /** Takes whatever counts this usage object carries (message_delta repeats only some). */
    void update(JsonNode usage) {
        if (usage == null || !usage.isObject()) return;
        if (usage.hasNonNull("input_tokens")) input = usage.get("input_tokens").asLong();
        if (usage.hasNonNull("output_tokens")) output = usage.get("output_tokens").asLong();
        if (usage.hasNonNull("cache_read_input_tokens")) cacheRead = usage.get("cache_read_input_tokens").asLong();
        if (usage.hasNonNull("cache_creation_input_tokens")) cacheCreation = usage.get("cache_creation_input_tokens").asLong();
    }

    ObjectNode toOpenAi() {
        long prompt = input + cacheRead + cacheCreation;
        ObjectNode u = Json.object();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", output);
        u.put("total_tokens", prompt + output);
        u.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
        u.put("cache_read_input_tokens", cacheRead);
        u.put("cache_creation_input_tokens", cacheCreation);
        return u;
    }
}
