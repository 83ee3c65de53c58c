package dev.aigateway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.gemini.FakeGemini;
import dev.aigateway.provider.ollama.FakeOllama;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Providers that echo the deployment's credential in an error body (Anthropic's, Gemini's and Ollama's fakes with
 * {@code Error(401, "echo_key")}, and OpenAI's, which quotes a rejected key): whatever the provider, streamed or not,
 * the client sees the provider's message with the credential redacted (one redaction, {@link ProviderErrors#scrub},
 * where every upstream error passes).
 */
class UpstreamErrorRedactionTest {
    /** Keys that look like nothing in particular: only the redaction of the deployment's own credential catches them. */
    private static final String OLLAMA_KEY = "ollama-cloud-credential-7f3a9c";
    private static final String OPENAI_KEY = "proj-credential-5b8e1d2c";
    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";

    @Test
    void aCredentialEchoedInAnUpstreamErrorNeverReachesTheClient() {
        try (FakeAnthropic anthropic = new FakeAnthropic(); FakeGemini gemini = new FakeGemini();
             FakeOllama ollama = new FakeOllama(OLLAMA_KEY); FakeOpenAi openAi = new FakeOpenAi(OPENAI_KEY);
             TestGateway gw = TestGateway.start("""
                     model_list:
                       - model_name: claude
                         litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "%s", api_key: "%s"}
                       - model_name: gemini
                         litellm_params: {model: gemini/gemini-2.5-flash, api_base: "%s", api_key: "%s"}
                       - model_name: llama
                         litellm_params: {model: ollama/llama3.2, api_base: "%s", api_key: "%s"}
                       - model_name: gpt
                         litellm_params: {model: openai/gpt-4o, api_base: "%s", api_key: "%s"}
                     router_settings: {num_retries: 0}
                     """.formatted(anthropic.host(), FakeAnthropic.KEY, gemini.host(), FakeGemini.KEY, ollama.host(), OLLAMA_KEY,
                     openAi.openAiBase(), OPENAI_KEY + "-rejected"))) {
            for (FakeUpstream f : List.<FakeUpstream>of(anthropic, gemini, ollama)) f.scenario(new Scenario.Error(401, "echo_key"));
            record Case(String model, String secret, FakeUpstream fake) {}
            for (Case c : List.of(new Case("claude", FakeAnthropic.KEY, anthropic), new Case("gemini", FakeGemini.KEY, gemini),
                    new Case("llama", OLLAMA_KEY, ollama), new Case("gpt", OPENAI_KEY + "-rejected", openAi))) {
                for (String stream : new String[]{"", ",\"stream\":true"}) {
                    int before = c.fake().requests().size();
                    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT.formatted(c.model(), stream));
                    assertThat(c.fake().requests()).as("the provider was asked").hasSizeGreaterThan(before);
                    assertThat(r.statusCode()).as(c.model() + stream + ": " + r.body()).isEqualTo(401);
                    JsonNode e = TestGateway.json(r).path("error");
                    assertThat(e.path("message").asText()).as(c.model() + stream).contains("[redacted]");
                    assertThat(r.body()).as(c.model() + stream).doesNotContain(c.secret());
                }
            }
            // the Anthropic-format route shows the same redacted text
            HttpResponse<String> messages = TestGateway.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.baseUrl() + "/v1/messages"))
                    .header("x-api-key", TestGateway.MASTER_KEY).header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build());
            assertThat(messages.statusCode()).isEqualTo(401);
            assertThat(messages.body()).contains("[redacted]").doesNotContain(FakeAnthropic.KEY);
        }
    }
}
