package dev.aigateway.provider.vertex;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.aigateway.fakes.FakeGoogleToken;
import dev.aigateway.fakes.FakeUpstream.Recorded;
import dev.aigateway.fakes.FakeVertex;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * vertex_ai deployments through a real gateway, with the official OpenAI and Anthropic SDKs as clients: a fake Google
 * token endpoint that verifies the service account's RS256 JWT, a fake Vertex that takes only the tokens it issued.
 */
class VertexGatewayTest {
    private static final String GEMINI = "gemini-2.5-flash";
    private static final String CLAUDE = "claude-sonnet-4@20250514";
    private static FakeGoogleToken google;
    private static FakeVertex vertex;
    private TestGateway gw;

    @BeforeAll
    static void fakes() {
        google = new FakeGoogleToken();
        vertex = new FakeVertex(google);
    }

    @AfterAll
    static void close() {
        vertex.close();
        google.close();
    }

    @BeforeEach
    void reset() {
        google.reset();
        vertex.reset();
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
    }

    /** Gemini and embeddings with the key file's path, Claude with the JSON itself (through the environment). */
    private TestGateway start(String serviceAccountJson) throws Exception {
        Path keyFile = Files.createTempFile("vertex-sa", ".json");
        Files.writeString(keyFile, serviceAccountJson);
        gw = TestGateway.start("""
                model_list:
                  - model_name: gemini
                    litellm_params: {model: vertex_ai/%s, vertex_credentials: "%s", vertex_project: test-project, api_base: "%s"}
                  - model_name: claude
                    litellm_params: {model: vertex_ai/%s, vertex_credentials: os.environ/VERTEX_SA, api_base: "%s"}
                  - model_name: embed
                    litellm_params: {model: vertex_ai/text-embedding-005, vertex_credentials: "%s", api_base: "%s"}
                  - model_name: claude-next
                    litellm_params: {model: vertex_ai/claude-sonnet-4-5@20250929, vertex_credentials: "%s", vertex_project: p1}
                router_settings:
                  num_retries: 0
                  allowed_fails: 100000
                """.formatted(GEMINI, keyFile, vertex.modelUrl("google", GEMINI), CLAUDE, vertex.modelUrl("anthropic", CLAUDE),
                keyFile, vertex.modelUrl("google", "text-embedding-005"), keyFile), Map.of("VERTEX_SA", serviceAccountJson));
        return gw;
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").maxCompletionTokens(50).build();
    }

    private static String text(OpenAIClient c, String model) {
        return c.chat().completions().create(chat(model)).choices().get(0).message().content().orElse("");
    }

