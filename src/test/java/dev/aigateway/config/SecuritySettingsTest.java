package dev.aigateway.config;

import dev.aigateway.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** general_settings of docs/security.md: defaults, validation naming the key, trusted proxy ranges. */
class SecuritySettingsTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), yaml);
        return ConfigLoader.load(Map.of(), env, dir);
    }

    @Test
    void defaultsAreTheSafeOnes() throws IOException {
        SecuritySettings s = load("model_list: []\n", Map.of()).security();
        assertThat(s.metricsRequireAuth()).isTrue();
        assertThat(s.runtimeModelEnvVars()).isEmpty();
        assertThat(s.invalidKeyAttemptsPerMinute()).isEqualTo(SecuritySettings.DEFAULT_INVALID_KEY_ATTEMPTS_PER_MINUTE);
        assertThat(s.trustedProxies().entries()).isEqualTo(TrustedProxies.DEFAULT);
        assertThat(s.trustedProxies().contains("127.0.0.1")).isTrue();
        assertThat(s.trustedProxies().contains("127.9.8.7")).isTrue();
        assertThat(s.trustedProxies().contains("::1")).isTrue();
        for (String peer : new String[]{"10.1.2.3", "172.18.0.5", "192.168.1.9", "fd12:3456::1", "203.0.113.7", "localhost", "", "999.1.1.1"}) {
            assertThat(s.trustedProxies().contains(peer)).as(peer).isFalse();
        }
    }

    @Test
    void settingsAreReadAndCheckedNamingTheKey() throws IOException {
        SecuritySettings s = load("""
                general_settings:
                  require_auth_for_metrics_endpoint: false
                  runtime_model_env_vars: [OPENAI_API_KEY, ANTHROPIC_API_KEY]
                  trusted_proxies: ["172.16.0.0/12", "192.168.0.0/16", "fd00::/8"]
                  invalid_key_attempts_per_minute: 0
                """, Map.of()).security();
        assertThat(s.metricsRequireAuth()).isFalse();
        assertThat(s.runtimeModelEnvVars()).containsExactlyInAnyOrder("OPENAI_API_KEY", "ANTHROPIC_API_KEY");
        assertThat(s.invalidKeyAttemptsPerMinute()).isZero();
        assertThat(s.trustedProxies().contains("172.18.0.5")).isTrue();
        assertThat(s.trustedProxies().contains("172.32.0.1")).isFalse();
        assertThat(s.trustedProxies().contains("192.168.77.1")).isTrue();
        assertThat(s.trustedProxies().contains("fd12::1")).isTrue();
        assertThat(s.trustedProxies().contains("127.0.0.1")).as("the list replaces the default").isFalse();

        SecuritySettings fromEnv = load("general_settings: {trusted_proxies: [10.0.0.0/8]}\n",
                Map.of("GATEWAY_TRUSTED_PROXIES", "127.0.0.1, 172.16.0.0/12")).security();
        assertThat(fromEnv.trustedProxies().entries()).isEqualTo(List.of("127.0.0.1", "172.16.0.0/12"));

        for (String[] bad : new String[][]{
                {"require_auth_for_metrics_endpoint: maybe", "general_settings.require_auth_for_metrics_endpoint"},
                {"runtime_model_env_vars: [GATEWAY_MASTER_KEY]", "general_settings.runtime_model_env_vars"},
                {"runtime_model_env_vars: [LITELLM_SALT_KEY]", "general_settings.runtime_model_env_vars"},
                {"runtime_model_env_vars: [\"not a name\"]", "general_settings.runtime_model_env_vars"},
                {"trusted_proxies: [nginx]", "general_settings.trusted_proxies"},
                {"trusted_proxies: [10.0.0.0/33]", "general_settings.trusted_proxies"},
                {"invalid_key_attempts_per_minute: -1", "general_settings.invalid_key_attempts_per_minute"},
                {"invalid_key_attempts_per_minute: lots", "general_settings.invalid_key_attempts_per_minute"}}) {
            assertThatThrownBy(() -> load("general_settings:\n  " + bad[0] + "\n", Map.of())).as(bad[0])
                    .isInstanceOf(ConfigException.class).hasMessageContaining(bad[1]);
        }
        assertThatThrownBy(() -> load("model_list: []\n", Map.of("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8,proxy.local")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_TRUSTED_PROXIES");
    }
}
