package dev.aigateway.config;

import dev.aigateway.core.ConfigException;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may read what: the settings of docs/security.md, from {@code general_settings} (and the environment where a
 * container stack needs to set one without editing config.yaml).
 *
 * @param metricsRequireAuth          {@code require_auth_for_metrics_endpoint} (default true): {@code /metrics} needs the
 *                                    master key, an admin key or a read_only key
 * @param runtimeModelEnvVars         {@code runtime_model_env_vars}: the environment variables a model added through the
 *                                    admin API may reference as {@code os.environ/NAME} in a credential field (default none)
 * @param trustedProxies              {@code trusted_proxies} / {@code GATEWAY_TRUSTED_PROXIES}: whose X-Forwarded-For is believed
 * @param invalidKeyAttemptsPerMinute {@code invalid_key_attempts_per_minute}: requests with a wrong key a client address
 *                                    may send in a minute before all its requests get 429 until the minute ends; 0 turns
 *                                    the throttle off (0 to 1,000,000; default 30)
 */
public record SecuritySettings(boolean metricsRequireAuth, Set<String> runtimeModelEnvVars, TrustedProxies trustedProxies,
                               int invalidKeyAttemptsPerMinute) {
    public static final int DEFAULT_INVALID_KEY_ATTEMPTS_PER_MINUTE = 30;
    public static final int MAX_INVALID_KEY_ATTEMPTS_PER_MINUTE = 1_000_000;
    /**
     * The gateway's own secrets: no runtime model may read them, whatever runtime_model_env_vars says (an admin key
     * must not be a way to the master key, the salt key or the database password).
     */
    static final Set<String> GATEWAY_SECRETS = Set.of("GATEWAY_MASTER_KEY", "LITELLM_MASTER_KEY", "GATEWAY_SALT_KEY",
            "LITELLM_SALT_KEY", "DATABASE_URL", "REDIS_URL", "UI_PASSWORD", "POSTGRES_PASSWORD", "VIRTUAL_KEY");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public SecuritySettings {
        runtimeModelEnvVars = Set.copyOf(runtimeModelEnvVars);
    }

    static SecuritySettings parse(YamlSection general, Settings s) {
        boolean metricsAuth = general.bool("require_auth_for_metrics_endpoint", true);
        Set<String> envVars = new LinkedHashSet<>();
        for (String name : general.strings("runtime_model_env_vars")) {
            String n = name.strip();
            if (!ENV_NAME.matcher(n).matches()) {
                throw new ConfigException(general.path("runtime_model_env_vars") + ": '" + name + "' is not an environment variable name.");
            }
            if (GATEWAY_SECRETS.contains(n)) {
                throw new ConfigException(general.path("runtime_model_env_vars") + ": " + n + " is one of the gateway's own secrets; "
                        + "runtime models may not read it. List only provider credentials (e.g. OPENAI_API_KEY).");
            }
            envVars.add(n);
        }
        String fromEnv = s.get("GATEWAY_TRUSTED_PROXIES");
        TrustedProxies proxies = fromEnv != null
                ? TrustedProxies.of(Arrays.asList(fromEnv.split(",")), "GATEWAY_TRUSTED_PROXIES")
                : general.has("trusted_proxies")
                    ? TrustedProxies.of(general.strings("trusted_proxies"), general.path("trusted_proxies"))
                    : TrustedProxies.defaults();
        int attempts = (int) general.wholeNumber("invalid_key_attempts_per_minute", DEFAULT_INVALID_KEY_ATTEMPTS_PER_MINUTE, 0,
                MAX_INVALID_KEY_ATTEMPTS_PER_MINUTE);
        return new SecuritySettings(metricsAuth, envVars, proxies, attempts);
    }
}
