package dev.aigateway.pricing;

/**
 * Prices (USD per token), context window and capabilities of one model. Null means unknown.
 *
 * @param supportsReasoning whether the model takes a reasoning effort or thinking budget (LiteLLM's
 *                          {@code supports_reasoning}); null when the map does not say, which reads as no
 * @param units             prices of what is not tokens (images, seconds of audio, characters, rerank queries)
 */
public record ModelPrice(
        String provider,
        String mode,
        Long maxInputTokens,
        Long maxOutputTokens,
        Double inputCostPerToken,
        Double outputCostPerToken,
        Double cacheReadInputTokenCost,
        Double cacheCreationInputTokenCost,
        Boolean supportsReasoning,
        UnitPrices units) {

    public static final ModelPrice UNKNOWN = new ModelPrice(null, null, null, null, null, null, null, null, null, UnitPrices.NONE);

    public ModelPrice {
        if (units == null) units = UnitPrices.NONE;
    }

    /** Token prices, context window and the reasoning capability: no unit prices. */
    public ModelPrice(String provider, String mode, Long maxInputTokens, Long maxOutputTokens, Double inputCostPerToken,
                      Double outputCostPerToken, Double cacheReadInputTokenCost, Double cacheCreationInputTokenCost,
                      Boolean supportsReasoning) {
        this(provider, mode, maxInputTokens, maxOutputTokens, inputCostPerToken, outputCostPerToken, cacheReadInputTokenCost,
                cacheCreationInputTokenCost, supportsReasoning, UnitPrices.NONE);
    }

    /** Prices and context window only: no capability known. */
    public ModelPrice(String provider, String mode, Long maxInputTokens, Long maxOutputTokens, Double inputCostPerToken,
                      Double outputCostPerToken, Double cacheReadInputTokenCost, Double cacheCreationInputTokenCost) {
        this(provider, mode, maxInputTokens, maxOutputTokens, inputCostPerToken, outputCostPerToken, cacheReadInputTokenCost,
                cacheCreationInputTokenCost, null, UnitPrices.NONE);
    }

    /** Whether the model is known to reason: {@link #supportsReasoning} is true. */
    public boolean reasons() {
        return Boolean.TRUE.equals(supportsReasoning);
    }

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
                o.cacheCreationInputTokenCost != null ? o.cacheCreationInputTokenCost : cacheCreationInputTokenCost,
                o.supportsReasoning != null ? o.supportsReasoning : supportsReasoning,
                units.overriddenBy(o.units));
    }
}
