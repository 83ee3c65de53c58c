package dev.aigateway.provider.gemini;

import java.util.Set;

/** Gemini's finishReason to OpenAI's finish_reason. */
final class GeminiFinishReasons {
    /** Stops imposed by Google's filters (safety, copyright, terms lists, personal data). */
    private static final Set<String> FILTERED = Set.of(
            "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
            "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION");

    private GeminiFinishReasons() {}

    /**
     * @param reason       Gemini's value; null when the candidate has not finished
     * @param hasToolCalls Gemini says STOP after function calls; OpenAI clients look for tool_calls
     */
    static String toOpenAi(String reason, boolean hasToolCalls) {
        if (reason == null) return null;
        if (reason.equals("MAX_TOKENS")) return "length";
        if (FILTERED.contains(reason)) return "content_filter";
        // STOP, and OTHER, MALFORMED_FUNCTION_CALL, LANGUAGE ... which OpenAI has no word for.
        return hasToolCalls ? "tool_calls" : "stop";
    }
}
