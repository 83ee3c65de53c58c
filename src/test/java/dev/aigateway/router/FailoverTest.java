package dev.aigateway.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.MutableClock;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries, cooldowns and fallbacks through a real gateway, against fakes that fail in every way:
 * each error status, connection refused, a hang before headers, a stream cut after some chunks.
 */
class FailoverTest {
    static final String KEY = "sk-upstream";
    static FakeOpenAi a;
    static FakeOpenAi b;
    static FakeAnthropic claude;
    static int closedPort;
    TestGateway gw;

    @BeforeAll
    static void fakes() throws Exception {
        a = new FakeOpenAi(KEY);
        b = new FakeOpenAi(KEY);
        claude = new FakeAnthropic();
        closedPort = TestGateway.freePort();
    }

    @AfterAll
    static void stopFakes() {
        a.close();
        b.close();
        claude.close();
    }

    @BeforeEach
    void reset() {
        a.reset();
        b.reset();
        claude.reset();
        a.scenario(new Scenario.Text("from A"));
        b.scenario(new Scenario.Text("from B"));
        claude.scenario(new Scenario.Text("from Claude"));
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
    }

    static String openai(String name, FakeOpenAi fake, String extra) {
        return "  - model_name: " + name + "\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: " + fake.openAiBase()
                + "\n      api_key: " + KEY + "\n      timeout: 1\n" + extra;
    }

    void start(String modelList, String routerSettings) {
        gw = TestGateway.start("model_list:\n" + modelList + "router_settings:\n" + routerSettings);
    }

    HttpResponse<String> chat(String model) {
        return chat(model, false, "");
    }

