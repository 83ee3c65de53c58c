package dev.aigateway.deploy;

import dev.aigateway.config.ConfigLoader;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.testing.StackNginx;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files under deploy/, checked with the real tools where this machine has them (deploy/validate.sh, one
 * check per test so a missing tool shows up as a skipped test, loudly), plus what can be run for real here:
 * the Kubernetes config.yaml loads without warnings, and nginx.conf proxies a live gateway (path prefix,
 * streaming, request ids) and Open WebUI's location.
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("deploy").toAbsolutePath();

    @ParameterizedTest(name = "validate.sh {0}")
    @ValueSource(strings = {"compose", "nginx", "kustomize", "systemd", "docker"})
    void toolValidates(String check) throws Exception {
        Process p = new ProcessBuilder("bash", DEPLOY.resolve("validate.sh").toString(), check).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("validate.sh %s finished", check).isTrue();
        if (p.exitValue() == 77) {
            System.err.println("!!!!! deploy/validate.sh " + check + " SKIPPED:\n" + out);
            Assumptions.abort("deploy/validate.sh " + check + " skipped, the tool is missing:\n" + out);
        }
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("PASS  " + check);
    }

    @Test
    void kubernetesConfigYamlLoadsWithoutWarnings() throws IOException {
        Path dir = Files.createTempDirectory("k8s-config");
        Files.copy(DEPLOY.resolve("k8s/config.yaml"), dir.resolve("config.yaml"));
        GatewayConfig config = ConfigLoader.load(Map.of(), Map.of("GATEWAY_MASTER_KEY", "sk-k8s-test-key"), dir);
        assertThat(config.warnings()).isEmpty();
        assertThat(config.deployments()).extracting(d -> d.modelName()).contains("mock");
    }

    @Test
    void composeTrustsNginxOnTheStackNetworkAndNothingOutsideIt() throws IOException {
        String compose = Files.readString(DEPLOY.resolve("docker-compose.yml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("GATEWAY_TRUSTED_PROXIES: \\$\\{GATEWAY_TRUSTED_PROXIES:-([^}]*)}").matcher(compose);
        assertThat(m.find()).as("docker-compose.yml sets GATEWAY_TRUSTED_PROXIES").isTrue();
        Path dir = Files.createTempDirectory("compose-config");
        GatewayConfig config = ConfigLoader.load(Map.of(), Map.of("GATEWAY_TRUSTED_PROXIES", m.group(1)), dir);
        var proxies = config.security().trustedProxies();
        for (String dockerNetwork : new String[]{"172.18.0.4", "192.168.16.3", "10.0.3.2"}) assertThat(proxies.contains(dockerNetwork)).isTrue();
        assertThat(proxies.contains("203.0.113.7")).isFalse();
        assertThat(compose).as("the gateway's own port is only published on the host's loopback").contains("\"127.0.0.1:${GATEWAY_PORT:-4000}:4000\"");
    }

    @Test
    void nginxConfProxiesTheGatewayWithStreamingAndOpenWebUiAtTheRoot() throws Exception {
        StackNginx.requireNginx("nginx.conf against a gateway");
        try (TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: slow
                    litellm_params:
                      model: mock/slow
                      mock_response: "one two three four five six seven eight"
                      mock_tokens_per_second: 10
                """); StackNginx stack = StackNginx.start(gw)) {
            String base = stack.base();

            HttpResponse<String> models = TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/api/litellm/v1/models"))
                    .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("x-request-id", "through-nginx-1").build());
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.body()).contains("\"slow\"");
            assertThat(models.headers().firstValue("x-request-id")).as("the client's id reaches the gateway").contains("through-nginx-1");
            HttpResponse<String> noId = TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/api/litellm/v1/models"))
                    .header("authorization", "Bearer " + TestGateway.MASTER_KEY).build());
            assertThat(noId.headers().firstValue("x-request-id").orElseThrow()).as("Nginx's $request_id").matches("[0-9a-f]{32}");

            assertThat(TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/health/liveliness")).build()).body()).contains("alive");
            // Nginx publishes everything under /api/litellm/, /metrics included: it answers only with a key
            assertThat(TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/api/litellm/metrics")).build()).statusCode()).isEqualTo(401);
            HttpResponse<String> scraped = TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/api/litellm/metrics"))
                    .header("authorization", "Bearer " + TestGateway.MASTER_KEY).build());
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.body()).contains("litellm_deployment_state");
            HttpResponse<String> root = TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/")).build());
            assertThat(root.body()).isEqualTo(StackNginx.WEBUI_BODY);

            // A stream through Nginx arrives event by event, not in one piece at the end.
            HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/litellm/v1/chat/completions"))
                    .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            List<Long> arrivals = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("data: ")) arrivals.add(System.nanoTime());
                    body.append(line).append('\n');
                }
            }
            assertThat(body.toString()).contains("\" eight\"").contains("data: [DONE]");
            long spreadMs = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
            assertThat(spreadMs).as("events spread over the stream's ~0.8 s (unbuffered)").isGreaterThan(400);
            assertThat(stack.accessLog()).contains("POST /api/litellm/v1/chat/completions").contains(" 200 ");
        }
    }
}