    private static String streamed(OpenAIClient c, String model) {
        StringBuilder out = new StringBuilder();
        try (var s = c.chat().completions().createStreaming(chat(model))) {
            s.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(out::append)));
        }
        return out.toString();
    }

    private static List<Recorded> calls(String suffix) {
        return vertex.requests().stream().filter(r -> r.path().endsWith(suffix)).toList();
    }

    @Test
    void geminiChatAndStreamWithOneTokenExchange() throws Exception {
        vertex.gemini().scenario(new Scenario.Text("Hello from Gemini on Vertex"));
        OpenAIClient c = start(google.serviceAccountJson()).openAi();

        assertThat(text(c, "gemini")).isEqualTo("Hello from Gemini on Vertex");
        assertThat(streamed(c, "gemini")).isEqualTo("Hello from Gemini on Vertex");

        Recorded plain = calls(":generateContent").get(0);
        assertThat(plain.path()).isEqualTo("/v1/projects/test-project/locations/us-central1/publishers/google/models/" + GEMINI + ":generateContent");
        assertThat(plain.headers().get("authorization")).startsWith("Bearer ya29.fake-");
        assertThat(plain.headers().get("x-goog-api-key")).isNull();
        assertThat(plain.json().path("contents").get(0).path("parts").get(0).path("text").asText()).isEqualTo("Hi");
        Recorded stream = calls(":streamGenerateContent").get(0);
        assertThat(stream.query()).isEqualTo("alt=sse");
        assertThat(google.exchanges()).isEqualTo(1); // the token is reused
    }

    @Test
    void claudeChatAndStreamSpeakVertexsMessagesVariant() throws Exception {
        vertex.anthropic().scenario(new Scenario.Text("Hello from Claude on Vertex"));
        OpenAIClient c = start(google.serviceAccountJson()).openAi();

        assertThat(text(c, "claude")).isEqualTo("Hello from Claude on Vertex");
        assertThat(streamed(c, "claude")).isEqualTo("Hello from Claude on Vertex");

        JsonNode raw = calls(":rawPredict").get(0).json();
        assertThat(raw.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(raw.has("model")).isFalse();
        assertThat(raw.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(calls(":streamRawPredict").get(0).json().path("stream").asBoolean()).isTrue();
        assertThat(calls(":rawPredict").get(0).headers().get("anthropic-version")).isNull();
    }

    @Test
    void nativeMessagesPassThroughToClaudeOnVertex() throws Exception {
        vertex.anthropic().scenario(new Scenario.Text("Native answer"));
        start(google.serviceAccountJson());
        AnthropicClient sdk = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl()).maxRetries(0).build();
        try {
            MessageCreateParams p = MessageCreateParams.builder().model("claude").maxTokens(64).addUserMessage("Hi").build();
            Message m = sdk.messages().create(p);
            assertThat(m.content().get(0).asText().text()).isEqualTo("Native answer");

            MessageAccumulator acc = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> s = sdk.messages().createStreaming(p)) {
                s.stream().forEach(acc::accumulate);
            }
            assertThat(acc.message().content().get(0).asText().text()).isEqualTo("Native answer");
        } finally {
            sdk.close();
        }
        JsonNode sent = calls(":rawPredict").get(0).json();
        assertThat(sent.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(sent.has("model")).isFalse();
        assertThat(calls(":streamRawPredict")).hasSize(1);
    }

    /** Only Claude speaks the Messages API on Vertex: /v1/messages to a Gemini model is translated, not passed through. */
    @Test
    void messagesToGeminiOnVertexAreTranslated() throws Exception {
        vertex.gemini().scenario(new Scenario.Text("Gemini via Messages"));
        start(google.serviceAccountJson());
        AnthropicClient sdk = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl()).maxRetries(0).build();
        try {
            Message m = sdk.messages().create(MessageCreateParams.builder().model("gemini").maxTokens(64).addUserMessage("Hi").build());
            assertThat(m.content().get(0).asText().text()).isEqualTo("Gemini via Messages");
        } finally {
            sdk.close();
        }
        assertThat(calls(":generateContent")).hasSize(1);
        assertThat(calls(":rawPredict")).isEmpty();
    }

    @Test
    void embeddingsThroughPredict() throws Exception {
        OpenAIClient c = start(google.serviceAccountJson()).openAi();
        CreateEmbeddingResponse r = c.embeddings().create(EmbeddingCreateParams.builder().model("embed")
                .inputOfArrayOfStrings(List.of("one two", "three")).build());

        assertThat(r.data()).hasSize(2);
        assertThat(r.data().get(1).embedding()).hasSize(FakeVertex.EMBEDDING_DIMS);
        assertThat(r.data().get(1).embedding().get(0)).isEqualTo(1.0f);
        assertThat(r.usage().promptTokens()).isEqualTo(3);
        JsonNode sent = calls(":predict").get(0).json();
        assertThat(sent.path("instances").get(0).path("content").asText()).isEqualTo("one two");
    }

    @Test
    void concurrentCallsShareOneTokenExchange() throws Exception {
        google.delay(300); // every call arrives while the first exchange is still out
        OpenAIClient c = start(google.serviceAccountJson()).openAi();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) answers.add(pool.submit(() -> text(c, "gemini")));
            for (Future<String> a : answers) assertThat(a.get(20, TimeUnit.SECONDS)).isEqualTo("Hello from the fake!");
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls(":generateContent")).hasSize(12);
        assertThat(google.exchanges()).isEqualTo(1);
    }

    @Test
    void aTokenNearItsExpiryIsReplaced() throws Exception {
        google.expiresIn(2); // refreshed a second before it expires
        OpenAIClient c = start(google.serviceAccountJson()).openAi();
        text(c, "gemini");
        Thread.sleep(1200);
        text(c, "gemini");

        assertThat(google.exchanges()).isEqualTo(2);
        List<Recorded> sent = calls(":generateContent");
        assertThat(sent.get(0).headers().get("authorization")).isNotEqualTo(sent.get(1).headers().get("authorization"));
        assertThat(vertex.unauthenticated()).isZero();
    }

    @Test
    void aRevokedTokenIsRefreshedAndTheCallRetriedOnce() throws Exception {
        OpenAIClient c = start(google.serviceAccountJson()).openAi();
        text(c, "gemini");
        google.revokeAll();

        assertThat(streamed(c, "gemini")).isEqualTo("Hello from the fake!");
        assertThat(vertex.unauthenticated()).isEqualTo(1);
        assertThat(google.exchanges()).isEqualTo(2);
    }

    @Test
    void tokensVertexKeepsRefusingFailAfterOneRetry() throws Exception {
        google.expiresIn(0); // issued already dead: Vertex refuses each
        OpenAIClient c = start(google.serviceAccountJson()).openAi();

        assertThatThrownBy(() -> text(c, "gemini")).isInstanceOf(UnauthorizedException.class);
        assertThat(vertex.unauthenticated()).isEqualTo(2);
    }

    @Test
    void permissionDeniedNamesTheRoleToGrant() throws Exception {
        vertex.deny(true);
        OpenAIClient c = start(google.serviceAccountJson()).openAi();

        assertThatThrownBy(() -> text(c, "gemini")).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("roles/aiplatform.user").hasMessageContaining("test-project");
        assertThatThrownBy(() -> text(c, "claude")).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("roles/aiplatform.user");
    }

    @Test
    void aKeyGoogleDoesNotKnowIsRefusedWithoutEchoingIt() throws Exception {
        String foreign = google.serviceAccountJsonWithForeignKey();
        OpenAIClient c = start(foreign).openAi();

        assertThatThrownBy(() -> text(c, "gemini")).isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("Invalid JWT Signature").hasMessageNotContaining("PRIVATE KEY");
        assertThat(vertex.requests()).isEmpty();
    }

    @Test
    void modelInfoNamesThePriceEntryAndSaysWhenItIsTheBaseModels() throws Exception {
        start(google.serviceAccountJson());
        JsonNode data = TestGateway.json(gw.get("/model/info", TestGateway.MASTER_KEY)).path("data");
        JsonNode claude = null, next = null;
        for (JsonNode e : data) {
            if (e.path("model_name").asText().equals("claude")) claude = e.path("model_info");
            if (e.path("model_name").asText().equals("claude-next")) next = e.path("model_info");
        }
        assertThat(claude.path("key").asText()).isEqualTo("vertex_ai/" + CLAUDE);
        assertThat(claude.has("price_note")).isFalse();
        assertThat(claude.path("input_cost_per_token").asDouble()).isPositive();
        assertThat(next.path("key").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(next.path("price_note").asText()).contains("priced as claude-sonnet-4-5");
        assertThat(next.path("output_cost_per_token").asDouble()).isPositive();
        assertThat(data.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void unknownModelsAndQuotaAreMappedFromGooglesStatus() throws Exception {
        OpenAIClient c = start(google.serviceAccountJson()).openAi();
        vertex.failWith(404, "NOT_FOUND", "Publisher Model `projects/test-project/locations/us-central1/publishers/google/models/"
                + GEMINI + "` not found.");
        assertThatThrownBy(() -> text(c, "gemini")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("has no model '" + GEMINI + "'").hasMessageContaining("Model Garden");

        vertex.failWith(429, "RESOURCE_EXHAUSTED", "Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model.");
        assertThatThrownBy(() -> text(c, "claude")).isInstanceOf(RateLimitException.class);
    }

    /** No vertex_credentials: Application Default Credentials, first GOOGLE_APPLICATION_CREDENTIALS (here a user's file). */
    @Test
    void applicationDefaultCredentialsFromTheEnvironment() throws Exception {
        Path adc = Files.createTempFile("adc", ".json");
        Files.writeString(adc, google.authorizedUserJson());
        gw = TestGateway.start(adcConfig(), Map.of("GOOGLE_APPLICATION_CREDENTIALS", adc.toString(), "GCE_METADATA_HOST", "127.0.0.1:9"));

        assertThat(text(gw.openAi(), "gemini")).isEqualTo("Hello from the fake!");
        assertThat(google.requests().get(0).body().toString()).contains("grant_type=refresh_token");
    }

    /** Nothing set: the metadata server of the machine (GCE_METADATA_HOST points at the fake). */
    @Test
    void theMetadataServerIsTheLastResort() throws Exception {
        gw = TestGateway.start(adcConfig(), Map.of("GCE_METADATA_HOST", google.metadataHost(), "VERTEXAI_PROJECT", "test-project"));

        assertThat(text(gw.openAi(), "gemini")).isEqualTo("Hello from the fake!");
        assertThat(text(gw.openAi(), "gemini")).isEqualTo("Hello from the fake!");
        assertThat(google.requests().get(0).path()).startsWith("/computeMetadata/");
        assertThat(google.exchanges()).isEqualTo(1);
    }

    @Test
    void noCredentialsAnywhereIsAClearErrorNotAHang() throws Exception {
        gw = TestGateway.start(adcConfig(), Map.of("GCE_METADATA_HOST", "127.0.0.1:9"));

        assertThatThrownBy(() -> text(gw.openAi(), "gemini")).isInstanceOf(OpenAIServiceException.class)
                .hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS");
    }

    private static String adcConfig() {
        return """
                model_list:
                  - model_name: gemini
                    litellm_params: {model: vertex_ai/%s, api_base: "%s"}
                router_settings:
                  num_retries: 0
                """.formatted(GEMINI, vertex.modelUrl("google", GEMINI));
    }
}
