package dev.aigateway.server;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Azure OpenAI's paths ({@code /openai/deployments/{model}/...?api-version=}) with the key in {@code api-key}: the
 * official OpenAI Java SDK in its Azure mode, and raw HTTP for what the SDK does not vary.
 */
class AzureDeploymentRoutesTest {
    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: gpt-4o-prod
                    litellm_params:
                      model: mock/gpt-4o
                      mock_response: from the path's model
                    model_info: {id: prod-1}
                  - model_name: other
                    litellm_params:
                      model: mock/other
                      mock_response: from the body's model
                    model_info: {id: other-1}
                  - model_name: embed
                    litellm_params:
                      model: mock/embedding
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static OpenAIClient azure(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gw.baseUrl()).credential(AzureApiKeyCredential.create(key))
                .azureServiceVersion(AzureOpenAIServiceVersion.latestStableVersion()).azureUrlPathMode(AzureUrlPathMode.LEGACY)
                .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void theSdksAzureModeReachesEveryOperation() {
        OpenAIClient client = azure(TestGateway.MASTER_KEY);
        ChatCompletion chat = client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o-prod")
                .addUserMessage("hi").build());
        assertThat(chat.choices().get(0).message().content()).contains("from the path's model");

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("gpt-4o-prod").addUserMessage("hi").build())) {
            s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append)));
        }
        assertThat(streamed.toString()).isEqualTo("from the path's model");

        Completion text = client.completions().create(CompletionCreateParams.builder().model("gpt-4o-prod").prompt("hi").build());
        assertThat(text.choices().get(0).text()).contains("from the path's model");

        CreateEmbeddingResponse emb = client.embeddings().create(EmbeddingCreateParams.builder().model("embed").input("hi").build());
        assertThat(emb.data()).hasSize(1);
    }

    @Test
    void theSdksAzureModeIsAuthenticated() {
        assertThatThrownBy(() -> azure("sk-wrong-key-0123456789").chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-prod").addUserMessage("hi").build())).isInstanceOf(UnauthorizedException.class);
    }

    static HttpResponse<String> post(String path, String body) {
        return TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("api-key", TestGateway.MASTER_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void thePathsModelReplacesTheBodys() {
        HttpResponse<String> r = post("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21",
                "{\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("from the path's model");
        assertThat(r.headers().firstValue("x-litellm-model-id")).contains("prod-1");
        HttpResponse<String> noModel = post("/openai/deployments/other/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(noModel.statusCode()).as("no api-version, no model in the body").isEqualTo(200);
        assertThat(noModel.body()).contains("from the body's model");
    }

    @Test
    void theEnginesPathsAreTheSame() {
        HttpResponse<String> r = post("/engines/gpt-4o-prod/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("from the path's model");
        assertThat(post("/v1/engines/embed/embeddings", "{\"input\":\"hi\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndModelsAreClearErrors() {
        assertThat(post("/openai/deployments/gpt-4o-prod/images/generations", "{}").statusCode()).isEqualTo(404);
        assertThat(post("/openai/deployments//chat/completions", "{}").statusCode()).isEqualTo(404);
        assertThat(post("/openai/deployments/%20/chat/completions", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = post("/openai/deployments/nope/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(unknown.statusCode()).as(unknown.body()).isIn(400, 404);
        assertThat(TestGateway.json(unknown).path("error").path("message").asText()).contains("nope");
    }
}
