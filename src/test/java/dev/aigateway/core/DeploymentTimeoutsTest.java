package dev.aigateway.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentTimeoutsTest {
    @Test
    void aRequestsTimeoutOnlyShortensADeployments() {
        Deployment d = new Deployment("d", "m", "openai", "gpt-4o", null, null, null, Duration.ofSeconds(10), Duration.ofSeconds(4), 1, 0,
                null, null, true);
        Deployment shorter = d.withTimeoutsAtMost(Duration.ofSeconds(2));
        assertThat(shorter.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(shorter.streamTimeout()).isEqualTo(Duration.ofSeconds(2));
        Deployment between = d.withTimeoutsAtMost(Duration.ofSeconds(5));
        assertThat(between.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(between.streamTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(d.withTimeoutsAtMost(Duration.ofSeconds(30))).isSameAs(d);
        Deployment defaults = new Deployment("d", "m", "openai", "gpt-4o", null, null, null, null, null, 1, 0, null, null, true);
        assertThat(defaults.withTimeoutsAtMost(Duration.ofSeconds(1)).timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.withTimeoutsAtMost(Duration.ofHours(1))).isSameAs(defaults);
    }
}
