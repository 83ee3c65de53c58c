package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
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

/** The x-litellm-* response headers LiteLLM's clients read, on every LLM route, through a real gateway. */
class LiteLlmHeadersTest {
    static final String KEY = "sk-upstream";
    static FakeOpenAi a;
    static FakeOpenAi b;
    static TestGateway gw;
    static String virtualKey;

    @BeforeAll
    static void start() {
        a = new FakeOpenAi(KEY);
        b = new FakeOpenAi(KEY);
        gw = TestGateway.start("model_list:\n"
                + openai("gpt", "gpt-a", a) + openai("flaky", "flaky-1", a) + openai("flaky", "flaky-2", a) + openai("backup", "backup-b", b)
                + """
                  - model_name: secret-base
                    litellm_params:
                      model: mock/echo
                      api_base: https://alice:s3cr3t-pass@llm.example.com/v1?key=q-secret&sig=abc
                    model_info: {id: secret-base-1}
                  - model_name: broken
                    litellm_params:
                      model: mock/broken
                      mock_error_status: 500
                    model_info: {id: broken-1}
                  - model_name: mock-chat
                    litellm_params:
                      model: mock/mock-gpt
                    model_info: {id: mock-chat-1}
                  - model_name: mock-embed
                    litellm_params:
                      model: mock/mock-embedding
                    model_info: {id: mock-embed-1}
                router_settings:
                  num_retries: 2
                """);
        virtualKey = TestGateway.json(gw.post("/key/generate", "{}")).path("key").asText();
    }

    static String openai(String name, String id, FakeOpenAi fake) {
        return "  - model_name: " + name + "\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: " + fake.openAiBase()
                + "\n      api_key: " + KEY + "\n      timeout: 5\n    model_info: {id: " + id + "}\n";
    }

    @AfterAll
    static void stop() {
        gw.close();
        a.close();
        b.close();
    }

    @BeforeEach
    void reset() {
        a.reset();
        b.reset();
        a.scenario(new Scenario.Text("from A"));
        b.scenario(new Scenario.Text("from B"));
    }

