package dev.aigateway.config;

import java.time.Duration;
import java.util.Set;

/**
 * The keys of config.yaml's {@code general_settings} that are not about security ({@link SecuritySettings} reads those)
 * and not folded into another value ({@code master_key}, {@code database_url} and {@code max_request_size_mb} are
 * resolved by {@link ConfigLoader} with their environment variables). Each key is read here once, by
 * {@link YamlSection}'s rules.
 *
 * @param healthCheckInterval           {@code background_health_checks} (default false) with {@code health_check_interval}
 *                                      (seconds, default 300): how often every deployment is probed; null when off
 * @param spendLogsRetention            {@code maximum_spend_logs_retention_period}: spend-log rows older than this are
 *                                      deleted; null keeps them forever (LiteLLM's default)
 * @param spendLogsRetentionInterval    {@code maximum_spend_logs_retention_interval}: how often old rows are looked for
 *                                      (default one day)
 * @param allowMasterKeyForLlmRoutes    {@code allow_master_key_for_llm_routes} (default true): false stops the master key
 *                                      on LLM routes once a virtual key exists
 * @param responsesRetention            {@code responses_retention_period} (default 30 days, as OpenAI keeps responses):
 *                                      stored Responses-API responses older than this are deleted (never forever: the
 *                                      table holds whole conversations)
 */
public record GeneralSettings(Duration healthCheckInterval, Duration spendLogsRetention, Duration spendLogsRetentionInterval,
                              boolean allowMasterKeyForLlmRoutes, Duration responsesRetention) {
    public static final double DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS = 300;
    public static final Duration DEFAULT_SPEND_LOGS_RETENTION_INTERVAL = Duration.ofDays(1);
    public static final Duration DEFAULT_RESPONSES_RETENTION = Duration.ofDays(30);

    /** Every general_settings key the gateway reads, its security keys included; others are warned about. */
    static final Set<String> KEYS = Set.of("master_key", "database_url", "max_request_size_mb",
            "background_health_checks", "health_check_interval",
            "maximum_spend_logs_retention_period", "maximum_spend_logs_retention_interval",
            "allow_master_key_for_llm_routes", "responses_retention_period",
            "require_auth_for_metrics_endpoint", "runtime_model_env_vars", "trusted_proxies", "invalid_key_attempts_per_minute");

    public static final GeneralSettings DEFAULTS = new GeneralSettings(null, null, DEFAULT_SPEND_LOGS_RETENTION_INTERVAL, true,
            DEFAULT_RESPONSES_RETENTION);

    static GeneralSettings parse(YamlSection general) {
        // Read even when the checks are off, so that a malformed interval is reported now rather than when they are turned on.
        double seconds = general.number("health_check_interval", DEFAULT_HEALTH_CHECK_INTERVAL_SECONDS, 1, 86_400, "seconds");
        Duration health = general.bool("background_health_checks", false) ? Duration.ofMillis(Math.round(seconds * 1000)) : null;
        Duration every = general.duration("maximum_spend_logs_retention_interval");
        return new GeneralSettings(health, general.duration("maximum_spend_logs_retention_period"),
                every == null ? DEFAULT_SPEND_LOGS_RETENTION_INTERVAL : every,
                general.bool("allow_master_key_for_llm_routes", true), responsesRetention(general));
    }

    private static Duration responsesRetention(YamlSection general) {
        Duration d = general.duration("responses_retention_period");
        return d == null ? DEFAULT_RESPONSES_RETENTION : d;
    }
}
