package dev.aigateway.config;

import dev.aigateway.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transport settings: defaults, the environment and .env alike, and readable errors for bad numbers. */
class TransportSettingsTest {
    @TempDir
    Path dir;

    TransportSettings load(Map<String, String> env) {
        return ConfigLoader.load(Map.of(), env, dir).transport();
    }

    @Test
    void defaults() {
        TransportSettings t = load(Map.of());
        assertThat(t.headerTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(t.bodyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(t.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThat(t.maxConnections()).isEqualTo(TransportSettings.DEFAULT_MAX_CONNECTIONS);
        assertThat(t.upstreamPoolSize()).isEqualTo(4096);
        assertThat(t.bodyMemoryBytes()).isEqualTo((long) (Runtime.getRuntime().maxMemory() * 0.40));
    }

    @Test
    void environmentAndDotEnvCountTheSame() {
        DotEnv.put(dir.resolve(".env"), Map.of("GATEWAY_UPSTREAM_POOL_SIZE", "64", "KEEPALIVE_TIMEOUT", "5",
                "GATEWAY_BODY_MEMORY_MB", "12", "GATEWAY_MAX_CONNECTIONS", "300"));
        TransportSettings t = load(Map.of("GATEWAY_HEADER_TIMEOUT_SECONDS", "2.5", "GATEWAY_BODY_TIMEOUT_SECONDS", "7"));
        assertThat(t.upstreamPoolSize()).isEqualTo(64);
        assertThat(t.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.bodyMemoryBytes()).isEqualTo(12L * 1024 * 1024);
        assertThat(t.maxConnections()).isEqualTo(300);
        assertThat(t.headerTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(t.bodyTimeout()).isEqualTo(Duration.ofSeconds(7));
        // the gateway's own name wins over the uvicorn-style alias
        assertThat(load(Map.of("GATEWAY_KEEPALIVE_TIMEOUT_SECONDS", "9")).keepAliveTimeout()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void badNumbersNameTheSettingAndItsRange() {
        assertThatThrownBy(() -> load(Map.of("GATEWAY_MAX_CONNECTIONS", "lots"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEWAY_MAX_CONNECTIONS must be a whole number from 1 to");
        assertThatThrownBy(() -> load(Map.of("GATEWAY_HEADER_TIMEOUT_SECONDS", "0"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEWAY_HEADER_TIMEOUT_SECONDS must be a number of seconds from 0.1 to 86400");
        assertThatThrownBy(() -> load(Map.of("KEEPALIVE_TIMEOUT", "NaN"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("KEEPALIVE_TIMEOUT");
        assertThatThrownBy(() -> load(Map.of("GATEWAY_BODY_MEMORY_MB", "-3"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEWAY_BODY_MEMORY_MB must be a number of MiB");
        assertThatThrownBy(() -> load(Map.of("GATEWAY_UPSTREAM_POOL_SIZE", "0"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEWAY_UPSTREAM_POOL_SIZE");
    }

    @Test
    void theDefaultRequestSizeFollowsTheHeap() throws java.io.IOException {
        long mib = 1024 * 1024;
        assertThat(GatewayConfig.defaultMaxRequestBytes(128 * mib)).isEqualTo(128 * mib / 20); // the small profile: 6.4 MiB
        assertThat(GatewayConfig.defaultMaxRequestBytes(512 * mib)).isEqualTo(512 * mib / 20);
        assertThat(GatewayConfig.defaultMaxRequestBytes(2048 * mib)).isEqualTo(32 * mib);
        assertThat(GatewayConfig.defaultMaxRequestBytes(8 * mib)).isEqualTo(mib);
        assertThat(ConfigLoader.load(Map.of(), Map.of(), dir).maxRequestBytes())
                .isEqualTo(GatewayConfig.defaultMaxRequestBytes(Runtime.getRuntime().maxMemory()));
        // an explicit setting wins
        java.nio.file.Files.writeString(dir.resolve("config.yaml"), "general_settings:\n  max_request_size_mb: 100\n");
        assertThat(ConfigLoader.load(Map.of(), Map.of(), dir).maxRequestBytes()).isEqualTo(100 * mib);
    }
}
