package dev.aigateway.config;

import dev.aigateway.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GATEWAY_LOG_LEVEL and the log format: flags > environment > .env, defaults, and errors naming the setting. */
class LogSettingsTest {
    @TempDir
    Path dir;

    LogSettings load(Map<String, String> flags, Map<String, String> env) {
        return ConfigLoader.load(flags, env, dir).logging();
    }

    @Test
    void defaults() {
        assertThat(load(Map.of(), Map.of())).isEqualTo(LogSettings.DEFAULTS).isEqualTo(new LogSettings("INFO", LogSettings.Format.TEXT));
    }

    @Test
    void flagBeatsEnvironmentBeatsDotEnv() {
        DotEnv.put(dir.resolve(".env"), Map.of("LOG_FORMAT", "json", "GATEWAY_LOG_LEVEL", "debug"));
        assertThat(load(Map.of(), Map.of())).isEqualTo(new LogSettings("DEBUG", LogSettings.Format.JSON));
        assertThat(load(Map.of(), Map.of("GATEWAY_LOG_FORMAT", "text", "GATEWAY_LOG_LEVEL", " Warn ")))
                .isEqualTo(new LogSettings("WARN", LogSettings.Format.TEXT));
        assertThat(load(Map.of("GATEWAY_LOG_FORMAT", "JSON"), Map.of("GATEWAY_LOG_FORMAT", "text")).format()).isEqualTo(LogSettings.Format.JSON);
        assertThat(load(Map.of(), Map.of("LOG_FORMAT", "plain")).format()).isEqualTo(LogSettings.Format.TEXT);
    }

    @Test
    void everyLogbackLevelIsAccepted() {
        for (String level : LogSettings.LEVELS) {
            assertThat(load(Map.of(), Map.of("GATEWAY_LOG_LEVEL", level.toLowerCase())).level()).isEqualTo(level);
        }
    }

    @Test
    void invalidValuesStopStartUpNamingTheSetting() {
        // before: logback quietly took an unknown level as INFO
        assertThatThrownBy(() -> load(Map.of(), Map.of("GATEWAY_LOG_LEVEL", "verbose"))).isInstanceOf(ConfigException.class)
                .hasMessage("GATEWAY_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, ALL, not 'verbose'.");
        assertThatThrownBy(() -> load(Map.of(), Map.of("LOG_FORMAT", "xml"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--log-format").hasMessageContaining("'text' or 'json'");
    }

    @Test
    void beforeTheConfigurationABadLevelMeansInfoForTheFirstLines() {
        assertThat(LogSettings.levelBeforeConfig()).isIn(LogSettings.LEVELS); // whatever this JVM's environment holds
        assertThat(LogSettings.level(null)).isEqualTo("INFO");
        assertThat(LogSettings.level("error")).isEqualTo("ERROR");
    }
}
