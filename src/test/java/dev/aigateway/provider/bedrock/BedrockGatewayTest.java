package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeBedrock;
import dev.aigateway.fakes.FakeUpstream.Recorded;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Bedrock end to end: the official OpenAI SDK against a real gateway whose Bedrock deployments call a fake runtime that
 * recomputes every SigV4 signature (and a fake STS), with LiteLLM's config names.
 */
class BedrockGatewayTest {
    private static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
    private static FakeBedrock fake;
    private static TestGateway gw;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        fake = new FakeBedrock();
        // The SDK's default chain reads these JVM properties first (then AWS_ACCESS_KEY_ID... from the environment).
        System.setProperty("aws.accessKeyId", FakeBedrock.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", FakeBedrock.SECRET);
        String endpoint = fake.host();
        gw = TestGateway.start("""
                model_list:
                  - model_name: claude
                    litellm_params:
                      model: bedrock/%1$s
                      aws_access_key_id: os.environ/BEDROCK_KEY_ID
                      aws_secret_access_key: os.environ/BEDROCK_SECRET
                      aws_region_name: us-east-1
                      aws_bedrock_runtime_endpoint: %2$s
                  - model_name: claude-chain
                    litellm_params:
                      model: bedrock/%1$s
                  - model_name: claude-wrong-secret
                    litellm_params:
                      model: bedrock/%1$s
                      aws_access_key_id: %3$s
                      aws_secret_access_key: not-the-secret-0123456789
                      aws_bedrock_runtime_endpoint: %2$s
                  - model_name: claude-api-key
                    litellm_params:
                      model: bedrock/%1$s
                      api_key: os.environ/MY_BEDROCK_API_KEY
                  - model_name: claude-role
                    litellm_params:
                      model: bedrock/%1$s
                      aws_access_key_id: %3$s
                      aws_secret_access_key: os.environ/BEDROCK_SECRET
                      aws_role_name: arn:aws:iam::123456789012:role/bedrock
                      aws_session_name: gw-session
                      aws_sts_endpoint: %2$s
                  - model_name: titan
                    litellm_params:
                      model: bedrock/amazon.titan-embed-text-v2:0
                  - model_name: cohere-embed
                    litellm_params:
                      model: bedrock/cohere.embed-english-v3
                router_settings:
                  num_retries: 0
                """.formatted(CLAUDE, endpoint, FakeBedrock.ACCESS_KEY),
                Map.of("BEDROCK_KEY_ID", FakeBedrock.ACCESS_KEY, "BEDROCK_SECRET", FakeBedrock.SECRET,
                        "MY_BEDROCK_API_KEY", FakeBedrock.BEARER, "AWS_REGION", "us-east-1",
                        "AWS_BEDROCK_RUNTIME_ENDPOINT", endpoint));
        client = gw.openAi();
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        gw.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static ChatCompletionCreateParams hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("Hi").maxCompletionTokens(50)
                .temperature(0.2).build();
    }

    @Test
    void chatThroughConverseSignedWithStaticKeys() {
        fake.scenario(new Scenario.Text("Hello from Bedrock"));
        ChatCompletion c = client.chat().completions().create(hello("claude"));
        assertThat(c.choices().get(0).message().content()).contains("Hello from Bedrock");
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().get().promptTokens()).isEqualTo(12 + 3 + 2); // input + cache read + cache write
        assertThat(c.usage().get().completionTokens()).isEqualTo(3);
        assertThat(c.usage().get().promptTokensDetails().get().cachedTokens()).contains(3L);

        Recorded r = fake.last();
        assertThat(r.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertThat(r.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrock.ACCESS_KEY + "/");
        assertThat(r.json()).isEqualTo(Json.parse("""
                {"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."}],
                 "inferenceConfig":{"maxTokens":50,"temperature":0.2}}"""));
    }

