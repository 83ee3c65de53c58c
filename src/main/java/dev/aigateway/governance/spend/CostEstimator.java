package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.pricing.ModelPrice;

/**
 * The most a request can cost before it runs, to reserve against a budget: the prompt's tokens (counted
 * with the o200k {@link Tokenizer}, or an upper bound while it loads; other providers' tokenizers differ by a
 * few percent) at the input price, plus the most output it may produce (its max_tokens, else the model's
 * maximum output, else 4096) at the output price. Only computed when a budget applies, so unbudgeted requests never pay for tokenizing.
 */
public final class CostEstimator {
    private static final long DEFAULT_MAX_OUTPUT = 4096;
    /** OpenAI's per-message framing overhead. */
    private static final int TOKENS_PER_MESSAGE = 4;

    private CostEstimator() {}

    public static long estimateNanos(ObjectNode body, ModelPrice price) {
        double in = price.inputCostPerToken() == null ? 0 : price.inputCostPerToken();
        double out = price.outputCostPerToken() == null ? 0 : price.outputCostPerToken();
        if (in == 0 && out == 0) return 0;
        return Money.nanos(promptTokens(body) * in + maxOutput(body, price) * out);
    }

    /**
     * The prompt's tokens for pre-call checks, or -1 (no check) while the tokenizer loads: an upper bound could
     * wrongly rule deployments out.
     */
    public static long promptTokensIfExact(ObjectNode body) {
        if (!Tokenizer.loaded()) {
            Tokenizer.preload();
            return -1;
        }
        return promptTokens(body);
    }

    public static long promptTokens(ObjectNode body) {
        long tokens = 0;
        JsonNode messages = body.get("messages");
        if (messages != null && messages.isArray()) {
            for (JsonNode m : messages) {
                tokens += TOKENS_PER_MESSAGE + count(m.get("content"));
                JsonNode calls = m.get("tool_calls");
                if (calls != null) tokens += count(calls.toString());
            }
        }
        JsonNode prompt = body.get("prompt");
        if (prompt != null) tokens += count(prompt);
        JsonNode input = body.get("input");
        if (input != null) tokens += count(input);
        JsonNode tools = body.get("tools");
        if (tools != null) tokens += count(tools.toString());
        return tokens;
    }

    static long maxOutput(ObjectNode body, ModelPrice price) {
        for (String f : new String[]{"max_completion_tokens", "max_tokens"}) {
            JsonNode n = body.get(f);
            if (n != null && n.canConvertToLong() && n.asLong() > 0) return n.asLong();
        }
        if (body.has("input") && !body.has("messages")) return 0; // embeddings produce no output tokens
        return price.maxOutputTokens() != null ? price.maxOutputTokens() : DEFAULT_MAX_OUTPUT;
    }

    private static long count(JsonNode content) {
        if (content == null || content.isNull()) return 0;
        if (content.isTextual()) return count(content.asText());
        long t = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) t += count(part.asText());
                else if (part.has("text")) t += count(part.path("text").asText());
                else if (part.has("image_url")) t += 765; // OpenAI's high-detail image upper bound for a 1024px tile set
            }
            return t;
        }
        return count(content.toString());
    }

    private static long count(String s) {
        return Tokenizer.count(s);
    }
}
