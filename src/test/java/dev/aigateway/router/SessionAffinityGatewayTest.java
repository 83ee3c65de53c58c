package dev.aigateway.router;

import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group of two deployments behind a real gateway: a request that names its session (Claude Code's header, OpenAI's
 * {@code prompt_cache_key}) lands where its session's earlier turns did; sessions spread over both; with
 * {@code session_affinity: prefix} a conversation's opening is its session; with {@code off} the strategy chooses.
 */
class SessionAffinityGatewayTest {
    static final String KEY = "sk-upstream";
    static FakeOpenAi a, b;
    TestGateway gw;

    @BeforeAll
    static void fakes() {
        a = new FakeOpenAi(KEY);
        b = new FakeOpenAi(KEY);
    }

    @AfterAll
    static void stopFakes() {
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

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
    }

    void start(String routerSettings) {
        String entry = "  - model_name: m\n    litellm_params: {model: openai/gpt-4o, api_base: %s, api_key: " + KEY + "}\n";
        gw = TestGateway.start("model_list:\n" + entry.formatted(a.openAiBase()) + entry.formatted(b.openAiBase())
                + "router_settings:\n" + routerSettings);
    }

    /** Which fake answered a chat, given its headers and extra body fields. */
    String answeredBy(String userMessage, String extraFields, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + TestGateway.MASTER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"terse\"},"
                        + "{\"role\":\"user\",\"content\":\"" + userMessage + "\"}]" + extraFields + "}"));
        if (headers.length > 0) r.headers(headers);
        HttpResponse<String> resp = TestGateway.send(r.build());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        return TestGateway.json(resp).path("choices").get(0).path("message").path("content").asText();
    }

    @Test
    void aNamedSessionStaysOnOneDeploymentAndSessionsSpreadOverBoth() {
        start("  routing_strategy: simple-shuffle\n");
        Set<String> homes = new HashSet<>();
        for (int s = 0; s < 16; s++) {
            Set<String> seen = new HashSet<>();
            for (int turn = 0; turn < 6; turn++) {
                seen.add(answeredBy("turn " + turn, "", "x-claude-code-session-id", "3f0c6a52-session-" + s));
            }
            assertThat(seen).as("session %d's turns", s).hasSize(1);
            homes.addAll(seen);
        }
        assertThat(homes).as("16 sessions over two deployments").containsExactlyInAnyOrder("from A", "from B");

        Set<String> cacheKeyed = new HashSet<>();
        for (int turn = 0; turn < 6; turn++) cacheKeyed.add(answeredBy("turn " + turn, ",\"prompt_cache_key\":\"user-7\""));
        assertThat(cacheKeyed).as("prompt_cache_key names a session too").hasSize(1);
    }

    @Test
    void withPrefixAffinityAConversationsOpeningIsItsSession() {
        start("  optional_pre_call_checks: [prompt_caching]\n");
        Set<String> seen = new HashSet<>();
        for (int turn = 0; turn < 8; turn++) seen.add(answeredBy("the same first question", ""));
        assertThat(seen).hasSize(1);
    }

    @Test
    void withoutASessionOrWithAffinityOffTheStrategyChooses() {
        start("  session_affinity: off\n");
        Set<String> seen = new HashSet<>();
        for (int turn = 0; turn < 40 && seen.size() < 2; turn++) {
            seen.add(answeredBy("the same first question", "", "x-claude-code-session-id", "one-session"));
        }
        assertThat(seen).as("simple-shuffle over 40 requests").containsExactlyInAnyOrder("from A", "from B");
    }
}
