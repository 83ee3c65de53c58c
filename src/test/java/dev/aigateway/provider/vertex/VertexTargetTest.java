package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where LiteLLM's settings and the environment send a vertex_ai model. */
class VertexTargetTest {
    private static Deployment d(String model, String apiBase, ObjectNode params) {
        return new Deployment("d1", "m", "vertex_ai", model, null, apiBase, null, null, null, 1, 0, params, Json.object(), true);
    }

    private static final VertexEnvironment ENV = new VertexEnvironment("env-project", "europe-west4", null, null, "metadata");

    @Test
    void regionalAndGlobalHosts() {
        VertexTarget t = VertexTarget.of(d("gemini-2.5-pro", null, Json.object().put("vertex_project", "p1")), VertexEnvironment.none(), null);
        assertThat(t.url("generateContent")).isEqualTo("https://us-central1-aiplatform.googleapis.com/v1/projects/p1/locations/us-central1"
                + "/publishers/google/models/gemini-2.5-pro:generateContent");

        VertexTarget g = VertexTarget.of(d("claude-sonnet-4@20250514", null,
                Json.object().put("vertex_project", "p1").put("vertex_location", "global")), VertexEnvironment.none(), null);
        assertThat(g.url("rawPredict")).isEqualTo("https://aiplatform.googleapis.com/v1/projects/p1/locations/global"
                + "/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict");
        assertThat(g.anthropic()).isTrue();
    }

    @Test
    void settingsBeatTheEnvironmentWhichBeatsTheCredentials() {
        assertThat(VertexTarget.of(d("gemini-2.5-pro", null, Json.object()), ENV, "cred-project").modelUrl())
                .isEqualTo("https://europe-west4-aiplatform.googleapis.com/v1/projects/env-project/locations/europe-west4"
                        + "/publishers/google/models/gemini-2.5-pro");
        assertThat(VertexTarget.of(d("gemini-2.5-pro", null, Json.object().put("vertex_ai_project", "mine").put("vertex_ai_location", "asia-east1")),
                ENV, "cred-project").modelUrl()).startsWith("https://asia-east1-aiplatform.googleapis.com/v1/projects/mine/locations/asia-east1/");
        assertThat(VertexTarget.of(d("gemini-2.5-pro", null, Json.object()), VertexEnvironment.none(), "cred-project").project())
                .isEqualTo("cred-project");
    }

    @Test
    void apiBaseIsTheModelsWholeUrl() {
        VertexTarget t = VertexTarget.of(d("gemini-2.5-pro", "https://proxy.example/v1/models/x/", Json.object()), VertexEnvironment.none(), null);
        assertThat(t.url("streamGenerateContent?alt=sse")).isEqualTo("https://proxy.example/v1/models/x:streamGenerateContent?alt=sse");
    }

    @Test
    void noProjectAnywhereSaysWhereToSetOne() {
        assertThatThrownBy(() -> VertexTarget.of(d("gemini-2.5-pro", null, Json.object()), VertexEnvironment.none(), null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("vertex_project").hasMessageContaining("VERTEXAI_PROJECT");
    }

    @Test
    void claudeBodiesLoseTheirModelAndNameVertexsVersion() {
        ObjectNode body = Json.object().put("model", "claude-x").put("max_tokens", 5);
        ObjectNode v = VertexCalls.vertexBody(body);
        assertThat(v.toString()).isEqualTo("{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":5}");
        assertThat(body.has("model")).as("the original is left alone").isTrue();
    }
}
