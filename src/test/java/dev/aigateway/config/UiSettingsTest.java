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

/** The admin UI's variables are read with the configuration: a bad one stops start-up, not the first login. */
class UiSettingsTest {
    @TempDir
    Path dir;

    UiSettings load(Map<String, String> env) {
        return ConfigLoader.load(Map.of(), env, dir).ui();
    }

    @Test
    void defaults() {
        UiSettings ui = load(Map.of());
        assertThat(ui.idleTimeout()).isEqualTo(UiSettings.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofHours(12));
        assertThat(ui.loginAttemptsPerMinute()).isEqualTo(10);
        assertThat(ui.passwordLogin()).isFalse();
    }

    @Test
    void environmentDotEnvAndEnvironmentVariablesSection() throws IOException {
        DotEnv.put(dir.resolve(".env"), Map.of("UI_PASSWORD", "pw", "UI_LOGIN_ATTEMPTS_PER_MINUTE", "3"));
        Files.writeString(dir.resolve("config.yaml"), "model_list: []\nenvironment_variables:\n  UI_SESSION_IDLE_TIMEOUT: 30m\n");
        UiSettings ui = load(Map.of("UI_USERNAME", "admin", "GATEWAY_MASTER_KEY", "sk-test"));
        assertThat(ui.passwordLogin()).isTrue();
        assertThat(ui.username()).isEqualTo("admin");
        assertThat(ui.loginAttemptsPerMinute()).isEqualTo(3);
        assertThat(ui.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(ui.masterKey()).isEqualTo("sk-test");
        assertThat(ui.toString()).doesNotContain("pw").doesNotContain("sk-test");
        assertThat(load(Map.of("UI_USERNAME", "admin", "UI_PASSWORD", " ")).passwordLogin()).as("both must be set").isFalse();
    }

    @Test
    void durationsWithUnits() {
        assertThat(UiSettings.duration(null)).isEqualTo(Duration.ofHours(12));
        assertThat(UiSettings.duration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(UiSettings.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(UiSettings.duration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(UiSettings.duration("900")).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void invalidValuesStopStartUpNamingTheVariable() {
        assertThatThrownBy(() -> load(Map.of("UI_SESSION_IDLE_TIMEOUT", "soon"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("UI_SESSION_IDLE_TIMEOUT");
        assertThatThrownBy(() -> load(Map.of("UI_SESSION_IDLE_TIMEOUT", "0"))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> load(Map.of("UI_LOGIN_ATTEMPTS_PER_MINUTE", "-1"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("UI_LOGIN_ATTEMPTS_PER_MINUTE");
    }
}
