package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.provider.ReasoningEffort;

/**
 * The most a request can cost before it runs ({@link WorstCase}), to check and reserve against a budget:
 * <ul>
 *   <li>the prompt's tokens (counted with the o200k {@link Tokenizer}, or an upper bound while it loads;
 *       other providers' tokenizers differ by a few percent) at the dearest input price (a prompt-cache
 *       write costs more than plain input);</li>
 *   <li>for each answer it asks for ({@code n}, {@code best_of}, one per prompt of a batched completion), its
 *       output limit ({@code max_completion_tokens}, else {@code max_tokens}, else the model's maximum output,
 *       else 4096) plus its thinking budget ({@code thinking.budget_tokens}, or what {@code reasoning_effort}
 *       becomes), at the output price.</li>
 * </ul>
 * Only computed when a budget applies, so unbudgeted requests never pay for tokenizing.
 */
public final class CostEstimator {
    static final long DEFAULT_MAX_OUTPUT = 4096;
    /** OpenAI's per-message framing overhead (at most 4 tokens a message). */
    private static final int TOKENS_PER_MESSAGE = 4;
    /** OpenAI primes every reply with 3 tokens ({@code <|start|>assistant<|message|>}), billed as prompt. */
    private static final int REPLY_PRIMING = 3;
    /** OpenAI's high-detail image upper bound for a 1024px tile set. */
    private static final int TOKENS_PER_IMAGE = 765;

    private CostEstimator() {}

    /**
     * What a request's output may be.
     *
     * @param answers         how many answers it produces (0 for embeddings)
     * @param limit           its own output limit per answer, or null when it sets none
     * @param thinkingTokens  a thinking budget per answer, on top of the limit (providers differ on whether thinking
     *                        counts inside max_tokens; Anthropic's gateway translation adds it when max_tokens is
     *                        smaller, so the bound takes the sum)
     */
    public record Output(long answers, Long limit, long thinkingTokens) {
        public static final Output NONE = new Output(0, null, 0);
    }

    /** The output side of an OpenAI-format body (chat, completions or embeddings); validators have checked the types. */
    public static Output output(ObjectNode body) {
        if (body.has("input") && !body.has("messages") && !body.has("prompt")) return Output.NONE; // embeddings
        long n = positive(body.get("n"), 1);
        long answers = Math.max(n, positive(body.get("best_of"), 1)); // best_of answers are all generated and billed
        JsonNode prompt = body.get("prompt");
        if (prompt != null && prompt.isArray() && prompt.size() > 1 && !prompt.get(0).isNumber()) answers *= prompt.size();
        Long limit = null;
        for (String f : new String[]{"max_completion_tokens", "max_tokens"}) {
            JsonNode v = body.get(f);
            if (v != null && v.canConvertToLong() && v.asLong() > 0) {
                limit = v.asLong();
                break;
            }
        }
        return new Output(answers, limit, thinkingTokens(body));
    }

    /**
     * The thinking budget a request asks for: Anthropic's {@code thinking: {type: enabled, budget_tokens}}, else
     * {@code reasoning_effort} as the providers' translations turn it into a budget (the largest of them: Anthropic's
     * 1024 / 2048 / 4096 for low / medium / high).
     */
    static long thinkingTokens(ObjectNode body) {
        JsonNode thinking = body.get("thinking");
        if (thinking != null && thinking.isObject()) {
            if (!"enabled".equals(thinking.path("type").asText())) return 0;
            return Math.max(0, thinking.path("budget_tokens").asLong(0));
        }
        JsonNode effort = body.get("reasoning_effort");
        if (effort == null || !effort.isTextual()) return 0;
        Integer budget = ReasoningEffort.budget(effort.asText());
        return budget == null || budget == 0 ? 0 : Math.max(ReasoningEffort.LOW, budget); // Anthropic's floor: the largest
    }

    /** The worst case of a request whose prompt has {@code promptTokens} tokens, at {@code price}. */
    public static WorstCase worstCase(long promptTokens, Output output, ModelPrice price) {
        double in = Math.max(nz(price.inputCostPerToken()), nz(price.cacheCreationInputTokenCost()));
        double out = nz(price.outputCostPerToken());
        long max = output.answers() == 0 ? 0 : output.limit() != null ? output.limit() : modelMaxOutput(price);
        long min = output.answers() == 0 ? 0 : output.limit() != null ? output.limit() : 1;
        if (in == 0 && out == 0) return new WorstCase(0, 0, min, max);
        long fixed = ceilNanos(promptTokens * in) + ceilNanos(output.answers() * output.thinkingTokens() * out);
        long perTokenPicos = (long) Math.ceil(output.answers() * out * 1e12);
        return new WorstCase(fixed, perTokenPicos, min, max);
    }

    /** The worst case of a body at a price, in nano-USD (its own output limit, else the model's maximum). */
    public static long estimateNanos(ObjectNode body, ModelPrice price) {
        return worstCase(billedPromptTokens(body), output(body), price).worstNanos();
    }

    /** The model's maximum output per answer, as the price table or model_info says, else 4096. */
    public static long modelMaxOutput(ModelPrice price) {
        return price.maxOutputTokens() != null && price.maxOutputTokens() > 0 ? price.maxOutputTokens() : DEFAULT_MAX_OUTPUT;
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

    /**
     * The prompt's tokens as a budget counts them: {@link #promptTokens} plus the tokens a provider adds to prime the
     * reply, which it bills as prompt.
     */
    public static long billedPromptTokens(ObjectNode body) {
        return promptTokens(body) + (body.has("messages") ? REPLY_PRIMING : 0);
    }

    /** The prompt's tokens: messages (with their framing), prompt or input, tools. */
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

    /** Tokens of generated text (a stream's deltas), for a stream that ended without the provider's usage. */
    public static long textTokens(String text) {
        return Tokenizer.count(text);
    }

    private static long count(JsonNode content) {
        if (content == null || content.isNull()) return 0;
        if (content.isTextual()) return count(content.asText());
        if (content.isNumber()) return 1; // a token id (completions accept token arrays)
        long t = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) t += count(part.asText());
                else if (part.isArray() || part.isNumber()) t += count(part);
                else if (part.has("text")) t += count(part.path("text").asText());
                else if (part.has("image_url")) t += TOKENS_PER_IMAGE;
            }
            return t;
        }
        return count(content.toString());
    }

    private static long count(String s) {
        return Tokenizer.count(s);
    }

    private static long positive(JsonNode v, long dflt) {
        return v != null && v.canConvertToLong() && v.asLong() > 0 ? v.asLong() : dflt;
    }

    private static double nz(Double d) {
        return d == null ? 0 : d;
    }

    private static long ceilNanos(double usd) {
        return (long) Math.ceil(usd * Money.NANOS_PER_USD);
    }
}
