package dev.aigateway.router;

import dev.aigateway.core.ConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM's {@code router_settings}, as the router uses them; read and validated by the configuration
 * ({@code config/RouterSettingsReader}). The background health-check interval is a {@code general_settings} value.
 *
 * @param fallbacks              model group → groups to try when it fails (after its retries)
 * @param contextWindowFallbacks the same, for prompts too long for the group
 * @param contentPolicyFallbacks the same, for content-policy refusals
 * @param defaultFallbacks       groups to try for any group without its own fallbacks
 * @param allowedFails           failures a deployment may have within a minute before it cools down
 * @param healthCheckInterval    background health checks every this long, or null when off (general_settings'
 *                               {@code background_health_checks} and {@code health_check_interval})
 * @param affinity               which requests stay on their session's deployment ({@link SessionAffinity})
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
        Duration healthCheckInterval,
        Affinity affinity) {

    /**
     * {@code router_settings.session_affinity}: {@code session} (the default) keeps a request that names its session
     * (a session header, {@code prompt_cache_key}) on that session's deployment; {@code prefix} also keeps requests that
     * name none on the deployment of their conversation's opening (first system and user message), as LiteLLM's
     * {@code optional_pre_call_checks: [prompt_caching]} does; {@code off} leaves every choice to the strategy.
     */
    public enum Affinity {
        OFF("off"), SESSION("session"), PREFIX("prefix");

        public final String configName;

        Affinity(String configName) {
            this.configName = configName;
        }

        public static Affinity of(String name) {
            for (Affinity a : values()) if (a.configName.equals(name.strip())) return a;
            throw new ConfigException("router_settings.session_affinity: '" + name + "' is not one of off, session, prefix.");
        }
    }

    /** The routing_strategy values LiteLLM users write, and this gateway implements. */
    public enum Strategy {
        SIMPLE_SHUFFLE("simple-shuffle"), LEAST_BUSY("least-busy"), LATENCY_BASED("latency-based-routing"),
        USAGE_BASED("usage-based-routing"), COST_BASED("cost-based-routing");

        public final String configName;

        Strategy(String configName) {
            this.configName = configName;
        }

        public static Strategy of(String name) {
            String n = name.strip();
            if (n.equals("usage-based-routing-v2")) return USAGE_BASED; // LiteLLM's newer name for the same idea
            for (Strategy s : values()) if (s.configName.equals(n)) return s;
            List<String> names = new ArrayList<>();
            for (Strategy s : values()) names.add(s.configName);
            throw new ConfigException("router_settings.routing_strategy: '" + name + "' is not one of " + String.join(", ", names) + ".");
        }
    }

    /** router_settings keys the gateway reads. */
    public static final Set<String> KEYS = Set.of("routing_strategy", "num_retries", "retry_policy", "fallbacks",
            "context_window_fallbacks", "content_policy_fallbacks", "default_fallbacks", "allowed_fails", "cooldown_time",
            "enable_pre_call_checks", "lowest_latency_buffer", "model_group_alias", "timeout", "stream_timeout",
            "session_affinity", "optional_pre_call_checks");

    public static final RouterSettings DEFAULTS = new RouterSettings(Strategy.SIMPLE_SHUFFLE, 2, RetryPolicy.DEFAULT,
            Map.of(), Map.of(), Map.of(), List.of(), 3, Duration.ofSeconds(5), false, 0, Map.of(), null, Affinity.SESSION);

    /** The groups to try after {@code group} failed with an error of this kind, in order. */
    /** Whether any fallbacks are configured for the group by its own name. */
    public boolean namesFallbacksFor(String group) {
        return fallbacks.containsKey(group) || contextWindowFallbacks.containsKey(group) || contentPolicyFallbacks.containsKey(group);
    }

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
}
