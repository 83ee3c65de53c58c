package dev.aigateway.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The bundled price map (see resources/pricing/NOTICE.md), looked up the way LiteLLM keys it: first
 * "provider/model", then the bare model name. Loaded once; immutable afterwards.
 */
public final class PriceTable {
    private static volatile PriceTable bundled;
    private final Map<String, ModelPrice> byName;
    /** Each provider's models, without the provider prefix, sorted: built on first use (model listings only). */
    private volatile Map<String, List<String>> byProvider;

    PriceTable(Map<String, ModelPrice> byName) {
        this.byName = byName;
    }

    /**
     * The models the table prices for a provider (its {@code litellm_provider}), without a {@code provider/} prefix:
     * what LiteLLM lists for a provider wildcard ({@code anthropic/*}) in {@code /v1/models}.
     */
    public List<String> modelsOf(String provider) {
        Map<String, List<String>> m = byProvider;
        if (m == null) {
            Map<String, TreeSet<String>> sets = new HashMap<>();
            for (Map.Entry<String, ModelPrice> e : byName.entrySet()) {
                String p = e.getValue().provider();
                if (p == null) continue;
                String name = e.getKey().startsWith(p + "/") ? e.getKey().substring(p.length() + 1) : e.getKey();
                sets.computeIfAbsent(p, k -> new TreeSet<>()).add(name);
            }
            Map<String, List<String>> built = new HashMap<>();
            sets.forEach((p, names) -> built.put(p, List.copyOf(names)));
            byProvider = m = built;
        }
        return m.getOrDefault(provider, List.of());
    }

    /** The table shipped in the jar (parsed on first use). */
    public static PriceTable bundled() {
        PriceTable t = bundled;
        if (t == null) {
            synchronized (PriceTable.class) {
                if (bundled == null) bundled = load();
                t = bundled;
            }
        }
        return t;
    }

    private static PriceTable load() {
        try (InputStream in = PriceTable.class.getResourceAsStream("/pricing/model_prices.json")) {
            if (in == null) throw new IllegalStateException("pricing/model_prices.json missing from the jar");
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, ModelPrice> map = new HashMap<>(root.size() * 2);
            for (Map.Entry<String, JsonNode> e : root.properties()) map.put(e.getKey(), fromJson(e.getValue()));
            addImageModels(map);
            return new PriceTable(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The map prices image models only per quality and size ({@code hd/1024-x-1024/dall-e-3}, {@code 256-x-256/dall-e-2}):
     * the bare model ({@code dall-e-3}) is added with its provider and mode, so that its deployments are known as image
     * models ({@code /model/info}, health checks) even before a request names a size.
     */
    static void addImageModels(Map<String, ModelPrice> map) {
        Map<String, ModelPrice> bare = new HashMap<>();
        for (Map.Entry<String, ModelPrice> e : map.entrySet()) {
            String[] parts = e.getKey().split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                if (!parts[i].matches("[0-9]+-x-[0-9]+")) continue;
                int from = i + 1;
                if (from < parts.length - 1 && parts[from].endsWith("-steps")) from++;
                String model = String.join("/", java.util.Arrays.copyOfRange(parts, from, parts.length));
                if (!map.containsKey(model)) bare.putIfAbsent(model, new ModelPrice(e.getValue().provider(), e.getValue().mode(), null, null, null, null, null, null));
                break;
            }
        }
        map.putAll(bare);
    }

    /** A price from LiteLLM-style fields (the price map, or a model_info override). */
    public static ModelPrice fromJson(JsonNode n) {
        if (n == null || !n.isObject()) return ModelPrice.UNKNOWN;
        Long maxOut = longOf(n, "max_output_tokens");
        if (maxOut == null) maxOut = longOf(n, "max_tokens");
        return new ModelPrice(textOf(n, "litellm_provider"), textOf(n, "mode"), longOf(n, "max_input_tokens"), maxOut,
                doubleOf(n, "input_cost_per_token"), doubleOf(n, "output_cost_per_token"),
                doubleOf(n, "cache_read_input_token_cost"), doubleOf(n, "cache_creation_input_token_cost"),
                booleanOf(n, "supports_reasoning"),
                new UnitPrices(doubleOf(n, "input_cost_per_image"), doubleOf(n, "input_cost_per_pixel"), doubleOf(n, "input_cost_per_second"),
                        doubleOf(n, "input_cost_per_character"), doubleOf(n, "input_cost_per_query")));
    }

    /**
     * What a deployment's model costs and can do: its entry here, overridden field by field by its {@code model_info},
     * then by its {@code litellm_params} (LiteLLM takes prices from both). Parses both on every call: callers on a hot
     * path cache the result per deployment, or call it only when they need it.
     */
    public ModelPrice priceOf(Deployment d) {
        return lookup(d.provider(), d.model()).overriddenBy(fromJson(d.modelInfo())).overriddenBy(fromJson(d.params()));
    }

    /**
     * The price of one variant of a deployment's model, as the map keys priced variants ({@code hd/1024-x-1024/dall-e-3}:
     * {@code variant} is {@code hd/1024-x-1024}), with the deployment's overrides; null when the map has no such entry.
     */
    public ModelPrice variantOf(Deployment d, String variant) {
        ModelPrice p = lookup(d.provider(), variant + "/" + d.model());
        if (p == ModelPrice.UNKNOWN) return null;
        return p.overriddenBy(fromJson(d.modelInfo())).overriddenBy(fromJson(d.params()));
    }

    /** The price for a provider's model, or {@link ModelPrice#UNKNOWN}. */
    public ModelPrice lookup(String provider, String model) {
        Match m = match(provider, model);
        return m == null ? ModelPrice.UNKNOWN : m.price();
    }

    /**
     * The entry that prices a provider's model: {@code provider/model}, else the bare model, else (when neither is
     * listed) the same for its base model ({@link BaseModel}); null when none is.
     *
     * @param key      the table's key that matched (LiteLLM's {@code model_info.key})
     * @param fallback whether that is the base model's price, not the model's own
     */
    public record Match(String key, ModelPrice price, boolean fallback) {}

    public Match match(String provider, String model) {
        Match m = exact(provider, model);
        if (m != null) return m;
        // A base can have a base itself (Bedrock's invoke/ route to a us. profile): a few steps at most.
        String base = model;
        for (int step = 0; step < 3; step++) {
            base = BaseModel.of(base);
            if (base == null) return null;
            Match b = exact(provider, base);
            if (b != null) return new Match(b.key(), b.price(), true);
        }
        return null;
    }

    private Match exact(String provider, String model) {
        String key = provider + "/" + model;
        ModelPrice p = byName.get(key);
        if (p == null) p = byName.get(key = model);
        return p == null ? null : new Match(key, p, false);
    }

    public int size() {
        return byName.size();
    }

    private static String textOf(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long longOf(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || !v.isNumber() ? null : v.asLong();
    }

    /** A JSON boolean, or the text true/false (a value written as a string, or from an environment variable). */
    private static Boolean booleanOf(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isTextual() && ("true".equalsIgnoreCase(v.asText()) || "false".equalsIgnoreCase(v.asText()))) {
            return Boolean.parseBoolean(v.asText());
        }
        return null;
    }

    private static Double doubleOf(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return null;
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