    static HttpResponse<String> chat(String model, String extra) {
        return gw.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}",
                virtualKey);
    }

    static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void aNonStreamedAnswerCarriesEveryHeader() {
        HttpResponse<String> r = chat("gpt", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(header(r, "x-litellm-call-id")).startsWith("req-").isEqualTo(header(r, "x-request-id"));
        assertThat(header(r, "x-litellm-model-id")).isEqualTo("gpt-a");
        assertThat(header(r, "x-litellm-model-api-base")).isEqualTo(a.openAiBase());
        double cost = Double.parseDouble(header(r, "x-litellm-response-cost"));
        assertThat(cost).as("gpt-4o's price for the fake's usage").isGreaterThan(0);
        assertThat(Double.parseDouble(header(r, "x-litellm-key-spend"))).as("the new key's spend with this answer")
                .isGreaterThanOrEqualTo(cost);
        assertThat(header(r, "x-litellm-attempted-retries")).isEqualTo("0");
        assertThat(header(r, "x-litellm-max-retries")).isEqualTo("2");
        assertThat(header(r, "x-litellm-attempted-fallbacks")).isEqualTo("0");
        assertThat(header(r, "x-litellm-timeout")).as("the deployment's timeout, in seconds").isEqualTo("5");
        assertThat(Double.parseDouble(header(r, "x-litellm-overhead-duration-ms"))).isGreaterThanOrEqualTo(0);
        assertThat(header(r, "x-litellm-overhead-duration-ms")).isEqualTo(header(r, "x-gateway-overhead-duration-ms"));
        assertThat(header(r, "x-gateway-model-id")).as("the gateway's own headers stay").isEqualTo("gpt-a");
    }

    @Test
    void theRequestsOwnTimeoutAndRetriesAreReported() {
        HttpResponse<String> r = chat("gpt", ",\"timeout\":2.5,\"num_retries\":1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(header(r, "x-litellm-timeout")).isEqualTo("2.5");
        assertThat(header(r, "x-litellm-max-retries")).isEqualTo("1");
    }

    @Test
    void aStreamCarriesTheHeadersKnownWhenItStarts() {
        HttpResponse<String> r = chat("gpt", ",\"stream\":true");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("from").contains("[DONE]");
        assertThat(header(r, "x-litellm-call-id")).startsWith("req-");
        assertThat(header(r, "x-litellm-model-id")).isEqualTo("gpt-a");
        assertThat(header(r, "x-litellm-model-api-base")).isEqualTo(a.openAiBase());
        assertThat(header(r, "x-litellm-attempted-retries")).isEqualTo("0");
        assertThat(header(r, "x-litellm-key-spend")).isNotNull();
        assertThat(header(r, "x-litellm-response-cost")).as("not known before the stream's head goes out").isNull();
    }

    @Test
    void retriesAreCounted() {
        HttpResponse<String> r = chat("flaky", ",\"mock_testing_rate_limit_error\":true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(header(r, "x-litellm-attempted-retries")).isEqualTo("1");
        assertThat(header(r, "x-litellm-max-retries")).isEqualTo("2");
        assertThat(header(r, "x-litellm-attempted-fallbacks")).isEqualTo("0");
        assertThat(a.calls()).as("the failed first attempt was the mock's; the retry reached the upstream").hasSize(1);
    }

    @Test
    void fallbacksAreCounted() {
        HttpResponse<String> r = chat("gpt", ",\"mock_testing_fallbacks\":true,\"fallbacks\":[\"backup\"]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestGateway.json(r).path("choices").get(0).path("message").path("content").asText()).isEqualTo("from B");
        assertThat(header(r, "x-litellm-attempted-fallbacks")).isEqualTo("1");
        assertThat(header(r, "x-litellm-model-id")).isEqualTo("backup-b");
        assertThat(header(r, "x-litellm-model-api-base")).isEqualTo(b.openAiBase());
        assertThat(a.calls()).as("the group asked for failed without a call").isEmpty();
    }

    @Test
    void theApiBaseHeaderNeverCarriesCredentials() {
        HttpResponse<String> r = chat("secret-base", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String base = header(r, "x-litellm-model-api-base");
        assertThat(base).isEqualTo("https://llm.example.com/v1");
        for (String secret : new String[] {"alice", "s3cr3t", "q-secret", "sig", "key="}) {
            assertThat(r.headers().map().toString()).as("no credential in any header").doesNotContain(secret);
        }
    }

    @Test
    void anErrorCarriesWhatIsKnown() {
        HttpResponse<String> r = chat("broken", ",\"num_retries\":1");
        assertThat(r.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(header(r, "x-litellm-call-id")).startsWith("req-");
        assertThat(header(r, "x-litellm-model-id")).isEqualTo("broken-1");
        assertThat(header(r, "x-litellm-attempted-retries")).isEqualTo("1");
        assertThat(header(r, "x-litellm-max-retries")).isEqualTo("1");
    }

    @Test
    void everyLlmRouteCarriesThem() {
        String[][] calls = {
                {"/v1/completions", "{\"model\":\"mock-chat\",\"prompt\":\"hi\"}", "mock-chat-1"},
                {"/v1/embeddings", "{\"model\":\"mock-embed\",\"input\":\"hi\"}", "mock-embed-1"},
                {"/v1/messages", "{\"model\":\"mock-chat\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "mock-chat-1"},
                {"/v1/responses", "{\"model\":\"mock-chat\",\"input\":\"hi\",\"store\":false}", "mock-chat-1"},
                {"/v1/responses", "{\"model\":\"mock-chat\",\"input\":\"hi\",\"store\":false,\"stream\":true}", "mock-chat-1"},
                {"/v1/messages", "{\"model\":\"mock-chat\",\"max_tokens\":20,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "mock-chat-1"},
        };
        for (String[] c : calls) {
            HttpResponse<String> r = gw.post(c[0], c[1], virtualKey);
            assertThat(r.statusCode()).as(c[0] + " " + r.body()).isEqualTo(200);
            assertThat(header(r, "x-litellm-call-id")).as(c[0]).startsWith("req-");
            assertThat(header(r, "x-litellm-model-id")).as(c[0]).isEqualTo(c[2]);
            assertThat(header(r, "x-litellm-attempted-retries")).as(c[0]).isEqualTo("0");
            assertThat(header(r, "x-litellm-overhead-duration-ms")).as(c[0]).isNotNull();
        }
    }

    @Test
    void nonLlmRoutesDoNotCarryThem() {
        HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/models"))
                .timeout(Duration.ofSeconds(10)).header("authorization", "Bearer " + virtualKey).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "x-litellm-call-id")).isNull();
        JsonNode models = TestGateway.json(r);
        assertThat(models.path("data").isArray()).isTrue();
    }
}
