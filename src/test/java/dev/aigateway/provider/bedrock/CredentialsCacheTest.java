package dev.aigateway.provider.bedrock;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsCacheTest {
    @Test
    void refreshFiveMinutesAheadOrHalfwayThroughShortLives() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(CredentialsCache.refreshAt(now, now.plusSeconds(3600))).isEqualTo(now.plusSeconds(3300));
        assertThat(CredentialsCache.refreshAt(now, now.plusSeconds(120))).isEqualTo(now.plusSeconds(60));
    }
}
