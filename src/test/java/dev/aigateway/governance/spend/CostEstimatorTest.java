package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.pricing.ModelPrice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The worst case of a request: every answer it asks for, its thinking, its dearest input price. */
class CostEstimatorTest {
    /** $1 per million prompt tokens (1,000 nano-USD a token), $10 per million output tokens (1e4 nano-USD, 1e7 pico-USD a token), 8192 tokens of output at most. */
    static final ModelPrice PRICE = new ModelPrice("openai", "chat", 128_000L, 8_192L, 1e-6, 1e-5, null, null);

    @BeforeAll
    static void tokenizer() {
        Tokenizer.load();
    }

    static ObjectNode chat(String extra) {
        return (ObjectNode) Json.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}");
    }

    static WorstCase worst(ObjectNode body, ModelPrice price) {
        return CostEstimator.worstCase(CostEstimator.billedPromptTokens(body), CostEstimator.output(body), price);
    }

    @Test
    void eachAnswerOfNIsAWorstCaseOfItsOwn() {
        WorstCase one = worst(chat(",\"max_tokens\":1000"), PRICE);
        WorstCase ten = worst(chat(",\"max_tokens\":1000,\"n\":10"), PRICE);
        assertThat(one.perTokenPicos()).isCloseTo(10_000_000L, within(1L)); // Math.ceil of a double product: at most 1 pico over
        assertThat(ten.perTokenPicos()).isCloseTo(100_000_000L, within(1L));
        assertThat(ten.worstNanos() - ten.fixedNanos()).isCloseTo(10 * (one.worstNanos() - one.fixedNanos()), within(1L));
        assertThat(ten.minTokens()).isEqualTo(1000).isEqualTo(ten.maxTokens()); // its own limit: explicit
    }

    @Test
    void bestOfAndBatchedPromptsCountEveryAnswerGenerated() {
        ObjectNode completion = (ObjectNode) Json.parse("{\"model\":\"m\",\"prompt\":[\"a\",\"b\",\"c\"],\"max_tokens\":10,\"n\":2,\"best_of\":4}");
        assertThat(CostEstimator.output(completion).answers()).isEqualTo(12);
    }

    @Test
    void thinkingBudgetsAreOnTopOfTheOutputLimit() {
        WorstCase plain = worst(chat(",\"max_tokens\":1000,\"n\":2"), PRICE);
        WorstCase thinking = worst(chat(",\"max_tokens\":1000,\"n\":2,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":5000}"), PRICE);
        assertThat(thinking.fixedNanos() - plain.fixedNanos()).isCloseTo(2 * 5000 * 10_000L, within(1L)); // 2 answers x 5000 tokens x 1e4 nano-USD
        WorstCase effort = worst(chat(",\"max_tokens\":1000,\"reasoning_effort\":\"high\""), PRICE);
        assertThat(effort.fixedNanos() - worst(chat(",\"max_tokens\":1000"), PRICE).fixedNanos()).isCloseTo(4096 * 10_000L, within(1L));
        WorstCase disabled = worst(chat(",\"max_tokens\":1000,\"thinking\":{\"type\":\"disabled\"}"), PRICE);
        assertThat(disabled.fixedNanos()).isEqualTo(worst(chat(",\"max_tokens\":1000"), PRICE).fixedNanos());
    }

    @Test
    void noLimitOfItsOwnMeansAnythingFromOneTokenToTheModelsMaximum() {
        WorstCase w = worst(chat(""), PRICE);
        assertThat(w.minTokens()).isEqualTo(1);
        assertThat(w.maxTokens()).isEqualTo(8_192);
        assertThat(w.explicit()).isFalse();
        WorstCase unknown = worst(chat(""), new ModelPrice(null, null, null, null, 1e-6, 1e-5, null, null));
        assertThat(unknown.maxTokens()).isEqualTo(4096);
    }

    @Test
    void thePromptIsPricedAtTheDearestInputPrice() {
        ModelPrice cacheWrites = new ModelPrice("anthropic", "chat", null, 8_192L, 1e-6, 1e-5, 1e-7, 1.25e-6);
        ObjectNode body = chat(",\"max_tokens\":1");
        long prompt = CostEstimator.billedPromptTokens(body);
        assertThat(prompt).isEqualTo(3 + 4 + 1); // reply priming, message framing, "hi"
        assertThat(worst(body, cacheWrites).fixedNanos()).isCloseTo(prompt * 1_250L, within(1L));
    }

    @Test
    void embeddingsHaveNoOutput() {
        ObjectNode embed = (ObjectNode) Json.parse("{\"model\":\"e\",\"input\":[\"one\",\"two\"]}");
        WorstCase w = worst(embed, PRICE);
        assertThat(w.maxTokens()).isZero();
        assertThat(w.perTokenPicos()).isZero();
        assertThat(w.worstNanos()).isEqualTo(w.fixedNanos()).isPositive();
    }

    @Test
    void largestFittingIsExact() {
        WorstCase w = new WorstCase(10, 3, 1, 1_000_000);
        long room = 10 + 100; // 100 nano-USD for tokens at 3 pico-USD each: 33,333 tokens
        long t = w.largestFitting(room);
        assertThat(t).isEqualTo(33_333);
        assertThat(w.costNanos(t)).isLessThanOrEqualTo(room);
        assertThat(w.costNanos(t + 1)).isGreaterThan(room);
        assertThat(w.largestFitting(9)).isEqualTo(-1);
        assertThat(w.costNanos(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE); // saturates, never wraps
    }
}
