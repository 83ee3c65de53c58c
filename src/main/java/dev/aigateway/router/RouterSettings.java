package dev.aigateway.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Decimals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM's {@code router_settings}, validated: an invalid value stops start-up with a message naming the key.
 * The background health-check interval is a {@code general_settings} value, read by the configuration and handed in.
 *
 * @param fallbacks              model group → groups to try when it fails (after its retries)
 * @param contextWindowFallbacks the same, for prompts too long for the group
 * @param contentPolicyFallbacks the same, for content-policy refusals
 * @param defaultFallbacks       groups to try for any group without its own fallbacks
 * @param allowedFails           failures a deployment may have within a minute before it cools down
 * @param healthCheckInterval    background health checks every this long, or null when off (general_settings'
 *                               {@code background_health_checks} and {@code health_check_interval})
 */
public record RouterSettings(
        Strategy strategy,
        int numRetries,
        RetryPolicy retryPolicy,
        Map<String, List<String>> fallbacks,
        Map<String, List<String>> contextWindowFallbacks,
        Map<String, List<String>> contentPolicyFallbacks,
        List<String> defaultFallbacks,
        int allowedFails,
        Duration cooldownTime,
        boolean preCallChecks,
        double lowestLatencyBuffer,
        Map<String, String> modelGroupAlias,
        Duration healthCheckInterval) {

    /** The routing_strategy values LiteLLM users write, and this gateway implements. */
    public enum Strategy {
        SIMPLE_SHUFFLE("simple-shuffle"), LEAST_BUSY("least-busy"), LATENCY_BASED("latency-based-routing"),
        USAGE_BASED("usage-based-routing"), COST_BASED("cost-based-routing");

        public final String configName;

        Strategy(String configName) {
            this.configName = configName;
        }

        static Strategy of(String name) {
            String n = name.strip();
            if (n.equals("usage-based-routing-v2")) return USAGE_BASED; // LiteLLM's newer name for the same idea
            for (Strategy s : values()) if (s.configName.equals(n)) return s;
            List<String> names = new ArrayList<>();
            for (Strategy s : values()) names.add(s.configName);
            throw new ConfigException("router_settings.routing_strategy: '" + name + "' is not one of " + String.join(", ", names) + ".");
        }
    }

    /** router_settings keys read here. */
    public static final Set<String> KEYS = Set.of("routing_strategy", "num_retries", "retry_policy", "fallbacks",
            "context_window_fallbacks", "content_policy_fallbacks", "default_fallbacks", "allowed_fails", "cooldown_time",
            "enable_pre_call_checks", "lowest_latency_buffer", "model_group_alias", "timeout", "stream_timeout");

    public static final RouterSettings DEFAULTS = new RouterSettings(Strategy.SIMPLE_SHUFFLE, 2, RetryPolicy.DEFAULT,
            Map.of(), Map.of(), Map.of(), List.of(), 3, Duration.ofSeconds(5), false, 0, Map.of(), null);

    public static RouterSettings parse(ObjectNode router, Duration healthCheckInterval) {
        Strategy strategy = router.hasNonNull("routing_strategy") ? Strategy.of(router.get("routing_strategy").asText()) : DEFAULTS.strategy;
        int retries = (int) integer(router, "num_retries", DEFAULTS.numRetries, 0, 10);
        RetryPolicy policy = RetryPolicy.parse(router.get("retry_policy"));
        Map<String, List<String>> fallbacks = fallbackMap(router.get("fallbacks"), "fallbacks");
        Map<String, List<String>> cw = fallbackMap(router.get("context_window_fallbacks"), "context_window_fallbacks");
        Map<String, List<String>> cp = fallbackMap(router.get("content_policy_fallbacks"), "content_policy_fallbacks");
        List<String> defaults = stringList(router.get("default_fallbacks"), "router_settings.default_fallbacks");
        int allowedFails = (int) integer(router, "allowed_fails", DEFAULTS.allowedFails, 0, 1_000_000);
        Duration cooldown = Duration.ofMillis((long) (number(router, "cooldown_time", 5, 0) * 1000));
        boolean preCall = bool(router, "enable_pre_call_checks");
        double buffer = number(router, "lowest_latency_buffer", 0, 0);
        Map<String, String> aliases = new LinkedHashMap<>();
        JsonNode mga = router.get("model_group_alias");
        if (mga != null && !mga.isNull()) {
            if (!mga.isObject()) throw new ConfigException("router_settings.model_group_alias must be a mapping of alias: model_name.");
            mga.properties().forEach(e -> aliases.put(e.getKey(), e.getValue().isObject() ? e.getValue().path("model").asText() : e.getValue().asText()));
        }
        return new RouterSettings(strategy, retries, policy, fallbacks, cw, cp, defaults, allowedFails, cooldown, preCall,
                buffer, Map.copyOf(aliases), healthCheckInterval);
    }

    /** The groups to try after {@code group} failed with an error of this kind, in order. */
    public List<String> fallbacksFor(String group, ErrorKind kind) {
        Map<String, List<String>> specific = switch (kind) {
            case CONTEXT_WINDOW -> contextWindowFallbacks;
            case CONTENT_POLICY -> contentPolicyFallbacks;
            default -> Map.of();
        };
        List<String> out = new ArrayList<>(specific.getOrDefault(group, List.of()));
        if (kind.fallsBackGenerally()) {
            List<String> general = fallbacks.get(group);
            out.addAll(general != null ? general : defaultFallbacks);
        }
        return out;
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

    static List<String> stringList(JsonNode n, String path) {
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

    private static double number(ObjectNode o, String key, double dflt, double min) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) return dflt;
        double d;
        if (v.isNumber()) d = v.asDouble();
        else {
            try {
                d = Decimals.parse(v.asText());
            } catch (NumberFormatException e) {
                throw new ConfigException("router_settings." + key + " must be a number, not " + v + ".");
            }
        }
        if (d < min) throw new ConfigException("router_settings." + key + " must be at least " + min + ", not " + v + ".");
        return d;
    }

    private static long integer(ObjectNode o, String key, long dflt, long min, long max) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.canConvertToLong() || (v.isNumber() && !v.isIntegralNumber()) || v.asLong() < min || v.asLong() > max) {
            throw new ConfigException("router_settings." + key + " must be a whole number from " + min + " to " + max + ", not " + v + ".");
        }
        return v.asLong();
    }

    private static boolean bool(ObjectNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) return false;
        if (v.isBoolean()) return v.asBoolean();
        String s = v.asText().strip().toLowerCase();
        if (s.equals("true")) return true;
        if (s.equals("false")) return false;
        throw new ConfigException("router_settings." + key + " must be true or false, not " + v + ".");
    }
}
