package dev.aigateway.pricing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Vertex AI's dated model ids find a price: their own entry where the map has one, else their base model's. */
class CloudModelPricesTest {
    private final PriceTable table = PriceTable.bundled();

    @Test
    void aListedVertexIdIsPricedByItsOwnEntry() {
        PriceTable.Match m = table.match("vertex_ai", "claude-sonnet-4@20250514");
        assertThat(m.key()).isEqualTo("vertex_ai/claude-sonnet-4@20250514");
        assertThat(m.fallback()).isFalse();
        assertThat(m.price().inputCostPerToken()).isPositive();
    }

    @Test
    void anUnlistedDatedIdIsPricedAsItsBaseModel() {
        assertThat(table.match("vertex_ai", "claude-sonnet-4-5@20250929")).as("the map's own entries do not have it")
                .satisfies(m -> assertThat(m.fallback()).isTrue());
        PriceTable.Match m = table.match("vertex_ai", "claude-sonnet-4-5@20250929");
        assertThat(m.key()).isEqualTo("claude-sonnet-4-5");
        assertThat(table.lookup("vertex_ai", "claude-sonnet-4-5@20250929").outputCostPerToken())
                .isEqualTo(table.lookup("anthropic", "claude-sonnet-4-5").outputCostPerToken()).isPositive();
    }

    @Test
    void geminiOnVertexUsesTheBareModelAndUnknownIdsStayUnknown() {
        assertThat(table.match("vertex_ai", "gemini-2.5-flash").key()).isEqualTo("gemini-2.5-flash");
        assertThat(table.match("vertex_ai", "no-such-model@2025")).isNull();
        assertThat(table.lookup("vertex_ai", "no-such-model@2025")).isSameAs(ModelPrice.UNKNOWN);
    }

    @Test
    void bedrockRouteMarkersAndInferenceProfilesArePricedAsTheirModel() {
        assertThat(table.match("bedrock", "us.anthropic.claude-3-7-sonnet-20250219-v1:0").fallback()).isFalse();
        PriceTable.Match global = table.match("bedrock", "global.anthropic.claude-3-7-sonnet-20250219-v1:0");
        assertThat(global.key()).isEqualTo("anthropic.claude-3-7-sonnet-20250219-v1:0");
        assertThat(global.fallback()).isTrue();
        assertThat(table.match("bedrock", "invoke/us.anthropic.claude-3-7-sonnet-20250219-v1:0").key())
                .isEqualTo("us.anthropic.claude-3-7-sonnet-20250219-v1:0");
        assertThat(table.match("bedrock", "invoke/global.amazon.nova-lite-v1:0").key()).isEqualTo("amazon.nova-lite-v1:0");
        assertThat(table.match("bedrock", "us.no-such-model")).isNull();
    }
}
