package dev.aigateway.provider;

import dev.aigateway.core.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReasoningEffortTest {

    /** LiteLLM's reasoning_effort_from_thinking_budget: at or above 1024 low, 2048 medium, 4096 high. */
    @ParameterizedTest
    @CsvSource({"0,minimal", "1023,minimal", "1024,low", "2047,low", "2048,medium", "4095,medium", "4096,high", "31999,high"})
    void aBudgetBucketsAsLiteLlmDoes(long budget, String effort) {
        assertThat(ReasoningEffort.ofBudget(budget)).isEqualTo(effort);
        assertThat(ReasoningEffort.ofThinking(Json.parse("{\"type\":\"enabled\",\"budget_tokens\":" + budget + "}"), null))
                .isEqualTo(effort);
    }

    @ParameterizedTest
    @CsvSource({"none,0", "minimal,128", "low,1024", "medium,2048", "high,4096"})
    void anEffortIsLiteLlmsBudget(String effort, int budget) {
        assertThat(ReasoningEffort.budget(effort)).isEqualTo(budget);
        if (budget >= 1024) assertThat(ReasoningEffort.ofBudget(budget)).isEqualTo(effort); // the two directions agree
    }

    /** Adaptive thinking takes output_config.effort (capped at high), else medium; disabled asks for none. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"adaptive\"}|null|medium",
            "{\"type\":\"adaptive\"}|{\"effort\":\"low\"}|low",
            "{\"type\":\"adaptive\"}|{\"effort\":\"max\"}|high",
            "{\"type\":\"adaptive\"}|{\"effort\":\"xhigh\"}|high",
            "{\"type\":\"disabled\"}|null|",
            "{\"type\":\"something_new\"}|null|"})
    void thinkingOfEachTypeAsAnEffort(String thinking, String outputConfig, String effort) {
        assertThat(ReasoningEffort.ofThinking(Json.parse(thinking), Json.parse(outputConfig))).isEqualTo(effort);
    }
}
