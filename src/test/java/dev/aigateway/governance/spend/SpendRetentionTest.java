package dev.aigateway.governance.spend;

import dev.aigateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** LiteLLM's retention settings reach the retention policy (the settings themselves: config/GeneralSettingsTest). */
class SpendRetentionTest {

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
        assertThat(SpendRetention.Policy.from(config.general()).keep()).isEqualTo(Duration.ofDays(30));
        assertThat(SpendRetention.Policy.from(config.general()).every()).isEqualTo(Duration.ofDays(1));
        // durations, defaults and malformed values: config/GeneralSettingsTest
    }
}
