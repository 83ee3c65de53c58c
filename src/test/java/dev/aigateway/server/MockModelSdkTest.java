package dev.aigateway.server;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.aigateway.core.Json;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The official OpenAI Java SDK against a gateway serving the built-in mock provider. */
class MockModelSdkTest {
    static TestGateway gw;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params:
                      model: mock/mock-gpt
                  - model_name: mock-embed
                    litellm_params:
                      model: mock/mock-embedding
                """);
        client = gw.openAi();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static ChatCompletionCreateParams.Builder hello() {
        return ChatCompletionCreateParams.builder().model("mock").addUserMessage("Hello gateway");
    }

    static FunctionDefinition weatherTool() {
        return FunctionDefinition.builder().name("get_weather").description("Weather for a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build();
    }

    @Test
    void nonStreamingChat() {
        ChatCompletion c = client.chat().completions().create(hello().build());
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().get(0).message().content()).contains("Hello from the mock model! You said: Hello gateway");
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage()).isPresent();
        assertThat(c.usage().get().promptTokens()).isPositive();
        assertThat(c.usage().get().totalTokens()).isEqualTo(c.usage().get().promptTokens() + c.usage().get().completionTokens());
    }

    @Test
    void streamingChatWithoutUsageHidesUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(hello().build())) {
            s.stream().forEach(chunks::add);
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream()).map(ch -> ch.delta().content().orElse("")).reduce("", String::concat);
        assertThat(text).isEqualTo("Hello from the mock model! You said: Hello gateway");
        assertThat(chunks).allSatisfy(c -> assertThat(c.usage()).isEmpty());
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    }

    @Test
    void streamingChatWithUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        var params = hello().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            s.stream().forEach(chunks::add);
        }
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).isPresent();
        assertThat(last.usage().get().completionTokens()).isPositive();
    }

    @Test
    void toolCallNonStreaming() {
        ChatCompletion c = client.chat().completions().create(hello().addFunctionTool(weatherTool()).build());
        var msg = c.choices().get(0).message();
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = msg.toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Json.parse(call.function().arguments()).path("city").asText()).isEqualTo("mock");
    }

    @Test
    void toolCallStreamingReassembles() {
        StringBuilder args = new StringBuilder();
        List<String> names = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(hello().addFunctionTool(weatherTool()).build())) {
            s.stream().flatMap(c -> c.choices().stream()).flatMap(ch -> ch.delta().toolCalls().orElse(List.of()).stream())
                    .forEach(tc -> tc.function().ifPresent(f -> {
                        f.name().ifPresent(names::add);
                        f.arguments().ifPresent(args::append);
                    }));
        }
        assertThat(names).containsExactly("get_weather");
        assertThat(Json.parse(args.toString()).path("city").asText()).isEqualTo("mock");
    }

    @Test
    void multiTurnWithToolResultGetsText() {
        ChatCompletion first = client.chat().completions().create(hello().addFunctionTool(weatherTool()).build());
        var call = first.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        ChatCompletion second = client.chat().completions().create(hello().addFunctionTool(weatherTool())
                .addMessage(ChatCompletionAssistantMessageParam.builder().addToolCall(call).build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("{\"temp\": 21}").build())
                .build());
        assertThat(second.choices().get(0).message().content()).isPresent();
        assertThat(second.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
    }

    @Test
    void embeddingsFloatAndBase64Agree() {
        CreateEmbeddingResponse floats = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("mock-embed").input("the same text").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        // The SDK asks for base64 by default and decodes it: the vectors must be the same floats.
        CreateEmbeddingResponse b64 = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("mock-embed").input("the same text").build());
        List<Float> a = floats.data().get(0).embedding();
        List<Float> b = b64.data().get(0).embedding();
        assertThat(a).hasSize(256).isEqualTo(b);
        var raw = gw.post("/v1/embeddings", "{\"model\":\"mock-embed\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\",\"dimensions\":8}");
        var data = TestGateway.json(raw).path("data");
        assertThat(data).hasSize(2);
        assertThat(java.util.Base64.getDecoder().decode(data.get(1).path("embedding").asText())).hasSize(8 * 4);
    }

    @Test
    void legacyCompletions() {
        Completion c = client.completions().create(CompletionCreateParams.builder().model("mock").prompt("Say hi").build());
        assertThat(c.choices().get(0).text()).contains("You said: Say hi");
        var raw = gw.post("/completions", "{\"model\":\"mock\",\"prompt\":\"Say hi\",\"stream\":true}");
        assertThat(raw.body()).contains("\"object\":\"text_completion\"").contains(" hi").endsWith("data: [DONE]\n\n");
    }

    @Test
    void listsAndGetsModels() {
        var models = client.models().list();
        assertThat(models.data()).extracting(m -> m.id()).containsExactly("mock", "mock-embed");
        assertThat(client.models().retrieve("mock").id()).isEqualTo("mock");
    }

    @Test
    void langchain4jSmoke() {
        var model = dev.langchain4j.model.openai.OpenAiChatModel.builder().baseUrl(gw.baseUrl() + "/v1")
                .apiKey(TestGateway.MASTER_KEY).modelName("mock").build();
        assertThat(model.chat("Hi from langchain4j")).contains("You said: Hi from langchain4j");
    }
}
