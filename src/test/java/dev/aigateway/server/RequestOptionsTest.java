package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LiteLLM's request options through a real gateway in front of a fake OpenAI: {@code mock_response} (answers and
 * LiteLLM's error names, streamed and not), {@code mock_testing_fallbacks}, {@code mock_testing_rate_limit_error},
 * {@code mock_timeout} and a request's own {@code timeout}. A mocked request is routed, admitted and billed like
 * any other; the upstream is never called for a mocked attempt.
 */
class RequestOptionsTest {
    static final String KEY = "sk-upstream";
    static FakeOpenAi fake;
    static FakeOpenAi backup;
    static TestGateway gw;

    @BeforeAll
    static void start() {
        fake = new FakeOpenAi(KEY);
        backup = new FakeOpenAi(KEY);
        gw = TestGateway.start("model_list:\n" + openai("gpt", "gpt-1", fake, 10) + openai("gpt", "gpt-2", fake, 10)
                + openai("slow", "slow-1", fake, 1) + openai("patient", "patient-1", fake, 10) + openai("backup", "backup-1", backup, 10)
                + "router_settings:\n  num_retries: 1\n  allowed_fails: 100\n  fallbacks: [{\"gpt\": [\"backup\"]}]\n");
    }

    static String openai(String name, String id, FakeOpenAi f, int timeoutSeconds) {
        return "  - model_name: " + name + "\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: " + f.openAiBase()
                + "\n      api_key: " + KEY + "\n      timeout: " + timeoutSeconds + "\n    model_info: {id: " + id + "}\n";
    }

    @AfterAll
    static void stop() {
        gw.close();
        fake.close();
        backup.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
        backup.reset();
        fake.scenario(new Scenario.Text("from the upstream"));
        backup.scenario(new Scenario.Text("from the backup"));
    }

