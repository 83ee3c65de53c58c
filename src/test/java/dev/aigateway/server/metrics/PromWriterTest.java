package dev.aigateway.server.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.core.SecretParams;
import dev.aigateway.server.metrics.PromWriter.Labels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromWriterTest {

    @Test
    void escapesLabelValuesAndFormatsNumbersAsPrometheusParsesThem() {
        String text = new PromWriter().family("x_total", "counter", "help with \\ and\nnewline")
                .sample("x_total", Labels.of("alias", "a \"quoted\" \\ name\nnext", "empty", null), 3)
                .sample("x_total", Labels.of("v", "inf"), Double.POSITIVE_INFINITY)
                .sample("x_total", Labels.of("v", "frac"), 0.25)
                .toString();
        assertThat(text).isEqualTo("""
                # HELP x_total help with \\\\ and\\nnewline
                # TYPE x_total counter
                x_total{alias="a \\"quoted\\" \\\\ name\\nnext",empty=""} 3
                x_total{v="inf"} +Inf
                x_total{v="frac"} 0.25
                """);
        PrometheusText parsed = PrometheusText.parse(text);
        parsed.assertWellFormed();
        assertThat(parsed.samples().get(0).labels()).containsEntry("alias", "a \"quoted\" \\ name\nnext");
    }

    @Test
    void histogramBucketsAreCumulativeWithSumAndCount() {
        Histogram h = new Histogram(new double[]{0.1, 1.0});
        h.observeSeconds(0.05);
        h.observeSeconds(0.1); // a bound is inclusive (le)
        h.observeMillis(500);
        h.observeSeconds(3);
        h.observeSeconds(Double.NaN); // counted as 0, never poisons the sum
        String text = new PromWriter().family("lat", "histogram", "h").histogram("lat", Labels.of("m", "a"), h).toString();
        assertThat(text).contains("lat_bucket{m=\"a\",le=\"0.1\"} 3\n", "lat_bucket{m=\"a\",le=\"1\"} 4\n",
                "lat_bucket{m=\"a\",le=\"+Inf\"} 5\n", "lat_count{m=\"a\"} 5\n", "lat_sum{m=\"a\"} 3.65\n");
        PrometheusText.parse(text).assertWellFormed();
    }

    @Test
    void apiBaseCredentialsNeverReachALabel() {
        assertThat(apiBaseLabel("https://user:secret@example.com/v1")).isEqualTo("https://***@example.com/v1");
        assertThat(apiBaseLabel("https://example.com/v1?api-key=k-123&x=a@b")).isEqualTo("https://example.com/v1?api-key=***&x=***");
        assertThat(apiBaseLabel("https://example.com/v1")).isEqualTo("https://example.com/v1");
        assertThat(apiBaseLabel(null)).isEmpty();
        // written as a reference in config.yaml: the label is the reference, never the variable's value
        ObjectNode written = Json.object().put("model", "openai/x").put("api_base", "os.environ/MY_BASE");
        Deployment d = new Deployment("d", "m", "openai", "x", null, "https://internal.example/v1?sig=s3cr3t", null, null, null, 1, 0,
                Json.object(), Json.object(), true, SecretParams.shown(written));
        assertThat(label(GatewayMetrics.DeploymentLabels.of(d), "api_base")).isEqualTo("os.environ/MY_BASE");
    }

    private static String apiBaseLabel(String apiBase) {
        ObjectNode params = Json.object().put("model", "openai/x");
        if (apiBase != null) params.put("api_base", apiBase);
        Deployment d = new Deployment("d", "m", "openai", "x", null, apiBase, null, null, null, 1, 0, params, Json.object(), false);
        return label(GatewayMetrics.DeploymentLabels.of(d), "api_base");
    }

    private static String label(Labels labels, String name) {
        for (int i = 0; i < labels.names().length; i++) {
            if (labels.names()[i].equals(name)) return labels.values()[i];
        }
        throw new AssertionError("no label " + name);
    }
}
