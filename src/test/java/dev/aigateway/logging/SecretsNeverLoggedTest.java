package dev.aigateway.logging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real console log (LogConfigurator's async appender, as {@code run} writes it) captured while a gateway serves
 * requests with the master key, a virtual key from /key/generate, a refused key, and provider keys (one the
 * provider accepts, one it rejects), in the JSON format and then in the text format: no key and no
 * Authorization header may appear, and the JSON access lines must carry the request's fields.
 */
class SecretsNeverLoggedTest {
    private static final String PROVIDER_KEY = "sk-provider-secret-0123456789abcdefghijkl";
    private static final String REJECTED_PROVIDER_KEY = "sk-provider-rejected-9876543210zyxwvutsrq";
    private static final String BOGUS_KEY = "sk-bogus-client-key-ABCDEFGHIJKLMNOPQRSTUV";
    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";
    /** Keys that travelled in a request's path (regenerated, and their replacements). */
    private final List<String> pathKeys = new ArrayList<>();

    @Test
    void keysAndAuthorizationHeadersNeverReachTheLogInEitherFormat() throws Exception {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream jsonCapture = new ByteArrayOutputStream();
        ByteArrayOutputStream textCapture = new ByteArrayOutputStream();
        try (FakeOpenAi fake = new FakeOpenAi(PROVIDER_KEY);
             TestGateway gw = TestGateway.start("""
                     model_list:
                       - model_name: gpt-4o
                         litellm_params: {model: openai/gpt-4o, api_base: "%s", api_key: %s}
                         model_info: {id: gpt-4o-fake}
                       - model_name: rejected
                         litellm_params: {model: openai/gpt-4o, api_base: "%s", api_key: %s}
                     router_settings: {num_retries: 0}
                     """.formatted(fake.openAiBase(), PROVIDER_KEY, fake.openAiBase(), REJECTED_PROVIDER_KEY))) {

            System.setOut(new PrintStream(tee(jsonCapture, originalOut), true, StandardCharsets.UTF_8));
            LogFormat.JSON.apply();
            String virtualKey = TestGateway.json(gw.post("/key/generate", "{\"key_alias\":\"log-team\"}")).path("key").asText();
            assertThat(virtualKey).startsWith("sk-");
            HttpResponse<String> vk = gw.post("/v1/chat/completions", CHAT.formatted("gpt-4o", ""), virtualKey);
            assertThat(vk.statusCode()).isEqualTo(200);
            String lastId = driveEveryKindOfCaller(gw, virtualKey);
            await().atMost(Duration.ofSeconds(10)).until(() -> jsonCapture.toString(StandardCharsets.UTF_8).contains(lastId));

            System.setOut(new PrintStream(tee(textCapture, originalOut), true, StandardCharsets.UTF_8));
            LogFormat.TEXT.apply();
            String lastTextId = driveEveryKindOfCaller(gw, virtualKey);
            await().atMost(Duration.ofSeconds(10)).until(() -> textCapture.toString(StandardCharsets.UTF_8).contains(lastTextId));

            String json = jsonCapture.toString(StandardCharsets.UTF_8);
            String text = textCapture.toString(StandardCharsets.UTF_8);
            for (String log : List.of(json, text)) {
                assertThat(log).doesNotContain(TestGateway.MASTER_KEY).doesNotContain(virtualKey)
                        .doesNotContain(PROVIDER_KEY).doesNotContain(REJECTED_PROVIDER_KEY).doesNotContain(BOGUS_KEY)
                        .doesNotContainIgnoringCase("bearer").doesNotContainIgnoringCase("authorization")
                        .doesNotContainIgnoringCase("x-api-key");
                assertThat(pathKeys).hasSize(4).allSatisfy(k -> assertThat(log).doesNotContain(k).doesNotContain(k.substring(3)));
            }

            List<JsonNode> lines = new ArrayList<>();
            for (String line : json.split("\n")) {
                if (line.isBlank()) continue;
                JsonNode n = Json.tryParse(line.getBytes(StandardCharsets.UTF_8));
                assertThat(n != null && n.isObject()).as("a log line in JSON format: %s", line).isTrue();
                assertThat(n.path("timestamp").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(n.path("level").asText()).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
                assertThat(n.has("logger") && n.has("message")).as(line).isTrue();
                lines.add(n);
            }
            String vkId = vk.headers().firstValue("x-request-id").orElseThrow();
            JsonNode access = lines.stream().filter(n -> vkId.equals(n.path("request_id").asText())).findFirst().orElseThrow();
            assertThat(access.path("logger").asText()).isEqualTo("access");
            assertThat(access.path("key_alias").asText()).isEqualTo("log-team");
            assertThat(access.path("model").asText()).isEqualTo("gpt-4o");
            assertThat(access.path("deployment").asText()).isEqualTo("gpt-4o-fake");
            assertThat(access.path("method").asText()).isEqualTo("POST");
            assertThat(access.path("path").asText()).isEqualTo("/v1/chat/completions");
            assertThat(access.path("status").isInt()).isTrue();
            assertThat(access.path("status").asInt()).isEqualTo(200);
            assertThat(access.path("latency_ms").isNumber()).isTrue();
            assertThat(access.path("latency_ms").asDouble()).isGreaterThan(0);
            assertThat(access.path("overhead_ms").isNumber()).isTrue();
            assertThat(access.path("message").asText()).startsWith(vkId + " POST /v1/chat/completions key=log-team model=gpt-4o");
            assertThat(lines).anySatisfy(n -> assertThat(n.path("status").asInt()).isEqualTo(401));

            assertThat(text).contains("POST /key/*/regenerate key=master-key").contains("GET /v1/models/* key=")
                    .contains("POST /key/*/* key=")
                    .contains(lastTextId + " GET /key/info key=master-key").contains("key=log-team model=gpt-4o deployment=gpt-4o-fake status=200")
                    .doesNotContain("{\"timestamp\"");
        } finally {
            LogFormat.TEXT.apply();
            System.setOut(originalOut);
        }
    }

    /** Callers of every kind; returns the request id of the last request. */
    private String driveEveryKindOfCaller(TestGateway gw, String virtualKey) {
        assertThat(gw.post("/v1/chat/completions", CHAT.formatted("gpt-4o", ""), TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", CHAT.formatted("gpt-4o", ",\"stream\":true"), virtualKey).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", CHAT.formatted("rejected", ""), virtualKey).statusCode())
                .as("the provider refuses its key").isEqualTo(401);
        assertThat(gw.post("/v1/chat/completions", CHAT.formatted("gpt-4o", ""), BOGUS_KEY).statusCode()).isEqualTo(401);
        HttpResponse<String> messages = TestGateway.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages"))
                .header("x-api-key", virtualKey).header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build());
        assertThat(messages.statusCode()).isEqualTo(200);
        // LiteLLM's path form of regenerate carries the live key in the path; a client may also put a key in a path by mistake.
        String doomed = TestGateway.json(gw.post("/key/generate", "{}")).path("key").asText();
        HttpResponse<String> regenerated = gw.post("/key/" + doomed + "/regenerate", "{}");
        assertThat(regenerated.statusCode()).as(regenerated.body()).isEqualTo(200);
        pathKeys.add(doomed);
        pathKeys.add(TestGateway.json(regenerated).path("key").asText());
        assertThat(gw.get("/v1/models/" + virtualKey, virtualKey).statusCode()).isEqualTo(404);
        assertThat(gw.post("/key/" + virtualKey + "/regenrate", "{}").statusCode()).isEqualTo(404);
        assertThat(gw.get("/no/such/" + virtualKey, virtualKey).statusCode()).isEqualTo(404);
        // A key in a query string: the access log writes the path only.
        HttpResponse<String> info = gw.get("/key/info?key=" + virtualKey, TestGateway.MASTER_KEY);
        assertThat(info.statusCode()).isEqualTo(200);
        return info.headers().firstValue("x-request-id").orElseThrow();
    }

    private static OutputStream tee(ByteArrayOutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public synchronized void write(int x) {
                a.write(x);
                try {
                    b.write(x);
                } catch (java.io.IOException ignored) {
                    // the original console is best effort
                }
            }

            @Override
            public synchronized void write(byte[] buf, int off, int len) {
                a.write(buf, off, len);
                try {
                    b.write(buf, off, len);
                } catch (java.io.IOException ignored) {
                    // the original console is best effort
                }
            }
        };
    }
}
