package dev.aigateway.pricing;

/**
 * Prices (USD per token) and context window of one model. Null means unknown.
 */
public record ModelPrice(
        String provider,
        String mode,
        Long maxInputTokens,
        Long maxOutputTokens,
        Double inputCostPerToken,
        Double outputCostPerToken,
        Double cacheReadInputTokenCost,
        Double cacheCreationInputTokenCost) {

    public static final ModelPrice UNKNOWN = new ModelPrice(null, null, null, null, null, null, null, null);

    /** This price with every non-null field of {@code override} taking precedence. */
    public ModelPrice overriddenBy(ModelPrice o) {
        return new ModelPrice(
                o.provider != null ? o.provider : provider,
                o.mode != null ? o.mode : mode,
                o.maxInputTokens != null ? o.maxInputTokens : maxInputTokens,
                o.maxOutputTokens != null ? o.maxOutputTokens : maxOutputTokens,
                o.inputCostPerToken != null ? o.inputCostPerToken : inputCostPerToken,
                o.outputCostPerToken != null ? o.outputCostPerToken : outputCostPerToken,
                o.cacheReadInputTokenCost != null ? o.cacheReadInputTokenCost : cacheReadInputTokenCost,
                o.cacheCreationInputTokenCost != null ? o.cacheCreationInputTokenCost : cacheCreationInputTokenCost);
    }
}
