package dev.aigateway.provider.anthropic;

/**
 * Anthropic {@code stop_reason} and OpenAI {@code finish_reason}, both ways. Which stop sequence ended the
 * answer travels in the choice's {@code stop_reason} field as vLLM's OpenAI server does, so an
 * Anthropic-to-Anthropic call through the gateway keeps {@code stop_sequence}.
 */
final class StopReasons {
    private StopReasons() {}

    /** Anthropic -> OpenAI. */
    static String toFinishReason(String stopReason) {
        if (stopReason == null) return null;
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    /** OpenAI -> Anthropic; {@code stopSequence} is the matched stop string when the provider told it. */
    static String toStopReason(String finishReason, String stopSequence) {
        if (finishReason == null) return "end_turn";
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> stopSequence != null ? "stop_sequence" : "end_turn";
        };
    }
}
