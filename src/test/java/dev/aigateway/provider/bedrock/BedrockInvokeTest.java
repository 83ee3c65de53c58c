package dev.aigateway.provider.bedrock;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeBedrock;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claude on Bedrock through InvokeModel: {@code /v1/messages} clients passed through (the Anthropic SDK), and
 * {@code bedrock/invoke/} chats translated (the OpenAI SDK); other Bedrock models on {@code /v1/messages} take Converse.
 */
class BedrockInvokeTest {
    private static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
    private static FakeBedrock fake;
    private static TestGateway gw;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void start() {
        fake = new FakeBedrock();
        String creds = """
                      aws_access_key_id: %s
                      aws_secret_access_key: %s
                      aws_region_name: us-east-1
                      aws_bedrock_runtime_endpoint: %s
                """.formatted(FakeBedrock.ACCESS_KEY, FakeBedrock.SECRET, fake.host());
        gw = TestGateway.start("model_list:\n"
                + "  - model_name: claude\n    litellm_params:\n      model: bedrock/" + CLAUDE + "\n" + creds
                + "  - model_name: claude-invoke\n    litellm_params:\n      model: bedrock/invoke/" + CLAUDE + "\n" + creds
                + "  - model_name: nova\n    litellm_params:\n      model: bedrock/amazon.nova-lite-v1:0\n" + creds);
        anthropic = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl()).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        gw.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static MessageCreateParams params(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage("Hi")
                .putAdditionalHeader("anthropic-beta", "context-1m-2025-08-07,interleaved-thinking-2025-05-14").build();
    }

    @Test
    void messagesPassThroughInvokeModelWithBedrocksBodyRules() {
        fake.scenario(new Scenario.Text("Hello via invoke"));
        Message m = anthropic.messages().create(params("claude"));
        assertThat(m.content().get(0).text().get().text()).isEqualTo("Hello via invoke");
        assertThat(m.usage().cacheReadInputTokens()).contains(4L);

        assertThat(fake.last().path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
        JsonNode sent = fake.last().json();
        assertThat(sent.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(sent.path("anthropic_beta")).isEqualTo(Json.parse("[\"context-1m-2025-08-07\",\"interleaved-thinking-2025-05-14\"]"));
        assertThat(sent.has("model")).isFalse();
        assertThat(sent.has("stream")).isFalse();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(100);
        assertThat(fake.last().headers().get("anthropic-beta")).isNull();
    }

    @Test
    void messagesStreamPassesClaudesEventsThrough() {
        fake.scenario(new Scenario.Text("one two three"));
        StringBuilder text = new StringBuilder();
        List<String> seen = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(params("claude"))) {
            s.stream().forEach(e -> {
                e.messageStart().ifPresent(x -> seen.add("message_start"));
                e.messageStop().ifPresent(x -> seen.add("message_stop"));
                e.contentBlockDelta().ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text())));
            });
        }
        assertThat(text.toString()).isEqualTo("one two three");
        assertThat(seen).containsExactly("message_start", "message_stop");
        assertThat(fake.last().path()).endsWith("%3A0/invoke-with-response-stream");
        assertThat(fake.last().json().has("stream")).isFalse();
    }

    @Test
    void invokeRouteChatsThroughTheAnthropicTranslation() {
        fake.scenario(new Scenario.Text("Invoked answer"));
        var openAi = gw.openAi();
        ChatCompletion c = openAi.chat().completions().create(ChatCompletionCreateParams.builder().model("claude-invoke")
                .addSystemMessage("Be brief.").addUserMessage("Hi").build());
        assertThat(c.choices().get(0).message().content()).contains("Invoked answer");
        JsonNode sent = fake.last().json();
        assertThat(fake.last().path()).endsWith("%3A0/invoke");
        assertThat(sent.path("system").toString()).contains("Be brief.");
        assertThat(sent.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(sent.has("model")).isFalse();

        StringBuilder streamed = new StringBuilder();
        try (var s = openAi.chat().completions().createStreaming(ChatCompletionCreateParams.builder().model("claude-invoke")
                .addUserMessage("Hi").build())) {
            for (ChatCompletionChunk ch : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                ch.choices().forEach(choice -> choice.delta().content().ifPresent(streamed::append));
            }
        }
        assertThat(streamed.toString()).isEqualTo("Invoked answer");
        assertThat(fake.last().path()).endsWith("/invoke-with-response-stream");
    }

    @Test
    void messagesToANonClaudeModelGoThroughConverse() {
        fake.scenario(new Scenario.Text("Nova here"));
        Message m = anthropic.messages().create(params("nova"));
        assertThat(m.content().get(0).text().get().text()).isEqualTo("Nova here");
        assertThat(fake.last().path()).isEqualTo("/model/amazon.nova-lite-v1%3A0/converse");
    }
}