    static HttpResponse<String> chat(String model, String extra, String requestId) {
        return TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}")).build());
    }

    static String content(HttpResponse<String> r) {
        return TestGateway.json(r).path("choices").get(0).path("message").path("content").asText();
    }

    @Test
    void mockResponseAnswersWithoutCallingTheUpstreamAndIsBilled() {
        HttpResponse<String> r = chat("gpt", ",\"mock_response\":\"This is a mock answer\"", "opt-mock-1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(content(r)).isEqualTo("This is a mock answer");
        assertThat(fake.requests()).isEmpty();
        JsonNode row = gw.spendRowOf("opt-mock-1");
        assertThat(row.path("model_group").asText()).isEqualTo("gpt");
        assertThat(row.path("status").asText()).isEqualTo("success");
        assertThat(row.path("total_tokens").asLong()).isPositive();
        assertThat(row.path("spend").asDouble()).as("priced as the deployment's model").isPositive();
    }

    @Test
    void mockResponseStreamsThroughTheSdk() {
        OpenAIClient client = gw.openAi();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt").addUserMessage("hi")
                .putAdditionalBodyProperty("mock_response", JsonValue.from("streamed mock words")).build();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertThat(text.toString()).isEqualTo("streamed mock words");
        ChatCompletion plain = client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt").addUserMessage("hi")
                .putAdditionalBodyProperty("mock_response", JsonValue.from("plain mock")).build());
        assertThat(plain.choices().get(0).message().content()).contains("plain mock");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void mockResponseAnswersOnTheMessagesAndResponsesApisToo() {
        HttpResponse<String> messages = gw.post("/v1/messages", "{\"model\":\"gpt\",\"max_tokens\":50,\"mock_response\":\"mocked message\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(messages.statusCode()).as(messages.body()).isEqualTo(200);
        assertThat(TestGateway.json(messages).path("content").get(0).path("text").asText()).isEqualTo("mocked message");
        HttpResponse<String> responses = gw.post("/v1/responses", "{\"model\":\"gpt\",\"store\":false,\"input\":\"hi\","
                + "\"mock_response\":\"mocked response\"}");
        assertThat(responses.statusCode()).as(responses.body()).isEqualTo(200);
        assertThat(responses.body()).contains("mocked response");
        HttpResponse<String> streamed = gw.post("/v1/messages", "{\"model\":\"gpt\",\"max_tokens\":50,\"stream\":true,"
                + "\"mock_response\":\"mocked stream\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("mocked").contains("message_stop");
        assertThat(fake.requests()).as("an openai/ deployment would take /v1/responses natively: the mock stands in").isEmpty();
    }

    @Test
    void mockResponseErrorNamesAreLiteLlmsErrors() {
        HttpResponse<String> limited = chat("gpt", ",\"mock_response\":\"litellm.RateLimitError\",\"num_retries\":0,\"fallbacks\":[]", "opt-mock-429");
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(TestGateway.json(limited).path("error").path("type").asText()).isEqualTo("rate_limit_error");
        HttpResponse<String> context = chat("gpt", ",\"mock_response\":\"litellm.ContextWindowExceededError\",\"num_retries\":0", "opt-mock-ctx");
        assertThat(context.statusCode()).as(context.body()).isEqualTo(400);
        assertThat(TestGateway.json(context).path("error").path("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(fake.requests()).isEmpty();
        assertThat(gw.spendRowOf("opt-mock-429").path("status").asText()).isEqualTo("failure");
    }

    @Test
    void mockTestingFallbacksAnswersFromTheConfiguredFallback() {
        HttpResponse<String> r = chat("gpt", ",\"mock_testing_fallbacks\":true", "opt-fb");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(content(r)).isEqualTo("from the backup");
        assertThat(r.headers().firstValue("x-gateway-fallback")).contains("backup");
        assertThat(fake.requests()).as("the group asked for is failed without a call").isEmpty();
        assertThat(backup.requests()).hasSize(1);
        assertThat(backup.lastCall().json().has("mock_testing_fallbacks")).as("never sent upstream").isFalse();
    }

    @Test
    void mockTestingRateLimitErrorIsRetried() {
        HttpResponse<String> r = chat("gpt", ",\"mock_testing_rate_limit_error\":true", "opt-rl");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(content(r)).isEqualTo("from the upstream");
        assertThat(r.headers().firstValue("x-gateway-attempts")).contains("2");
        assertThat(r.headers().firstValue("x-litellm-attempted-retries")).contains("1");
        assertThat(fake.requests()).hasSize(1);
        assertThat(fake.lastCall().json().has("mock_testing_rate_limit_error")).isFalse();
    }

    @Test
    void mockTimeoutTimesOutAfterTheRequestsTimeout() {
        long t0 = System.nanoTime();
        HttpResponse<String> r = chat("slow", ",\"mock_timeout\":true,\"timeout\":0.3,\"num_retries\":0", "opt-mock-timeout");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(408);
        assertThat(TestGateway.json(r).path("error").path("type").asText()).isEqualTo("timeout");
        assertThat(ms).isBetween(250L, 5_000L);
        assertThat(r.headers().firstValue("x-litellm-timeout")).contains("0.3");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aRequestsTimeoutCutsASlowUpstream() {
        fake.scenario(new Scenario.Hang());
        long t0 = System.nanoTime();
        HttpResponse<String> r = chat("patient", ",\"timeout\":0.5,\"num_retries\":0", "opt-timeout");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(408);
        assertThat(ms).as("the deployment's own timeout is 10 s").isBetween(400L, 5_000L);
        assertThat(fake.requests()).hasSize(1);
        assertThat(fake.lastCall().json().has("timeout")).as("the gateway's field, not the provider's").isFalse();
    }

    @Test
    void aRequestsTimeoutCutsAStreamBeforeItStarts() {
        fake.scenario(new Scenario.Hang());
        long t0 = System.nanoTime();
        HttpResponse<String> r = chat("patient", ",\"stream\":true,\"timeout\":0.5,\"num_retries\":0", "opt-timeout-stream");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(408);
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(400L, 5_000L);
    }

    @Test
    void aStreamThatTimesOutFallsBackCleanly() {
        fake.scenario(new Scenario.Hang());
        HttpResponse<String> r = chat("gpt", ",\"stream\":true,\"timeout\":0.5,\"num_retries\":0", "opt-timeout-fallback");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).as("the timed-out attempt's reset never reaches the fallback's stream").contains("backup")
                .doesNotContain("error").endsWith("data: [DONE]\n\n");
        assertThat(r.headers().firstValue("x-gateway-fallback")).contains("backup");
    }

    @Test
    void aRequestsTimeoutNeverLengthensTheDeployments() {
        fake.scenario(new Scenario.Hang());
        long t0 = System.nanoTime();
        HttpResponse<String> r = chat("slow", ",\"timeout\":30,\"num_retries\":0", "opt-timeout-long");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(408);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("slow's timeout is 1 s").isLessThan(5_000L);
        assertThat(r.headers().firstValue("x-litellm-timeout")).contains("1");
    }

    @Test
    void fakedFailuresNeverCoolADeploymentDown() {
        try (TestGateway strict = TestGateway.start("model_list:\n" + openai("only", "only-1", fake, 10)
                + "router_settings:\n  num_retries: 0\n  allowed_fails: 0\n  cooldown_time: 600\n")) {
            String body = "{\"model\":\"only\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
            for (String faked : new String[] {",\"mock_testing_rate_limit_error\":true", ",\"mock_response\":\"litellm.InternalServerError\""}) {
                HttpResponse<String> r = strict.post("/v1/chat/completions", body + faked + "}");
                assertThat(r.statusCode()).as(r.body()).isIn(429, 502);
            }
            HttpResponse<String> real = strict.post("/v1/chat/completions", body + "}");
            assertThat(real.statusCode()).as("allowed_fails 0: one counted failure would have cooled it down. " + real.body()).isEqualTo(200);
            fake.scenario(new Scenario.Error(500));
            assertThat(strict.post("/v1/chat/completions", body + "}").statusCode()).as("a real failure").isEqualTo(502);
            fake.scenario(new Scenario.Text("from the upstream"));
            assertThat(strict.post("/v1/chat/completions", body + "}").statusCode()).as("a real failure does cool it down").isEqualTo(503);
        }
    }

    @Test
    void badOptionsAreRefusedByName() {
        for (String[] bad : new String[][] {
                {",\"timeout\":0", "timeout"}, {",\"timeout\":\"fast\"", "timeout"}, {",\"timeout\":1e9", "timeout"},
                {",\"mock_response\":{\"a\":1}", "mock_response"}, {",\"mock_timeout\":\"yes\"", "mock_timeout"},
                {",\"mock_testing_fallbacks\":1", "mock_testing_fallbacks"}}) {
            HttpResponse<String> r = chat("gpt", bad[0], "opt-bad");
            assertThat(r.statusCode()).as(bad[0] + " " + r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r).path("error").path("param").asText()).isEqualTo(bad[1]);
        }
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void mockedRequestsPassTheKeysChecks() {
        String key = TestGateway.json(gw.post("/key/generate", "{\"models\":[\"backup\"]}")).path("key").asText();
        HttpResponse<String> r = gw.post("/v1/chat/completions",
                "{\"model\":\"gpt\",\"mock_response\":\"hi\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        String limited = TestGateway.json(gw.post("/key/generate", "{\"rpm_limit\":1}")).path("key").asText();
        String body = "{\"model\":\"gpt\",\"mock_response\":\"hi\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(gw.post("/v1/chat/completions", body, limited).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", body, limited).statusCode()).as("the key's rpm counts mocked requests").isEqualTo(429);
    }
}
