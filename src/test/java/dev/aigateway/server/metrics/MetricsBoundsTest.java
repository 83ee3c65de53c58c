package dev.aigateway.server.metrics;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** Series keyed by a requested model stay bounded: through a wildcard entry ({@code *}) clients choose the names. */
class MetricsBoundsTest {
    @Test
    void failuresOfEverMoreRequestedModelsFoldIntoOneSeriesPerDeploymentAndStatus() {
        GatewayMetrics m = new GatewayMetrics(Clock.systemUTC());
        Deployment any = new Deployment("any", "*", "openai", "*", null, null, null, null, null, 1, 0, Json.object(), Json.object(), true);
        for (int i = 0; i < GatewayMetrics.MAX_SERIES + 500; i++) m.attemptFailed(any.serving("model-" + i, "model-" + i), null, 500);
        assertThat(m.failureSeries()).isEqualTo(GatewayMetrics.MAX_SERIES + 1);
    }
}
