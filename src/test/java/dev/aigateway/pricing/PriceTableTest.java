package dev.aigateway.pricing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled table keeps LiteLLM's supports_reasoning, and a deployment's model_info overrides it as it does prices. */
class PriceTableTest {
    static Deployment deployment(String provider, String model, ObjectNode modelInfo, ObjectNode params) {
        return new Deployment("d1", "m", provider, model, "k", null, null, Duration.ofSeconds(5), null, 1, 0, params, modelInfo, true);
    }

    @Test
    void theBundledTableKnowsWhichModelsReason() {
        PriceTable t = PriceTable.bundled();
        assertThat(t.lookup("openai", "gpt-5").reasons()).isTrue();
        assertThat(t.lookup("openai", "o3-mini").reasons()).isTrue();
        assertThat(t.lookup("deepseek", "deepseek-reasoner").reasons()).isTrue();
        assertThat(t.lookup("gemini", "gemini-2.5-flash").reasons()).isTrue();
        assertThat(t.lookup("openai", "gpt-4o").supportsReasoning()).as("absent in the map: unknown").isNull();
        assertThat(t.lookup("openai", "gpt-4o").reasons()).isFalse();
        assertThat(t.lookup("openai", "gpt-4o").inputCostPerToken()).as("prices still there").isPositive();
        assertThat(t.lookup("openai", "no-such-model").reasons()).isFalse();
    }

    @Test
    void modelInfoOverridesTheFlagAsItOverridesPrices() {
        PriceTable t = PriceTable.bundled();
        ObjectNode on = Json.object().put("supports_reasoning", true).put("input_cost_per_token", 1e-6);
        ModelPrice local = t.priceOf(deployment("openai", "my-local-reasoner", on, Json.object()));
        assertThat(local.reasons()).isTrue();
        assertThat(local.inputCostPerToken()).isEqualTo(1e-6);

        assertThat(t.priceOf(deployment("openai", "o3-mini", Json.object().put("supports_reasoning", false), Json.object()))
                .reasons()).isFalse();
        assertThat(t.priceOf(deployment("openai", "my-model", Json.object().put("supports_reasoning", "true"), Json.object()))
                .reasons()).as("written as a string").isTrue();
        ModelPrice known = t.priceOf(deployment("openai", "o3-mini", null, null));
        assertThat(known.reasons()).isTrue();
        assertThat(known).isEqualTo(t.lookup("openai", "o3-mini"));
    }
}
