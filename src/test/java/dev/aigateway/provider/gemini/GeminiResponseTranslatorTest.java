package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class GeminiResponseTranslatorTest {

    private static JsonNode completion(String geminiJson) {
        return GeminiResponseTranslator.toCompletion(Json.parse(geminiJson), "gemini-2.5-flash");
    }

    @ParameterizedTest
    @CsvSource({"STOP, stop", "MAX_TOKENS, length", "SAFETY, content_filter", "RECITATION, content_filter",
            "BLOCKLIST, content_filter", "PROHIBITED_CONTENT, content_filter", "SPII, content_filter",
            "IMAGE_SAFETY, content_filter", "OTHER, stop", "MALFORMED_FUNCTION_CALL, stop", "LANGUAGE, stop"})
    void finishReasons(String gemini, String openAi) {
        JsonNode out = completion("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"%s"}]}""".formatted(gemini));
        assertThat(out.path("choices").get(0).path("finish_reason").asText()).isEqualTo(openAi);
    }

    @Test
    void thoughtsAreReasoningContentNotContent() {
        JsonNode out = completion("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think.","thought":true},
                  {"text":"Paris"},{"text":" it is."}]},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":3,"thoughtsTokenCount":9,
                   "cachedContentTokenCount":2,"totalTokenCount":16},
                 "modelVersion":"gemini-2.5-flash-preview-05-20","responseId":"resp-1"}""");
        JsonNode msg = out.path("choices").get(0).path("message");
        assertThat(msg.path("content").asText()).isEqualTo("Paris it is.");
        assertThat(msg.path("reasoning_content").asText()).isEqualTo("Let me think.");
        assertThat(out.path("model").asText()).isEqualTo("gemini-2.5-flash-preview-05-20");
        assertThat(out.path("id").asText()).isEqualTo("resp-1");
        assertThat(out.path("usage")).isEqualTo(Json.parse("""
                {"prompt_tokens":4,"completion_tokens":12,"total_tokens":16,
                 "prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":9}}"""));
    }

    @Test
    void aBlockedPromptIsAnEmptyContentFilteredCompletion() {
        JsonNode out = completion("""
                {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},
                 "usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}""");
        JsonNode choice = out.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("content_filter");
        assertThat(choice.path("message").path("content").asText()).isEmpty();
        assertThat(out.path("model").asText()).isEqualTo("gemini-2.5-flash");
        assertThat(out.path("id").asText()).startsWith("chatcmpl-");
        assertThat(out.path("usage").path("prompt_tokens").asInt()).isEqualTo(8);
    }

    @Test
    void parallelFunctionCallsWithText() {
        JsonNode out = completion("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Checking."},
                  {"functionCall":{"name":"a","args":{"x":1}}},{"functionCall":{"name":"b"}}]},"finishReason":"STOP"}]}""");
        JsonNode msg = out.path("choices").get(0).path("message");
        assertThat(msg.path("content").asText()).isEqualTo("Checking.");
        assertThat(msg.path("tool_calls")).hasSize(2);
        assertThat(msg.path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{\"x\":1}");
        assertThat(msg.path("tool_calls").get(1).path("function").path("arguments").asText()).isEqualTo("{}");
        assertThat(msg.path("tool_calls").get(0).path("id").asText())
                .isNotEqualTo(msg.path("tool_calls").get(1).path("id").asText())
                .doesNotContain("__thought__");
        assertThat(out.path("choices").get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(out.path("usage").path("total_tokens").asInt()).isZero();
    }
}
