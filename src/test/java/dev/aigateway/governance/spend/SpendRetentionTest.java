package dev.aigateway.governance.spend;

import dev.aigateway.config.ConfigLoader;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LiteLLM's retention settings: durations, defaults, and clear errors for malformed values. */
class SpendRetentionTest {

    @Test
    void parsesLiteLlmDurations() {
        assertThat(SpendRetention.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SpendRetention.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(SpendRetention.parse("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(SpendRetention.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(SpendRetention.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(SpendRetention.parse("1mo")).isEqualTo(Duration.ofDays(30));
        assertThat(SpendRetention.parse("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(SpendRetention.parse(" 7D ")).isEqualTo(Duration.ofDays(7));
        assertThat(SpendRetention.parse("30x")).isNull();
        assertThat(SpendRetention.parse("d30")).isNull();
    }

    @Test
    void policyFromGeneralSettings() {
        var general = Json.object().put("maximum_spend_logs_retention_period", "90d").put("maximum_spend_logs_retention_interval", "6h");
        var p = SpendRetention.Policy.from(general);
        assertThat(p.keep()).isEqualTo(Duration.ofDays(90));
        assertThat(p.every()).isEqualTo(Duration.ofHours(6));
        var none = SpendRetention.Policy.from(Json.object());
        assertThat(none.keep()).as("no setting: rows are kept forever, as in LiteLLM").isNull();
        assertThat(none.every()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aMalformedPeriodNamesTheSetting() {
        var general = Json.object().put("maximum_spend_logs_retention_period", "a month");
        assertThatThrownBy(() -> SpendRetention.Policy.from(general))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("general_settings.maximum_spend_logs_retention_period")
                .hasMessageContaining("a month");
        assertThatThrownBy(() -> SpendRetention.Policy.from(Json.object().put("maximum_spend_logs_retention_period", "0d")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void theSettingsAreKnownToTheConfigLoader(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), """
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/m}
                general_settings:
                  maximum_spend_logs_retention_period: 30d
                  maximum_spend_logs_retention_interval: 1d
                """);
        var config = ConfigLoader.load(Map.of(), Map.of(), dir);
        assertThat(config.warnings()).noneMatch(w -> w.contains("retention"));
        assertThat(SpendRetention.Policy.from(config.generalSettings()).keep()).isEqualTo(Duration.ofDays(30));
    }
}
