package dev.aigateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Decimals;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.core.SecretParams;
import dev.aigateway.provider.Providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one {@code model_list} entry ({@code model_name}, {@code litellm_params}, {@code model_info}) into a
 * {@link Deployment}, failing with a {@link ConfigException} whose {@link ConfigException#field() field} (and message)
 * names the invalid value's path when a value is invalid. Runtime models
 * ({@code /model/new}, {@code /model/test}) go through the same checks.
 *
 * <p>Every number the gateway computes with is checked against {@link #NUMBERS}: finite (YAML can say
 * {@code .nan} and {@code .inf}), in range, and whole where it counts something. The id is checked too: it is sent
 * back in the {@code x-gateway-model-id} header, so it must be a valid header value.
 */
public final class DeploymentParser {
    private static final Set<String> ENTRY_KEYS = Set.of("model_name", "litellm_params", "model_info");
    /** model_info.access_groups: at most this many per entry, each at most this long. */
    static final int MAX_ACCESS_GROUPS = 64;
    static final int MAX_ACCESS_GROUP_LENGTH = 128;
    /** model_info.id: printable ASCII (a header value), at most this long. */
    public static final int MAX_ID_LENGTH = 128;
    /** Timeouts: a day at most (the default is 600 s); a longer wait is a misconfiguration, not a slow model. */
    static final double MAX_TIMEOUT_SECONDS = 86_400;
    /** Rates and token counts: far above any real limit, and far inside a long (so sums cannot overflow). */
    static final double MAX_COUNT = 1e15;
    /** Token prices in USD: 1 USD a token is far above any model's, and keeps 2^31 tokens' cost inside a long of nano-USD. */
    static final double MAX_PRICE_PER_TOKEN = 1.0;

    /** A number a deployment may set (in litellm_params or model_info) and the values it may take. */
    record Bound(double min, double max, boolean whole) {}

    /** The deployment numbers the gateway reads, with their ranges. The mock provider's knobs are bounded too. */
    static final Map<String, Bound> NUMBERS = Map.ofEntries(
            Map.entry("weight", new Bound(0, 1e9, false)),
            Map.entry("order", new Bound(-1_000_000, 1_000_000, true)),
            Map.entry("rpm", new Bound(0, MAX_COUNT, true)),
            Map.entry("tpm", new Bound(0, MAX_COUNT, true)),
            Map.entry("max_input_tokens", new Bound(0, MAX_COUNT, true)),
            Map.entry("max_output_tokens", new Bound(0, Integer.MAX_VALUE, true)),
            Map.entry("max_tokens", new Bound(0, Integer.MAX_VALUE, true)),
            Map.entry("input_cost_per_token", new Bound(0, MAX_PRICE_PER_TOKEN, false)),
            Map.entry("output_cost_per_token", new Bound(0, MAX_PRICE_PER_TOKEN, false)),
            Map.entry("cache_read_input_token_cost", new Bound(0, MAX_PRICE_PER_TOKEN, false)),
            Map.entry("cache_creation_input_token_cost", new Bound(0, MAX_PRICE_PER_TOKEN, false)),
            // unit prices: far above any model's, and every unit count the routes bound keeps its cost inside a long of nano-USD
            Map.entry("input_cost_per_image", new Bound(0, 1000, false)),
            Map.entry("input_cost_per_pixel", new Bound(0, 1e-3, false)),
            Map.entry("input_cost_per_second", new Bound(0, 1, false)),
            Map.entry("input_cost_per_character", new Bound(0, 1, false)),
            Map.entry("input_cost_per_query", new Bound(0, 1000, false)),
            Map.entry("mock_latency_ms", new Bound(0, 600_000, true)),
            Map.entry("mock_tokens_per_second", new Bound(0, 1_000_000, true)),
            Map.entry("mock_error_status", new Bound(400, 599, true)));

    private DeploymentParser() {}

    /**
     * @param where     the entry's path for messages, e.g. {@code model_list[2]}; "" names fields from the entry
     *                  ({@code litellm_params.timeout}), as the admin API reports them
     * @param env       where {@code os.environ/NAME} is honoured in litellm_params, and its values
     * @param defaults  router_settings-level defaults (timeout, stream_timeout)
     */
    public static Deployment parse(JsonNode entry, String where, EnvReferences env, ObjectNode defaults,
                                   boolean fromConfig, List<String> warnings) {
        if (!(entry instanceof ObjectNode obj)) throw new ConfigException(where, where + " must be a mapping with model_name and litellm_params.");
        for (Map.Entry<String, JsonNode> f : obj.properties()) {
            if (!ENTRY_KEYS.contains(f.getKey())) warnings.add(where + "." + f.getKey() + " is not a known key and was ignored.");
        }
        String modelName = text(obj.get("model_name"));
        String namePath = path(where, "model_name");
        if (modelName == null || modelName.isBlank()) throw new ConfigException(namePath, namePath + " is missing.");
        if (modelName.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException(namePath, namePath + " must not contain control characters (line breaks, tabs, ...).");
        }
        JsonNode lp = obj.get("litellm_params");
        String paramsPath = path(where, "litellm_params");
        if (!(lp instanceof ObjectNode written)) {
            throw new ConfigException(paramsPath, paramsPath + " is missing (it needs at least `model: <provider>/<model>`).");
        }
        ObjectNode params = resolveAll(written, paramsPath, env);
        // model_info is not resolved (LiteLLM reads the environment in litellm_params only): it is shown as written.
        ObjectNode info = obj.get("model_info") instanceof ObjectNode mi ? mi.deepCopy() : Json.object();

        String model = text(params.get("model"));
        String modelPath = paramsPath + ".model";
        if (model == null || model.isBlank()) throw new ConfigException(modelPath, modelPath + " is missing (e.g. `openai/gpt-4o`).");
        String provider = text(params.get("custom_llm_provider"));
        String providerModel = model;
        int slash = model.indexOf('/');
        if (provider == null) {
            if (slash > 0) {
                // Like LiteLLM: "<provider>/<model>"; an unknown prefix is an error, not an OpenAI model named "x/y".
                provider = model.substring(0, slash);
                providerModel = model.substring(slash + 1);
            } else {
                provider = inferProvider(model);
            }
        } else if (model.startsWith(provider + "/")) {
            providerModel = model.substring(provider.length() + 1);
        }
        if (!Providers.knownPrefixes().contains(provider)) {
            String reference = EnvReferences.isReference(text(written.get("custom_llm_provider")))
                    ? text(written.get("custom_llm_provider")) : EnvReferences.isReference(text(written.get("model"))) ? text(written.get("model")) : null;
            String shown = reference != null ? "in the value of " + reference : "'" + provider + "' in '" + model + "'";
            throw new ConfigException(modelPath, modelPath + ": unknown provider " + shown
                    + ". Known prefixes: " + String.join(", ", Providers.knownPrefixes()) + ".");
        }
        if ("bedrock".equals(provider)) BedrockEnvironment.fill(params, env);
        checkWildcards(modelName, providerModel, namePath, modelPath, warnings);
        Duration timeout = seconds(params, written, "timeout", where, defaults);
        Duration streamTimeout = seconds(params, written, "stream_timeout", where, defaults);
        checkNumbers(params, written, paramsPath);
        checkNumbers(info, info, path(where, "model_info"));
        checkAccessGroups(info.get("access_groups"), path(where, "model_info.access_groups"));
        double weight = number(params, written, "weight", where, 1.0);
        int order = (int) number(params, written, "order", where, 0);
        String id = text(info.get("id"));
        if (id == null) id = stableId(modelName, params);
        else checkId(id, path(where, "model_info.id"));
        return new Deployment(id, modelName, provider, providerModel, text(params.get("api_key")), text(params.get("api_base")),
                text(params.get("api_version")), timeout, streamTimeout, weight, order, params, info, fromConfig,
                SecretParams.shown(written));
    }

    /**
     * A deployment id: 1 to {@link #MAX_ID_LENGTH} characters of printable ASCII (space to {@code ~}), not starting or
     * ending with a space. It goes into a response header, where a line break would corrupt the answer.
     */
    public static void checkId(String id, String path) {
        boolean printable = id.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || !printable || id.startsWith(" ") || id.endsWith(" ")) {
            throw new ConfigException(path, path + " must be 1 to " + MAX_ID_LENGTH + " printable ASCII characters (letters, digits, "
                    + "punctuation, inner spaces; no line breaks or other control characters).");
        }
    }

    /**
     * A wildcard entry's model fills its {@code *}s with what the model_name's {@code *}s matched, so it may not have
     * more of them (LiteLLM would send a literal {@code *}). A {@code *} in the model of an entry without one in its
     * model_name is sent as written, which is almost certainly not meant.
     */
    private static void checkWildcards(String modelName, String providerModel, String namePath, String modelPath, List<String> warnings) {
        long nameStars = modelName.chars().filter(c -> c == '*').count();
        long modelStars = providerModel.chars().filter(c -> c == '*').count();
        if (nameStars > 0 && modelStars > nameStars) {
            throw new ConfigException(modelPath, modelPath + " has " + modelStars + " `*` but " + namePath + " only " + nameStars
                    + ": each `*` of the model is filled with what a `*` of the model_name matched.");
        }
        if (nameStars == 0 && modelStars > 0) {
            warnings.add(modelPath + " contains `*` but " + namePath + " does not, so `*` is sent to the provider as written; "
                    + "write the model_name as a pattern (e.g. `anthropic/*`) to route every matching model.");
        }
    }

    /**
     * LiteLLM's {@code model_info.access_groups}: names a key's {@code models} may list to reach every model in the group.
     * They are matched as written, so each must be a short, non-blank, printable name.
     */
    private static void checkAccessGroups(JsonNode groups, String path) {
        if (groups == null || groups.isNull()) return;
        if (!groups.isArray() || groups.size() > MAX_ACCESS_GROUPS) {
            throw new ConfigException(path, path + " must be a list of at most " + MAX_ACCESS_GROUPS + " group names, e.g. [\"beta-models\"].");
        }
        for (JsonNode g : groups) {
            boolean ok = g.isTextual() && !g.asText().isBlank() && g.asText().length() <= MAX_ACCESS_GROUP_LENGTH
                    && g.asText().chars().noneMatch(Character::isISOControl);
            if (!ok) {
                throw new ConfigException(path, path + " entries must be non-blank names of at most " + MAX_ACCESS_GROUP_LENGTH
                        + " characters without control characters.");
            }
        }
    }

    private static void checkNumbers(ObjectNode o, ObjectNode written, String path) {
        for (Map.Entry<String, Bound> e : NUMBERS.entrySet()) {
            JsonNode v = o.get(e.getKey());
            if (v == null || v.isNull()) continue;
            Bound b = e.getValue();
            JsonNode shown = written.get(e.getKey());
            double d = asNumber(v, shown, path + "." + e.getKey());
            // A whole number written as text is read back with Long.parseLong semantics ("1e3" would read as 0).
            boolean wholeText = !v.isTextual() || v.asText().strip().matches("-?\\d{1,18}");
            if (!(d >= b.min() && d <= b.max()) || b.whole() && (d != Math.rint(d) || !wholeText)) { // !(>=) also catches NaN
                throw new ConfigException(path + "." + e.getKey(), path + "." + e.getKey() + " must be a " + (b.whole() ? "whole number" : "number") + " from "
                        + plain(b.min()) + " to " + plain(b.max()) + ", not " + shown + ".");
            }
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e16 ? Long.toString((long) d) : Double.toString(d);
    }

    /** LiteLLM's inference for a model given without a prefix. */
    public static String inferProvider(String model) {
        if (model.startsWith("claude")) return "anthropic";
        if (model.startsWith("gemini")) return "gemini";
        return "openai";
    }

    private static ObjectNode resolveAll(ObjectNode in, String where, EnvReferences env) {
        ObjectNode out = in.deepCopy();
        for (Map.Entry<String, JsonNode> f : in.properties()) {
            JsonNode v = f.getValue();
            if (v.isTextual() && EnvReferences.isReference(v.asText())) out.put(f.getKey(), env.resolve(where, f.getKey(), v.asText()));
        }
        return out;
    }

    /**
     * A number of seconds. Messages quote the value as written: for an os.environ/ reference that is the reference,
     * never the variable's value.
     */
    private static Duration seconds(ObjectNode params, ObjectNode written, String key, String where, ObjectNode defaults) {
        JsonNode v = params.get(key);
        JsonNode shown = written.get(key);
        String path = path(where, "litellm_params." + key);
        if (v == null || v.isNull()) {
            v = defaults == null ? null : defaults.get(key);
            shown = v;
            path = "router_settings." + key;
        }
        if (v == null || v.isNull()) return null;
        double s = asNumber(v, shown, path);
        if (!(s > 0 && s <= MAX_TIMEOUT_SECONDS)) {
            throw new ConfigException(path, path + " must be a positive number of seconds, at most " + plain(MAX_TIMEOUT_SECONDS) + ", not " + shown + ".");
        }
        return Duration.ofMillis((long) (s * 1000));
    }

    private static double number(ObjectNode params, ObjectNode written, String key, String where, double dflt) {
        JsonNode v = params.get(key);
        if (v == null || v.isNull()) return dflt;
        return asNumber(v, written.get(key), path(where, "litellm_params." + key));
    }

    private static double asNumber(JsonNode v, JsonNode shown, String path) {
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            try {
                return Decimals.parse(v.asText());
            } catch (NumberFormatException ignored) {
                // fall through to the error
            }
        }
        throw new ConfigException(path, path + " must be a number, not " + shown + ".");
    }

    /** A field's path inside the entry at {@code where}; an empty {@code where} (a runtime model) gives the bare field. */
    private static String path(String where, String field) {
        return where.isEmpty() ? field : where + "." + field;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Same entry, same id, on every instance and across restarts (credentials excluded). */
    private static String stableId(String modelName, ObjectNode params) {
        ObjectNode p = params.deepCopy();
        p.remove("api_key");
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((modelName + "\n" + p).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
