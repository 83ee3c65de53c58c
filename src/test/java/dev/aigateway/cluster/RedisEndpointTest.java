package dev.aigateway.cluster;

import dev.aigateway.core.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisEndpointTest {

    @Test
    void parsesTheUrlAndOurKeyPrefix() {
        assertThat(RedisEndpoint.parse(null)).isNull();
        assertThat(RedisEndpoint.parse("  ")).isNull();
        RedisEndpoint plain = RedisEndpoint.parse("redis://127.0.0.1:6379/2");
        assertThat(plain.prefix()).isEqualTo("gw:");
        assertThat(plain.options().getEndpoint()).isEqualTo("redis://127.0.0.1:6379/2");
        RedisEndpoint prefixed = RedisEndpoint.parse("redis://:s3cret@cache:6380/1?key_prefix=team%3Aa%3A");
        assertThat(prefixed.prefix()).isEqualTo("team:a:");
        assertThat(prefixed.connectionString()).isEqualTo("redis://:s3cret@cache:6380/1");
        assertThat(prefixed.toString()).doesNotContain("s3cret").contains("***");
    }

    @Test
    void aWrongSchemeIsAConfigErrorThatHidesThePassword() {
        assertThatThrownBy(() -> RedisEndpoint.parse("http://user:s3cret@cache:6379"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_URL must look like redis://")
                .hasMessageNotContaining("s3cret");
    }
}
