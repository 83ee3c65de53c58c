package dev.aigateway.contract;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.fakes.FakeVertex;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One contract, every provider: the official OpenAI and Anthropic SDKs talk to a real gateway whose
 * models are served by each provider's wire-format fake. The same assertions must hold whichever
 * provider answers; a provider that needs a special case here has a translation bug.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderContractTest {
    static final String TEXT = "The contract answer is forty-two.";
    List<ProviderFixture> fixtures;
    TestGateway gw;
    OpenAIClient openAi;
    AnthropicClient anthropic;

    @BeforeAll
    void start() {
        fixtures = ProviderFixture.all();
        StringBuilder yaml = new StringBuilder("model_list:\n");
        fixtures.forEach(f -> yaml.append(f.configEntries()));
        // This suite checks translation and error mapping of single calls: no retries, no cooldowns (RouterTest covers those).
        yaml.append("router_settings:\n  num_retries: 0\n  allowed_fails: 100000\n");
        gw = TestGateway.start(yaml.toString());
        openAi = gw.openAi();
        anthropic = AnthropicOkHttpClient.builder().apiKey(TestGateway.MASTER_KEY).baseUrl(gw.baseUrl()).maxRetries(0).build();
    }

    @AfterAll
    void stop() {
        gw.close();
        fixtures.forEach(f -> f.fake().close());
    }

    @BeforeEach
    void resetFakes() {
        fixtures.forEach(f -> f.fake().reset());
    }

    List<ProviderFixture> providers() {
        return fixtures;
    }

    static ChatCompletionCreateParams.Builder ask(ProviderFixture p) {
        return ChatCompletionCreateParams.builder().model(p.name()).addSystemMessage("Be brief.").addUserMessage("What is the answer?");
    }

    static FunctionDefinition weather() {
        return FunctionDefinition.builder().name("get_weather").description("Current weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build())
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void chat(ProviderFixture p) {
        p.fake().scenario(new Scenario.Text(TEXT));
        ChatCompletion c = openAi.chat().completions().create(ask(p).build());
        assertThat(c.choices().get(0).message().content()).hasValue(TEXT);
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().orElseThrow().promptTokens()).isPositive();
        assertThat(p.fake().requests()).hasSize(1);
        assertThat(p.fake().last().body().toString()).contains("Be brief.").contains("What is the answer?").doesNotContain(TestGateway.MASTER_KEY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void streamWithUsage(ProviderFixture p) {
        p.fake().scenario(new Scenario.Text(TEXT));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (var s = openAi.chat().completions().createStreaming(ask(p)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunks::add);
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream()).map(ch -> ch.delta().content().orElse("")).reduce("", String::concat);
        assertThat(text).isEqualTo(TEXT);
        assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).map(ch -> ch.finishReason().orElse(null)))
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void streamWithoutUsageShowsNoUsage(ProviderFixture p) {
        p.fake().scenario(new Scenario.Text(TEXT));
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (var s = openAi.chat().completions().createStreaming(ask(p).build())) {
            s.stream().forEach(chunks::add);
        }
        assertThat(chunks).isNotEmpty().allSatisfy(c -> assertThat(c.usage()).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void toolCall(ProviderFixture p) {
        p.fake().scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\"}"));
        ChatCompletion c = openAi.chat().completions().create(ask(p).addFunctionTool(weather()).build());
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        var call = c.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Json.parse(call.function().arguments())).isEqualTo(Json.parse("{\"city\":\"Paris\"}"));
        assertThat(p.fake().last().body().toString()).contains("get_weather").contains("city");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void toolCallStreamed(ProviderFixture p) {
        p.fake().scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\"}"));
        StringBuilder args = new StringBuilder();
        List<String> names = new ArrayList<>();
        try (var s = openAi.chat().completions().createStreaming(ask(p).addFunctionTool(weather()).build())) {
            s.stream().flatMap(c -> c.choices().stream()).flatMap(ch -> ch.delta().toolCalls().orElse(List.of()).stream())
                    .forEach(tc -> tc.function().ifPresent(f -> {
                        f.name().ifPresent(names::add);
                        f.arguments().ifPresent(args::append);
                    }));
        }
        assertThat(names).containsExactly("get_weather");
        assertThat(Json.parse(args.toString())).isEqualTo(Json.parse("{\"city\":\"Paris\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void multiTurnWithToolResult(ProviderFixture p) {
        p.fake().scenario(new Scenario.ToolCall("get_weather", "{\"city\":\"Paris\"}"));
        ChatCompletion first = openAi.chat().completions().create(ask(p).addFunctionTool(weather()).build());
        var call = first.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        p.fake().scenario(new Scenario.Text("It is 21 degrees in Paris."));
        ChatCompletion second = openAi.chat().completions().create(ask(p).addFunctionTool(weather())
                .addMessage(ChatCompletionAssistantMessageParam.builder().addToolCall(call).build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("{\"temperature_c\": 21}").build())
                .build());
        assertThat(second.choices().get(0).message().content()).hasValue("It is 21 degrees in Paris.");
        String sent = p.fake().last().body().toString();
        assertThat(sent).contains("temperature_c").contains("get_weather");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void anthropicSdkThroughMessagesApi(ProviderFixture p) {
        p.fake().scenario(new Scenario.Text(TEXT));
        MessageCreateParams params = MessageCreateParams.builder().model(p.name()).maxTokens(200).system("Be brief.")
                .addUserMessage("What is the answer?").build();
        Message m = anthropic.messages().create(params);
        assertThat(m.content().get(0).text().orElseThrow().text()).isEqualTo(TEXT);
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
        // translated answers name the model the client asked for; an anthropic/ deployment's answer is Anthropic's own,
        // passed through unchanged (it names the upstream model id)
        assertThat(m.model().asString()).isEqualTo(p.fake() instanceof FakeAnthropic ? "claude-sonnet-4-5"
                : p.fake() instanceof FakeVertex ? ProviderFixture.VERTEX_CLAUDE : p.name());

        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(params)) {
            s.stream().forEach(acc::accumulate);
        }
        Message streamed = acc.message();
        assertThat(streamed.content().get(0).text().orElseThrow().text()).isEqualTo(TEXT);
        assertThat(streamed.usage().outputTokens()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void providerErrorsMapToTheTable(ProviderFixture p) {
        record Case(Scenario scenario, int status, String type, String code) {}
        List<Case> cases = List.of(
                new Case(new Scenario.Error(400, "context_length"), 400, "invalid_request_error", "context_length_exceeded"),
                new Case(new Scenario.Error(429), 429, "rate_limit_error", "rate_limit_exceeded"),
                new Case(new Scenario.Error(500), 502, "api_error", null),
                new Case(new Scenario.Error(p.overloadedStatus()), 503, "service_unavailable", null));
        for (Case c : cases) {
            p.fake().scenario(c.scenario());
            for (boolean stream : new boolean[]{false, true}) {
                var r = gw.post("/v1/chat/completions", "{\"model\":\"" + p.name() + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(r.statusCode()).as(p.name() + " " + c + " stream=" + stream + ": " + r.body()).isEqualTo(c.status());
                JsonNode e = TestGateway.json(r).path("error");
                assertThat(e.path("type").asText()).as(r.body()).isEqualTo(c.type());
                if (c.code() != null) assertThat(e.path("code").asText()).as(r.body()).isEqualTo(c.code());
                assertThat(e.path("message").asText()).as("names the provider").contains(p.name().equals("azure") ? "azure" : p.name());
                if (c.status() == 429) assertThat(r.headers().firstValue("retry-after")).isPresent();
            }
        }
        assertThatThrownBy(() -> openAi.chat().completions().create(ask(p).build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, ex -> assertThat(ex.statusCode()).isEqualTo(503));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void rejectedProviderKeyIs401(ProviderFixture p) {
        var r = gw.post("/v1/chat/completions", "{\"model\":\"" + p.name() + "-badkey\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(TestGateway.json(r).path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(r.body()).doesNotContain("wrong-key");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void streamCutMidWayEndsWithAnErrorEventAndDone(ProviderFixture p) {
        p.fake().scenario(new Scenario.CutStream(2));
        var r = gw.post("/v1/chat/completions", "{\"model\":\"" + p.name() + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"error\"").endsWith("data: [DONE]\n\n");
        assertThat(r.body()).doesNotContain("\"finish_reason\":\"stop\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void upstreamTimeoutIs408(ProviderFixture p) {
        p.fake().scenario(new Scenario.Hang());
        var r = gw.post("/v1/chat/completions", "{\"model\":\"" + p.name() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(408);
        assertThat(TestGateway.json(r).path("error").path("type").asText()).isEqualTo("timeout");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void clientDisconnectCancelsTheUpstreamCall(ProviderFixture p) throws Exception {
        p.fake().scenario(new Scenario.Hang());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var pending = client.sendAsync(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + p.name() + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> p.fake().requests().size() == 1);
        pending.cancel(true);
        client.shutdownNow();
        await().atMost(Duration.ofSeconds(5)).until(() -> p.fake().disconnects() >= 1);
    }
}
