package dev.aigateway.provider;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * The one mapping between Anthropic's thinking budget and OpenAI's {@code reasoning_effort}, both ways, with LiteLLM's
 * thresholds ({@code DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET}): minimal 128, low 1024, medium 2048, high 4096.
 * Providers that take a budget (Gemini, Anthropic) turn an effort into one; a Messages request bound for a provider
 * that takes an effort (OpenAI and its compatibles, Ollama) turns its budget into one.
 */
public final class ReasoningEffort {
    public static final int MINIMAL = 128;
    public static final int LOW = 1024;
    public static final int MEDIUM = 2048;
    public static final int HIGH = 4096;

    private ReasoningEffort() {}

    /** The budget an effort stands for; 0 for {@code none}; null for a value that is not an effort. */
    public static Integer budget(String effort) {
        return switch (effort) {
            case "none" -> 0;
            case "minimal" -> MINIMAL;
            case "low" -> LOW;
            case "medium" -> MEDIUM;
            case "high" -> HIGH;
            default -> null;
        };
    }

    /** LiteLLM's bucketing of a budget (Claude Code sends 31999: high). */
    public static String ofBudget(long budgetTokens) {
        if (budgetTokens >= HIGH) return "high";
        if (budgetTokens >= MEDIUM) return "medium";
        if (budgetTokens >= LOW) return "low";
        return "minimal";
    }

    /**
     * Anthropic's {@code thinking} (with {@code output_config}, where adaptive thinking takes its effort) as an effort;
     * null when it asks for no thinking ({@code disabled}, absent, or a type this gateway does not know). Adaptive
     * thinking without an effort is {@code medium}, as LiteLLM sends it; Anthropic's efforts above high are high, the
     * most every OpenAI reasoning model takes.
     */
    public static String ofThinking(JsonNode thinking, JsonNode outputConfig) {
        if (thinking == null || !thinking.isObject()) return null;
        return switch (thinking.path("type").asText("")) {
            case "enabled" -> ofBudget(thinking.path("budget_tokens").asLong(0));
            case "adaptive" -> {
                String effort = outputConfig == null ? "" : outputConfig.path("effort").asText("").toLowerCase(Locale.ROOT);
                yield switch (effort) {
                    case "low", "medium", "high" -> effort;
                    case "xhigh", "max" -> "high";
                    default -> "medium";
                };
            }
            default -> null;
        };
    }
}
