package dev.aigateway.pricing;

/**
 * Prices (USD) of the units that are not tokens, as LiteLLM's price map names them: images ({@code input_cost_per_image},
 * {@code input_cost_per_pixel}), audio ({@code input_cost_per_second}), speech ({@code input_cost_per_character}) and
 * rerank queries ({@code input_cost_per_query}). Null means unknown (free). The map also has output prices per image,
 * pixel and second; LiteLLM charges the input ones, and so does the gateway.
 */
public record UnitPrices(Double perImage, Double perPixel, Double perSecond, Double perCharacter, Double perQuery) {
    public static final UnitPrices NONE = new UnitPrices(null, null, null, null, null);

    /** These prices with every non-null field of {@code o} taking precedence. */
    public UnitPrices overriddenBy(UnitPrices o) {
        if (o == null || o.equals(NONE)) return this;
        return new UnitPrices(
                o.perImage != null ? o.perImage : perImage,
                o.perPixel != null ? o.perPixel : perPixel,
                o.perSecond != null ? o.perSecond : perSecond,
                o.perCharacter != null ? o.perCharacter : perCharacter,
                o.perQuery != null ? o.perQuery : perQuery);
    }
}