    @Test
    void streamDecodesEventStreamFramesSplitAcrossReads() {
        fake.scenario(new Scenario.Text("one two three four"));
        StringBuilder text = new StringBuilder();
        String finish = null;
        long completion = -1;
        ChatCompletionCreateParams p = hello("claude").toBuilder()
                .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(p)) {
            for (ChatCompletionChunk ch : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : ch.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    if (choice.finishReason().isPresent()) finish = choice.finishReason().get().asString();
                }
                if (ch.usage().isPresent()) completion = ch.usage().get().completionTokens();
            }
        }
        assertThat(text.toString()).isEqualTo("one two three four");
        assertThat(finish).isEqualTo("stop");
        assertThat(completion).isEqualTo(4);
        assertThat(fake.last().path()).endsWith("/converse-stream");
    }

    @Test
    void toolCallRoundTrip() {
        fake.scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\"}"));
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("claude").addUserMessage("Weather in Paris?")
                .addTool(com.openai.models.chat.completions.ChatCompletionFunctionTool.builder().function(
                        com.openai.models.FunctionDefinition.builder().name("get_weather").description("Weather in a city")
                                .parameters(com.openai.models.FunctionParameters.builder()
                                        .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                                        .putAdditionalProperty("properties", com.openai.core.JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                        .build()).build()).build())
                .build();
        ChatCompletion c = client.chat().completions().create(first);
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageToolCall call = c.choices().get(0).message().toolCalls().get().get(0);
        assertThat(call.asFunction().id()).isEqualTo("tooluse_Abc123");
        assertThat(Json.parse(call.asFunction().function().arguments())).isEqualTo(Json.parse("{\"city\":\"Paris\"}"));
        JsonNode sent = fake.last().json();
        assertThat(sent.path("toolConfig").path("tools").get(0).path("toolSpec").path("name").asText()).isEqualTo("get_weather");

        // The second turn: OpenAI's tool message becomes a toolResult in a user turn; an id Bedrock refuses is rewritten.
        fake.scenario(new Scenario.Text("Sunny in Paris"));
        String body = """
                {"model":"claude","messages":[
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"functions.get_weather:0","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"functions.get_weather:0","content":"sunny"},
                  {"role":"user","content":"Thanks"}]}""";
        var resp = gw.post("/v1/chat/completions", body);
        assertThat(resp.statusCode()).isEqualTo(200);
        JsonNode second = fake.last().json();
        assertThat(second.path("messages")).hasSize(3); // user, assistant, user (tool result + "Thanks" merged)
        assertThat(second.path("messages").get(1).path("content").get(0).path("toolUse").path("toolUseId").asText())
                .isEqualTo("functions_get_weather_0");
        JsonNode lastTurn = second.path("messages").get(2).path("content");
        assertThat(lastTurn.get(0).path("toolResult").path("toolUseId").asText()).isEqualTo("functions_get_weather_0");
        assertThat(lastTurn.get(1).path("text").asText()).isEqualTo("Thanks");
        // Tool blocks in the history need a toolConfig, though this request declared no tools.
        assertThat(second.path("toolConfig").path("tools").get(0).path("toolSpec").path("name").asText()).isEqualTo("get_weather");
    }

    @Test
    void embeddingsTitanAndCohere() {
        CreateEmbeddingResponse titan = client.embeddings().create(EmbeddingCreateParams.builder().model("titan")
                .inputOfArrayOfStrings(java.util.List.of("hello world", "abc")).dimensions(4).build());
        assertThat(titan.data()).hasSize(2);
        assertThat(titan.data().get(0).embedding()).hasSize(4).first().isEqualTo(11.0f);
        assertThat(titan.data().get(1).embedding().get(0)).isEqualTo(3.0f);
        assertThat(titan.usage().promptTokens()).isEqualTo(3);
        assertThat(fake.last().path()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");

        CreateEmbeddingResponse cohere = client.embeddings().create(EmbeddingCreateParams.builder().model("cohere-embed")
                .inputOfArrayOfStrings(java.util.List.of("a", "bbbb")).build());
        assertThat(cohere.data()).hasSize(2);
        assertThat(cohere.data().get(1).embedding().get(1)).isEqualTo(4.0f);
        assertThat(fake.last().json().path("input_type").asText()).isEqualTo("search_document");
    }

    @Test
    void throttlingIs429WithRetryAfter() {
        fake.scenario(new Scenario.Error(429));
        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.chat().completions().create(hello("claude")));
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.headers().values("retry-after")).isNotEmpty();
        assertThat(e.getMessage()).contains("Too many requests");
    }

    @Test
    void wrongSecretIsAwsSignatureMismatchSurfacedAs403WithoutTheSecret() {
        PermissionDeniedException e = catchThrowableOfType(PermissionDeniedException.class,
                () -> client.chat().completions().create(hello("claude-wrong-secret")));
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.getMessage()).contains("signature we calculated does not match").contains("aws_secret_access_key")
                .doesNotContain("not-the-secret-0123456789");
    }

    @Test
    void accessDeniedNamesThePermissionAndModelNotEnabledSaysSo() {
        fake.scenario(new Scenario.Error(403));
        PermissionDeniedException denied = catchThrowableOfType(PermissionDeniedException.class,
                () -> client.chat().completions().create(hello("claude")));
        assertThat(denied.getMessage()).contains("bedrock:InvokeModel");
        fake.scenario(new Scenario.Error(403, "model_not_enabled"));
        PermissionDeniedException notEnabled = catchThrowableOfType(PermissionDeniedException.class,
                () -> client.chat().completions().create(hello("claude")));
        assertThat(notEnabled.getMessage()).contains("not enabled").contains("Model access");
    }

    @Test
    void credentialsFromTheDefaultChainRegionAndEndpointFromTheEnvironment() {
        ChatCompletion c = client.chat().completions().create(hello("claude-chain"));
        assertThat(c.choices().get(0).message().content()).isPresent();
        assertThat(fake.last().headers().get("authorization")).contains("/us-east-1/bedrock/aws4_request");
    }

    @Test
    void bedrockApiKeyIsSentAsBearer() {
        client.chat().completions().create(hello("claude-api-key"));
        assertThat(fake.last().headers().get("authorization")).isEqualTo("Bearer " + FakeBedrock.BEARER);
    }

    /**
     * Assumed-role credentials come from a slow STS and last 10 s, so they are refreshed halfway: only the first request
     * waits for STS; once the refresh is due, requests still sign with the cached credentials at once while the refresh
     * runs on a worker thread, and the next credentials take over when it is done.
     */
    @Test
    void assumeRoleRefreshesOnAWorkerWhileRequestsUseTheCache() throws InterruptedException {
        fake.sts(1500, 10);
        long t0 = System.nanoTime();
        client.chat().completions().create(hello("claude-role"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(fake.stsCalls()).isEqualTo(1);
        assertThat(fake.last().headers().get("authorization")).contains("Credential=ASIAFAKEROLE1/");
        assertThat(fake.last().headers().get("x-amz-security-token")).isEqualTo("role-session-token-1");
        assertThat(fake.requests().get(0).body().toString()).contains("RoleSessionName=gw-session");

        client.chat().completions().create(hello("claude-role"));
        assertThat(fake.stsCalls()).isEqualTo(1); // not due yet
        Thread.sleep(4_500); // ~8.5 s were left at the first answer: the refresh is due after ~4.25 s
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            client.chat().completions().create(hello("claude-role"));
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(1000));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            client.chat().completions().create(hello("claude-role"));
            assertThat(fake.last().headers().get("authorization")).doesNotContain("Credential=ASIAFAKEROLE1/");
        });
        assertThat(fake.stsCalls()).isGreaterThanOrEqualTo(2);
    }
}
