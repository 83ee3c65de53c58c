package dev.aigateway.router;

import dev.aigateway.core.Deployment;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Background health checks feeding the router, and a graceful shutdown that drains an open stream. */
class ResilienceLifecycleTest {

    @Test
    void backgroundHealthChecksTakeAFailingDeploymentOutOfRotation() {
        try (TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: m
                    litellm_params: {model: mock/good}
                  - model_name: m
                    litellm_params: {model: mock/bad, mock_error_status: 401}
                general_settings:
                  background_health_checks: true
                  health_check_interval: 1
                router_settings:
                  num_retries: 0
                """)) {
            Router router = gw.server().router();
            Deployment bad = router.catalog().deployments("m").get(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> router.stats(bad).healthError() != null);
            assertThat(router.stats(bad).healthError()).contains("401");
            for (int i = 0; i < 30; i++) {
                var r = gw.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("x-gateway-attempts")).contains("1");
            }
        }
    }

    @Test
    void shutdownDrainsAnOpenStreamThenRefusesNewConnections() throws Exception {
        TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: slow
                    litellm_params:
                      model: mock/slow
                      mock_response: "one two three four five six seven eight nine ten"
                      mock_tokens_per_second: 10
                """);
        HttpClient client = HttpClient.newHttpClient(); // asks for an h2c upgrade; the gateway stays on HTTP/1.1
        HttpResponse<java.io.InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        var body = new java.io.BufferedReader(new java.io.InputStreamReader(stream.body()));
        StringBuilder received = new StringBuilder(body.readLine()).append('\n'); // the stream is under way (about 1.1 s in total)
        long t0 = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(gw::close);
        for (String line; (line = body.readLine()) != null; ) received.append(line).append('\n');
        assertThat(received.toString()).contains("\" ten\"").endsWith("data: [DONE]\n\n");
        closing.get(40, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("close waited for the stream").isGreaterThan(500);
        var refused = client.sendAsync(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/health/liveliness")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused).failsWithin(Duration.ofSeconds(5));
    }
}
