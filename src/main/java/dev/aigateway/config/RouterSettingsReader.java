package dev.aigateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.ConfigException;
import dev.aigateway.router.ErrorKind;
import dev.aigateway.router.RetryPolicy;
import dev.aigateway.router.RouterSettings;
import dev.aigateway.router.RouterSettings.Strategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads LiteLLM's {@code router_settings} into the router's {@link RouterSettings}, with the rules every section of
 * config.yaml follows ({@link YamlSection}): an invalid value stops start-up with a message naming the key.
 */
public final class RouterSettingsReader {
    /** The longest cooldown a deployment can be given (a day): longer is a typo, not a policy. */
    static final double MAX_COOLDOWN_SECONDS = 86_400;

    private RouterSettingsReader() {}

    public static RouterSettings read(ObjectNode router, Duration healthCheckInterval) {
        YamlSection s = new YamlSection("router_settings", router);
        RouterSettings d = RouterSettings.DEFAULTS;
        ObjectNode node = router == null ? dev.aigateway.core.Json.object() : router;
        Strategy strategy = s.has("routing_strategy") ? Strategy.of(node.get("routing_strategy").asText()) : d.strategy();
        int retries = (int) s.wholeNumber("num_retries", d.numRetries(), 0, RetryPolicy.MAX_RETRIES);
        RetryPolicy policy = retryPolicy(node.get("retry_policy"));
        Map<String, List<String>> fallbacks = fallbackMap(node.get("fallbacks"), "fallbacks");
        Map<String, List<String>> cw = fallbackMap(node.get("context_window_fallbacks"), "context_window_fallbacks");
        Map<String, List<String>> cp = fallbackMap(node.get("content_policy_fallbacks"), "content_policy_fallbacks");
        List<String> defaults = stringList(node.get("default_fallbacks"), "router_settings.default_fallbacks");
        int allowedFails = (int) s.wholeNumber("allowed_fails", d.allowedFails(), 0, 1_000_000);
        Duration cooldown = Duration.ofMillis((long) (s.number("cooldown_time", 5, 0, MAX_COOLDOWN_SECONDS, "seconds") * 1000));
        boolean preCall = s.bool("enable_pre_call_checks", false);
        double buffer = s.number("lowest_latency_buffer", 0, 0, 1_000, "(a share of the fastest latency)");
        Map<String, String> aliases = new LinkedHashMap<>();
        JsonNode mga = node.get("model_group_alias");
        if (mga != null && !mga.isNull()) {
            if (!mga.isObject()) throw new ConfigException("router_settings.model_group_alias must be a mapping of alias: model_name.");
            mga.properties().forEach(e -> aliases.put(e.getKey(), e.getValue().isObject() ? e.getValue().path("model").asText() : e.getValue().asText()));
        }
        return new RouterSettings(strategy, retries, policy, fallbacks, cw, cp, defaults, allowedFails, cooldown, preCall,
                buffer, Map.copyOf(aliases), healthCheckInterval, affinity(node));
    }

    /**
     * {@code session_affinity} as written; when it is not, LiteLLM's {@code optional_pre_call_checks: [prompt_caching]}
     * means {@code prefix} (its other checks are LiteLLM's own and change nothing here).
     */
    private static RouterSettings.Affinity affinity(ObjectNode node) {
        JsonNode written = node.get("session_affinity");
        if (written != null && !written.isNull()) {
            if (written.isBoolean()) return written.asBoolean() ? RouterSettings.Affinity.SESSION : RouterSettings.Affinity.OFF;
            if (!written.isTextual()) throw new ConfigException("router_settings.session_affinity must be off, session or prefix.");
            return RouterSettings.Affinity.of(written.asText());
        }
        List<String> checks = stringList(node.get("optional_pre_call_checks"), "router_settings.optional_pre_call_checks");
        return checks.contains("prompt_caching") ? RouterSettings.Affinity.PREFIX : RouterSettings.DEFAULTS.affinity();
    }

    /** LiteLLM's retry_policy: {RateLimitErrorRetries: 3, ...}, over the defaults; whole numbers 0 to 10. */
    public static RetryPolicy retryPolicy(JsonNode n) {
        if (n == null || n.isNull()) return RetryPolicy.DEFAULT;
        if (!n.isObject()) throw new ConfigException("router_settings.retry_policy must be a mapping like {RateLimitErrorRetries: 3}.");
        Map<ErrorKind, Integer> m = new EnumMap<>(RetryPolicy.DEFAULT.retries());
        n.properties().forEach(e -> {
            ErrorKind kind = null;
            for (ErrorKind k : ErrorKind.values()) if (k.policyName.equals(e.getKey())) kind = k;
            if (kind == null || kind == ErrorKind.CANCELLED) {
                throw new ConfigException("router_settings.retry_policy." + e.getKey() + " is not a known error kind (e.g. RateLimitErrorRetries, "
                        + "TimeoutErrorRetries, InternalServerErrorRetries, BadRequestErrorRetries, AuthenticationErrorRetries).");
            }
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0 || v.asInt() > RetryPolicy.MAX_RETRIES) {
                throw new ConfigException("router_settings.retry_policy." + e.getKey() + " must be a whole number of retries from 0 to "
                        + RetryPolicy.MAX_RETRIES + ", not " + v + ".");
            }
            m.put(kind, v.asInt());
        });
        return new RetryPolicy(m);
    }

    /** LiteLLM writes fallbacks as a list of one-entry mappings: [{"gpt-4": ["claude", "gpt-3.5"]}]. */
    private static Map<String, List<String>> fallbackMap(JsonNode n, String key) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) return out;
        String path = "router_settings." + key;
        List<JsonNode> entries = new ArrayList<>();
        if (n.isArray()) n.forEach(entries::add);
        else if (n.isObject()) entries.add(n);
        else throw new ConfigException(path + " must be a list like [{\"gpt-4o\": [\"claude-sonnet\"]}].");
        for (JsonNode e : entries) {
            if (!e.isObject()) throw new ConfigException(path + " must be a list like [{\"gpt-4o\": [\"claude-sonnet\"]}].");
            e.properties().forEach(f -> out.put(f.getKey(), stringList(f.getValue(), path + "." + f.getKey())));
        }
        return out;
    }

    private static List<String> stringList(JsonNode n, String path) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (n.isTextual()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) throw new ConfigException(path + " must be a list of model names.");
        for (JsonNode s : n) {
            if (!s.isTextual()) throw new ConfigException(path + " must be a list of model names.");
            out.add(s.asText());
        }
        return out;
    }
}
