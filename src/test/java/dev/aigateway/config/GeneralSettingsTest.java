package dev.aigateway.config;

import dev.aigateway.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** general_settings read once, by one set of rules: defaults, valid values, and errors naming the key. */
class GeneralSettingsTest {
    @TempDir
    Path dir;

    private GatewayConfig load(String general) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), "model_list: []\ngeneral_settings:\n" + general.indent(2));
        return ConfigLoader.load(Map.of(), Map.of(), dir);
    }

    private void refused(String general, String... messageParts) {
        assertThatThrownBy(() -> load(general)).as(general).isInstanceOf(ConfigException.class).hasMessageContainingAll(messageParts);
    }

    @Test
    void defaults() throws IOException {
        GatewayConfig c = load("{}");
        assertThat(c.general()).isEqualTo(GeneralSettings.DEFAULTS);
        assertThat(c.general().healthCheckInterval()).isNull();
        assertThat(c.routing().healthCheckInterval()).isNull();
        assertThat(c.general().spendLogsRetention()).as("kept forever, as in LiteLLM").isNull();
        assertThat(c.general().spendLogsRetentionInterval()).isEqualTo(Duration.ofDays(1));
        assertThat(c.general().allowMasterKeyForLlmRoutes()).isTrue();
        assertThat(c.general().responsesRetention()).as("stored responses: OpenAI's 30 days").isEqualTo(Duration.ofDays(30));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void responsesRetention() throws IOException {
        GatewayConfig c = load("responses_retention_period: 7d");
        assertThat(c.general().responsesRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.warnings()).isEmpty();
        refused("responses_retention_period: forever", "general_settings.responses_retention_period", "duration");
        refused("responses_retention_period: 0", "general_settings.responses_retention_period");
    }

    @Test
    void validValues() throws IOException {
        GatewayConfig c = load("""
                background_health_checks: true
                health_check_interval: 2.5
                maximum_spend_logs_retention_period: 90d
                maximum_spend_logs_retention_interval: 6h
                allow_master_key_for_llm_routes: false
                """);
        assertThat(c.general().healthCheckInterval()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.routing().healthCheckInterval()).as("the router carries it to the health checks").isEqualTo(Duration.ofMillis(2500));
        assertThat(c.general().spendLogsRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(c.general().spendLogsRetentionInterval()).isEqualTo(Duration.ofHours(6));
        assertThat(c.general().allowMasterKeyForLlmRoutes()).isFalse();
        assertThat(c.warnings()).isEmpty();
        assertThat(load("background_health_checks: true").general().healthCheckInterval()).isEqualTo(Duration.ofSeconds(300));
        assertThat(load("health_check_interval: \"60\"\nbackground_health_checks: \"true\"").general().healthCheckInterval())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void booleansAcceptYamlsSpellingsAndNothingElse() throws IOException {
        // LiteLLM's YAML 1.1 loader reads unquoted yes/no/on/off as booleans; ours reads them as text, so they are named.
        for (String yes : new String[]{"true", "True", "TRUE", "\"true\"", "yes", "Yes", "on", "ON", "\" yes \""}) {
            assertThat(load("allow_master_key_for_llm_routes: " + yes).general().allowMasterKeyForLlmRoutes()).as(yes).isTrue();
            assertThat(load("background_health_checks: " + yes).general().healthCheckInterval()).as(yes).isNotNull();
            assertThat(load("require_auth_for_metrics_endpoint: " + yes).security().metricsRequireAuth()).as(yes).isTrue();
        }
        for (String no : new String[]{"false", "False", "\"false\"", "no", "NO", "off", "Off"}) {
            assertThat(load("allow_master_key_for_llm_routes: " + no).general().allowMasterKeyForLlmRoutes()).as(no).isFalse();
            assertThat(load("background_health_checks: " + no).general().healthCheckInterval()).as(no).isNull();
            assertThat(load("require_auth_for_metrics_endpoint: " + no).security().metricsRequireAuth()).as(no).isFalse();
        }
        for (String key : new String[]{"allow_master_key_for_llm_routes", "background_health_checks", "require_auth_for_metrics_endpoint"}) {
            for (String bad : new String[]{"1", "0", "sometimes", "\"\"", "[true]", "y"}) {
                refused(key + ": " + bad, "general_settings." + key, "must be true or false");
            }
        }
    }

    @Test
    void invalidValuesNameTheKeyAndTheRange() {
        refused("health_check_interval: 0", "general_settings.health_check_interval", "from 1 to 86400");
        refused("health_check_interval: soon", "general_settings.health_check_interval");
        refused("health_check_interval: \"NaN\"", "general_settings.health_check_interval");
        refused("maximum_spend_logs_retention_period: a month", "general_settings.maximum_spend_logs_retention_period", "a month");
        refused("maximum_spend_logs_retention_period: 0d", "general_settings.maximum_spend_logs_retention_period");
        refused("maximum_spend_logs_retention_period: 99999999999d", "general_settings.maximum_spend_logs_retention_period");
        refused("maximum_spend_logs_retention_interval: 1.5", "general_settings.maximum_spend_logs_retention_interval");
        refused("max_request_size_mb: big", "general_settings.max_request_size_mb", "MiB");
        refused("max_request_size_mb: 0", "general_settings.max_request_size_mb");
        refused("max_request_size_mb: \"Infinity\"", "general_settings.max_request_size_mb");
        refused("invalid_key_attempts_per_minute: 2.5", "general_settings.invalid_key_attempts_per_minute", "whole number from 0");
        refused("master_key: [sk-a, sk-b]", "general_settings.master_key", "single value");
    }

    @Test
    void litellmDurations() {
        assertThat(YamlSection.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(YamlSection.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(YamlSection.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(YamlSection.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(YamlSection.parseDuration("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(YamlSection.parseDuration("1mo")).isEqualTo(Duration.ofDays(30));
        assertThat(YamlSection.parseDuration("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(YamlSection.parseDuration(" 7D ")).isEqualTo(Duration.ofDays(7));
        assertThat(YamlSection.parseDuration("30x")).isNull();
        assertThat(YamlSection.parseDuration("d30")).isNull();
    }

    @Test
    void wholeNumbersMayBeQuotedDigits() throws IOException {
        assertThat(load("invalid_key_attempts_per_minute: \"12\"").security().invalidKeyAttemptsPerMinute()).isEqualTo(12);
        assertThat(load("max_request_size_mb: \"2\"").maxRequestBytes()).isEqualTo(2L * 1024 * 1024);
    }
}
