package dev.aigateway.server;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRoutesTest {
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: good
                    litellm_params: {model: mock/ok}
                  - model_name: bad
                    litellm_params: {model: mock/broken, mock_error_status: 401}
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void livenessIsPublic() {
        for (String path : new String[]{"/health/liveliness", "/health/liveness", "/v1/health/liveliness"}) {
            var r = gw.get(path, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("\"I'm alive!\"");
        }
    }

    @Test
    void readinessIsPublicJsonWithDependencies() {
        var r = gw.get("/health/readiness", null);
        assertThat(r.statusCode()).isEqualTo(200);
        var j = TestGateway.json(r);
        assertThat(j.path("status").asText()).isEqualTo("healthy");
        assertThat(j.path("db").asText()).isEqualTo("connected");
        assertThat(j.path("redis").asText()).isEqualTo("not configured");
        assertThat(j.path("version").asText()).isNotBlank();
        // LiteLLM's names beside ours
        assertThat(j.path("litellm_version").asText()).isEqualTo(j.path("version").asText());
        assertThat(j.has("cache")).isTrue();
        assertThat(j.path("cache").isNull()).as("no Redis configured").isTrue();
        assertThat(j.path("success_callbacks").isArray()).isTrue();
    }

    @Test
    void healthNeedsAuthAndChecksEveryDeployment() {
        assertThat(gw.get("/health", null).statusCode()).isEqualTo(401);
        var r = gw.get("/health", TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        var j = TestGateway.json(r);
        assertThat(j.path("healthy_endpoints")).hasSize(1);
        assertThat(j.path("healthy_endpoints").get(0).path("model_name").asText()).isEqualTo("good");
        assertThat(j.path("unhealthy_endpoints")).hasSize(1);
        assertThat(j.path("unhealthy_endpoints").get(0).path("error").asText()).contains("401");
    }
}
