package dev.aigateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.json.Json;
import dev.aigateway.provider.Providers;
import dev.aigateway.router.Deployment;
import dev.aigateway.store.SecretParams;

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
 * {@link Deployment}, failing with the entry's path in the message when a value is invalid.
 */
public final class DeploymentParser {
    private static final Set<String> ENTRY_KEYS = Set.of("model_name", "litellm_params", "model_info");

    private DeploymentParser() {}

    /**
     * @param where     the entry's path for messages, e.g. {@code model_list[2]}
     * @param env       where {@code os.environ/NAME} is honoured in litellm_params, and its values
     * @param defaults  router_settings-level defaults (timeout, stream_timeout)
     */
    public static Deployment parse(JsonNode entry, String where, EnvReferences env, ObjectNode defaults,
                                   boolean fromConfig, List<String> warnings) {
        if (!(entry instanceof ObjectNode obj)) throw new ConfigException(where + " must be a mapping with model_name and litellm_params.");
        for (Map.Entry<String, JsonNode> f : obj.properties()) {
            if (!ENTRY_KEYS.contains(f.getKey())) warnings.add(where + "." + f.getKey() + " is not a known key and was ignored.");
        }
        String modelName = text(obj.get("model_name"));
        if (modelName == null || modelName.isBlank()) throw new ConfigException(where + ".model_name is missing.");
        JsonNode lp = obj.get("litellm_params");
        if (!(lp instanceof ObjectNode written)) throw new ConfigException(where + ".litellm_params is missing (it needs at least `model: <provider>/<model>`).");
        ObjectNode params = resolveAll(written, where + ".litellm_params", env);
        // model_info is not resolved (LiteLLM reads the environment in litellm_params only): it is shown as written.
        ObjectNode info = obj.get("model_info") instanceof ObjectNode mi ? mi.deepCopy() : Json.object();

        String model = text(params.get("model"));
        if (model == null || model.isBlank()) throw new ConfigException(where + ".litellm_params.model is missing (e.g. `openai/gpt-4o`).");
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
            throw new ConfigException(where + ".litellm_params.model: unknown provider " + shown
                    + ". Known prefixes: " + String.join(", ", Providers.knownPrefixes()) + ".");
        }
        Duration timeout = seconds(params, written, "timeout", where, defaults);
        Duration streamTimeout = seconds(params, written, "stream_timeout", where, defaults);
        double weight = number(params, written, "weight", where, 1.0);
        if (weight < 0) throw new ConfigException(where + ".litellm_params.weight must not be negative.");
        int order = (int) number(params, written, "order", where, 0);
        number(params, written, "rpm", where, 0);
        number(params, written, "tpm", where, 0);
        String id = text(info.get("id"));
        if (id == null) id = stableId(modelName, params);
        return new Deployment(id, modelName, provider, providerModel, text(params.get("api_key")), text(params.get("api_base")),
                text(params.get("api_version")), timeout, streamTimeout, weight, order, params, info, fromConfig,
                SecretParams.shown(written));
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
        String path = where + ".litellm_params." + key;
        if (v == null || v.isNull()) {
            v = defaults == null ? null : defaults.get(key);
            shown = v;
            path = "router_settings." + key;
        }
        if (v == null || v.isNull()) return null;
        double s = asNumber(v, shown, path);
        if (s <= 0) throw new ConfigException(path + " must be a positive number of seconds, not " + shown + ".");
        return Duration.ofMillis((long) (s * 1000));
    }

    private static double number(ObjectNode params, ObjectNode written, String key, String where, double dflt) {
        JsonNode v = params.get(key);
        if (v == null || v.isNull()) return dflt;
        return asNumber(v, written.get(key), where + ".litellm_params." + key);
    }

    private static double asNumber(JsonNode v, JsonNode shown, String path) {
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().strip());
            } catch (NumberFormatException ignored) {
                // fall through to the error
            }
        }
        throw new ConfigException(path + " must be a number, not " + shown + ".");
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
