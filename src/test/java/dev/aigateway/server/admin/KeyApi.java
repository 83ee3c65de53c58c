package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.testing.TestGateway;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls of the key admin API and the LLM routes that the key tests share. */
final class KeyApi {
    /** Four models on the mock provider, one answering with its own name so aliasing is visible. */
    static final String CONFIG = """
            model_list:
              - model_name: mock
                litellm_params:
                  model: mock/mock-gpt
                  mock_response: from-mock
                model_info:
                  input_cost_per_token: 0.000001
                  output_cost_per_token: 0.000002
              - model_name: other
                litellm_params:
                  model: mock/other
                  mock_response: from-other
              - model_name: openai/gpt-4o
                litellm_params:
                  model: mock/gpt-4o
                  mock_response: from-gpt-4o
              - model_name: openai/gpt-4o-mini
                litellm_params:
                  model: mock/gpt-4o-mini
                  mock_response: from-gpt-4o-mini
            """;

    private final TestGateway gw;

    KeyApi(TestGateway gw) {
        this.gw = gw;
    }

    /** POST /key/generate with the master key; asserts 200. */
    JsonNode generate(String json) {
        HttpResponse<String> r = gw.post("/key/generate", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    HttpResponse<String> post(String path, String json) {
        return gw.post(path, json);
    }

    JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    /** /key/info of a key (value or hash) read with the master key. */
    JsonNode info(String keyOrHash) {
        return ok(gw.get("/key/info?key=" + URLEncoder.encode(keyOrHash, StandardCharsets.UTF_8), TestGateway.MASTER_KEY));
    }

    HttpResponse<String> chat(String key, String model) {
        return gw.post("/v1/chat/completions", "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", key);
    }

    /** Asserts an OpenAI-shaped error and returns its {@code error} object. */
    static JsonNode error(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = TestGateway.json(r).path("error");
        assertThat(e.path("type").asText()).as(r.body()).isEqualTo(type);
        return e;
    }

    static String content(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r).path("choices").path(0).path("message").path("content").asText();
    }
}