    HttpResponse<String> chat(String model, boolean stream, String extraFields) {
        return gw.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extraFields + "}");
    }

    static String content(HttpResponse<String> r) {
        return TestGateway.json(r).path("choices").get(0).path("message").path("content").asText();
    }

    static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void oneBrokenOneHealthyDeploymentAnswersEveryRequest() {
        a.scenario(new Scenario.Error(500));
        start(openai("m", a, "") + openai("m", b, ""), "  num_retries: 2\n  allowed_fails: 1\n  cooldown_time: 60\n");
        int retried = 0;
        for (int i = 0; i < 30; i++) {
            var r = chat("m");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(content(r)).isEqualTo("from B");
            if (header(r, "x-gateway-attempts").equals("2")) retried++;
        }
        assertThat(retried).as("A fails at most allowed_fails+1 times before it cools down").isBetween(1, 2);
        assertThat(a.requests()).hasSize(retried);
    }

    @Test
    void cooledDownDeploymentComesBackAfterCooldownTime() {
        a.scenario(new Scenario.Error(503));
        MutableClock clock = new MutableClock(Instant.now());
        gw = TestGateway.start("model_list:\n" + openai("m", a, "      order: 1\n") + openai("m", b, "      order: 2\n")
                + "router_settings:\n  allowed_fails: 0\n  cooldown_time: 1\n", Map.of(), clock);
        var first = chat("m");
        assertThat(content(first)).isEqualTo("from B");
        assertThat(header(first, "x-gateway-attempts")).isEqualTo("2");
        var during = chat("m");
        assertThat(header(during, "x-gateway-attempts")).as("A is skipped while cooling down").isEqualTo("1");
        assertThat(a.requests()).hasSize(1);
        a.scenario(new Scenario.Text("from A"));
        clock.advance(Duration.ofMillis(1_001));
        assertThat(content(chat("m"))).as("A is back after cooldown_time").isEqualTo("from A");
    }

    @Test
    void badRequestsAreNotRetriedButRateLimitsAre() {
        a.scenario(new Scenario.Error(400));
        start(openai("m", a, "      order: 1\n") + openai("m", b, "      order: 2\n"), "  num_retries: 3\n");
        var bad = chat("m");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(header(bad, "x-gateway-attempts")).isEqualTo("1");
        assertThat(b.requests()).isEmpty();

        a.scenario(new Scenario.Error(429));
        b.scenario(new Scenario.Error(429));
        var limited = chat("m", false, ",\"num_retries\":1");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(header(limited, "x-gateway-attempts")).isEqualTo("2");
        assertThat(b.requests()).hasSize(1);
        assertThat(a.requests()).noneMatch(q -> q.body().toString().contains("num_retries"));
    }

    @Test
    void retryOnTheSameDeploymentHonoursRetryAfter() {
        a.scenario(new Scenario.Error(429)); // FakeOpenAi answers with retry-after: 7
        start(openai("m", a, ""), "  num_retries: 1\n  allowed_fails: 100\n");
        long t0 = System.nanoTime();
        var r = chat("m");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(header(r, "x-gateway-attempts")).isEqualTo("2");
        assertThat(ms).as("the only deployment asked for 7 s").isGreaterThanOrEqualTo(7_000);
    }

    @Test
    void connectionRefusedAndHangFailOverToAHealthyDeployment() {
        String refused = "  - model_name: m\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: http://127.0.0.1:" + closedPort
                + "/v1\n      api_key: x\n      order: 1\n";
        a.scenario(new Scenario.Hang());
        start(refused + openai("m", a, "      order: 2\n") + openai("m", b, "      order: 3\n"), "  num_retries: 3\n");
        var r = chat("m");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(content(r)).isEqualTo("from B");
        assertThat(header(r, "x-gateway-attempts")).isEqualTo("3");
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void fallbacksAcrossProvidersWithFullTranslation() {
        claude.scenario(new Scenario.Error(529));
        String claudeModel = "  - model_name: claude\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5\n      api_base: "
                + claude.host() + "\n      api_key: test-key\n";
        start(claudeModel + openai("gpt", b, ""), "  num_retries: 0\n  fallbacks: [{claude: [gpt]}]\n");
        var r = chat("claude");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(content(r)).isEqualTo("from B");
        assertThat(header(r, "x-gateway-fallback")).isEqualTo("gpt");
        assertThat(header(r, "x-gateway-attempts")).isEqualTo("2");
        assertThat(b.last().json().path("messages").get(0).path("content").asText()).isEqualTo("hi");
    }

    @Test
    void perRequestFallbacksAreTriedFirstAndNotSentUpstream() {
        a.scenario(new Scenario.Error(500));
        start(openai("primary", a, "") + openai("spare", b, ""), "  num_retries: 0\n");
        var r = chat("primary", false, ",\"fallbacks\":[\"spare\"]");
        assertThat(content(r)).isEqualTo("from B");
        assertThat(header(r, "x-gateway-fallback")).isEqualTo("spare");
        assertThat(b.last().body().toString()).doesNotContain("fallbacks");
    }

    @Test
    void messagesRequestsKeepTheirFallbacksAndRetries() {
        a.scenario(new Scenario.Error(500));
        start(openai("primary", a, "") + openai("spare", b, ""), "  num_retries: 0\n");
        var r = gw.post("/v1/messages", "{\"model\":\"primary\",\"max_tokens\":16,\"num_retries\":1,\"fallbacks\":[\"spare\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestGateway.json(r).path("content").get(0).path("text").asText()).isEqualTo("from B");
        assertThat(header(r, "x-gateway-fallback")).isEqualTo("spare");
        assertThat(a.requests()).as("num_retries from the body: the first try and one retry").hasSize(2);
        assertThat(b.last().body().toString()).doesNotContain("fallbacks").doesNotContain("num_retries");
    }

    /** Vert.x throws on such a header inside the pooled callback: the call used to wait for its whole timeout. */
    @Test
    void aCredentialHttpCannotCarryFailsAtOnceAndFailsOver() {
        String broken = "  - model_name: m\n    litellm_params:\n      model: openai/gpt-4o\n      api_base: " + a.openAiBase()
                + "\n      api_key: \"sk-bad\\x01key\"\n      timeout: 30\n";
        start(broken + openai("spare", b, ""), "  num_retries: 0\n  fallbacks: [{m: [spare]}]\n");
        for (boolean stream : new boolean[] {false, true}) {
            long t0 = System.nanoTime();
            var r = chat("m", stream, "");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(header(r, "x-gateway-fallback")).isEqualTo("spare");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("far from the 30 s timeout").isLessThan(Duration.ofSeconds(10));
        }
        gw.close();
        start(broken, "  num_retries: 0\n");
        var r = chat("m");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("header value HTTP does not allow").doesNotContain("sk-bad");
        assertThat(a.requests()).isEmpty();
    }

    @Test
    void defaultFallbacksApplyToModelsWithoutTheirOwn() {
        a.scenario(new Scenario.Error(503));
        start(openai("any", a, "") + openai("safety-net", b, ""), "  num_retries: 0\n  default_fallbacks: [safety-net]\n");
        assertThat(content(chat("any"))).isEqualTo("from B");
    }

    @Test
    void contextWindowAndContentPolicyFallbacks() {
        a.scenario(new Scenario.Error(400, "context_length"));
        start(openai("small", a, "") + openai("big", b, ""), "  context_window_fallbacks: [{small: [big]}]\n  content_policy_fallbacks: [{small: [big]}]\n  fallbacks: [{small: [nowhere]}]\n");
        var r = chat("small");
        assertThat(content(r)).isEqualTo("from B");
        assertThat(header(r, "x-gateway-fallback")).isEqualTo("big");
        a.scenario(new Scenario.Error(400, "content_policy"));
        assertThat(content(chat("small"))).isEqualTo("from B");
        a.scenario(new Scenario.Error(400));
        var plain = chat("small");
        assertThat(plain.statusCode()).as("a plain bad request has no fallback").isEqualTo(400);
    }

    @Test
    void preCallChecksRouteLongPromptsToBigModels() {
        String tiny = openai("m", a, "      order: 1\n").replace("      timeout: 1\n", "      timeout: 1\n    model_info:\n      max_input_tokens: 5\n");
        start(tiny + openai("m", b, "      order: 2\n"), "  enable_pre_call_checks: true\n");
        // the tokenizer loads in the background at start (until then pre-call checks are skipped, never guessed)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(dev.aigateway.governance.spend.Tokenizer::loaded);
        var r = gw.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "many words ".repeat(50) + "\"}]}");
        assertThat(content(r)).isEqualTo("from B");
        assertThat(a.requests()).isEmpty();
        assertThat(content(chat("m"))).isEqualTo("from A");
    }

    @Test
    void streamFailsOverBeforeItStartsButNeverAfterTheFirstByte() {
        a.scenario(new Scenario.Error(503));
        start(openai("m", a, "      order: 1\n") + openai("m", b, "      order: 2\n"), "  num_retries: 1\n  allowed_fails: 100\n");
        var before = chat("m", true, "");
        assertThat(before.body()).contains("\" B\"").doesNotContain("\"error\"").endsWith("data: [DONE]\n\n");
        assertThat(b.requests()).hasSize(1);
        assertThat(header(before, "x-gateway-attempts")).isEqualTo("2");

        a.scenario(new Scenario.CutStream(2));
        b.reset();
        var after = chat("m", true, "");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("\"error\"").endsWith("data: [DONE]\n\n");
        assertThat(b.requests()).as("no failover once bytes reached the client").isEmpty();
    }

    @Test
    void allAttemptsFailingGivesOneCleanError() {
        a.scenario(new Scenario.Error(500));
        b.scenario(new Scenario.Error(500));
        start(openai("m", a, "") + openai("m", b, ""), "  num_retries: 1\n  allowed_fails: 100\n");
        var r = chat("m");
        assertThat(r.statusCode()).isEqualTo(502);
        JsonNode e = TestGateway.json(r).path("error");
        assertThat(e.path("type").asText()).isEqualTo("api_error");
        assertThat(header(r, "x-gateway-attempts")).isEqualTo("2");
    }

    /**
     * A group whose every deployment is cooling down goes to its fallbacks, as LiteLLM does, instead of answering 503:
     * configured fallbacks and a request's own, streamed and not. No waiting: the cooldown lasts a minute, far longer
     * than the test.
     */
    @Test
    void aGroupWhollyCoolingDownIsServedByItsFallbacks() {
        a.scenario(new Scenario.Error(503));
        start(openai("m", a, "") + openai("f", b, "") + openai("lonely", a, ""),
                "  num_retries: 0\n  allowed_fails: 0\n  cooldown_time: 60\n  fallbacks: [{m: [f]}]\n");
        var first = chat("m");
        assertThat(content(first)).as("A fails and cools down, f answers").isEqualTo("from B");
        assertThat(a.requests()).hasSize(1);

        var cooling = chat("m");
        assertThat(cooling.statusCode()).as(cooling.body()).isEqualTo(200);
        assertThat(content(cooling)).isEqualTo("from B");
        assertThat(header(cooling, "x-gateway-fallback")).isEqualTo("f");
        assertThat(header(cooling, "x-gateway-attempts")).as("the cooling deployment is not called").isEqualTo("1");

        var stream = chat("m", true, "");
        assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
        assertThat(stream.body()).contains("\" B\"").doesNotContain("\"error\"").endsWith("data: [DONE]\n\n");
        assertThat(header(stream, "x-gateway-fallback")).isEqualTo("f");
        assertThat(a.requests()).as("A is left alone while it cools down").hasSize(1);

        // a group without configured fallbacks: the request's own serve it, and without any it is the 503 it was
        assertThat(chat("lonely").statusCode()).as("A fails again: this deployment cools down too").isNotEqualTo(200);
        var own = chat("lonely", true, ",\"fallbacks\":[\"f\"]");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("\" B\"");
        var none = chat("lonely");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(TestGateway.json(none).path("error").path("code").asText()).isEqualTo("no_healthy_deployment");
        assertThat(header(none, "Retry-After")).isNotNull();
    }
}
