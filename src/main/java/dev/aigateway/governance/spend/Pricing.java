package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.pricing.PriceTable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a deployment's tokens cost: the bundled price table, overridden by the deployment's
 * {@code model_info} (and litellm_params) prices, then applied to OpenAI-format usage.
 */
public final class Pricing {
    private final PriceTable table;
    /**
     * Computed once per deployment and upstream model (a wildcard entry's copies share its id but not its model). A
     * catalog swap brings new params objects, so changed prices are seen. Bounded: requested names reach it through
     * wildcard entries.
     */
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
    static final int MAX_CACHED = 10_000;

    private record Key(String id, String model, String variant) {}

    private record Cached(Object params, Object modelInfo, ModelPrice price) {}

    public Pricing(PriceTable table) {
        this.table = table;
    }

    /** The price table's models for a provider (model listings). */
    public java.util.List<String> knownModels(String provider) {
        return table.modelsOf(provider);
    }

    /** The price table's entry for a model named as LiteLLM names one ({@code gpt-4o}, {@code anthropic/claude-...}). */
    public ModelPrice priceOfModel(String name) {
        int slash = name.indexOf('/');
        return slash > 0 ? table.lookup(name.substring(0, slash), name.substring(slash + 1)) : table.lookup("", name);
    }

    /** The table entry a deployment's model is priced by (before its own overrides), or null. */
    public PriceTable.Match tableEntry(Deployment d) {
        return table.match(d.provider(), d.model());
    }

    public ModelPrice priceOf(Deployment d) {
        return cached(new Key(d.id(), d.model(), null), d);
    }

    /**
     * The price a request's usage is charged at: the first of the usage's {@code price_variants} the table prices for
     * the deployment's model (an image's quality and size: {@code hd/1024-x-1024}), else the model's own price.
     */
    public ModelPrice priceOf(Deployment d, JsonNode usage) {
        JsonNode variants = usage == null ? null : usage.get(PRICE_VARIANTS);
        if (variants != null) {
            for (JsonNode v : variants) {
                ModelPrice p = cached(new Key(d.id(), d.model(), v.asText()), d);
                if (p != null) return p;
            }
        }
        return priceOf(d);
    }

    /** The price for {@code key} (null for a variant the table does not list), computed once per deployment version. */
    private ModelPrice cached(Key key, Deployment d) {
        Cached c = cache.get(key);
        if (c != null && c.params() == d.params() && c.modelInfo() == d.modelInfo()) return c.price();
        ModelPrice price = key.variant() == null ? table.priceOf(d) : table.variantOf(d, key.variant());
        if (c != null || cache.size() < MAX_CACHED) cache.put(key, new Cached(d.params(), d.modelInfo(), price));
        return price;
    }

    /**
     * The units a request is billed in besides tokens, in its accounting usage (the gateway's own field, never a
     * provider's): {@code images}, {@code pixels}, {@code seconds} (of audio), {@code characters}, {@code queries}.
     */
    public static final String BILLED_UNITS = "billed_units";
    /** The price-table variants the usage is priced at, most specific first (see {@link #priceOf(Deployment, JsonNode)}). */
    public static final String PRICE_VARIANTS = "price_variants";

    /**
     * Cost in USD of an OpenAI usage object: uncached prompt tokens at the input price, cached ones at the
     * cache-read price, cache writes at the cache-write price, completion tokens at the output price.
     */
    public static double cost(JsonNode usage, ModelPrice p) {
        if (usage == null || usage.isNull() || usage.isMissingNode()) return 0;
        long prompt = usage.path("prompt_tokens").asLong(0);
        long completion = usage.path("completion_tokens").asLong(0);
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        long cacheWrite = usage.path("cache_creation_input_tokens").asLong(0);
        double in = nz(p.inputCostPerToken());
        double out = nz(p.outputCostPerToken());
        double cacheRead = p.cacheReadInputTokenCost() != null ? p.cacheReadInputTokenCost() : in;
        double cacheCreate = p.cacheCreationInputTokenCost() != null ? p.cacheCreationInputTokenCost() : in;
        long uncached = Math.max(0, prompt - cached - cacheWrite);
        return uncached * in + cached * cacheRead + cacheWrite * cacheCreate + completion * out + unitCost(usage.path(BILLED_UNITS), p.units());
    }

    /**
     * What the non-token units cost. An image is priced per pixel when the table says so (DALL-E's sizes), else per
     * image; the other units have one price each.
     */
    private static double unitCost(JsonNode units, dev.aigateway.pricing.UnitPrices p) {
        if (!units.isObject()) return 0;
        double images = p.perPixel() != null ? units.path("pixels").asDouble(0) * p.perPixel() : units.path("images").asDouble(0) * nz(p.perImage());
        return images + units.path("seconds").asDouble(0) * nz(p.perSecond())
                + units.path("characters").asDouble(0) * nz(p.perCharacter())
                + units.path("queries").asDouble(0) * nz(p.perQuery());
    }

    private static double nz(Double d) {
        return d == null ? 0 : d;
    }
}
