package dev.aigateway.server.admin;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.Governance;
import dev.aigateway.server.metrics.PrometheusText;
import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who used what, through a real gateway: requests sent the way Claude Code, Codex, the official OpenAI and Anthropic
 * SDKs and a hostile client send them are recorded with their tool (classified from the User-Agent), session and end
 * user in the spend rows (/spend/logs, with LiteLLM's field names), in the per-tool daily totals
 * (/spend/daily?group_by=client) and in /metrics (the bounded class only). Run on SQLite and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpendAttributionContract {
    static final String KEY = "sk-attribution-test-key-0123456789abcdefghijkl";
    static final String HASH = Authenticator.hash(KEY);
    static final String CLAUDE_SESSION = "cba93340-9134-4d32-830e-b4c9588ec318";
    static final String CLAUDE_USER = "user_2f1c0b7e9a_account_8d1e2c44-5b6a-4f70-9c1d-3e2b1a0f9e8d_session_" + CLAUDE_SESSION;
    static final String CODEX_SESSION = "01a0800c-3119-7273-8dfb-387f230c1233";
    static final String CONFIG = """
            model_list:
              - model_name: chat-model
                litellm_params: {model: mock/chat-1, mock_response: "hello there"}
                model_info: {id: dep-chat, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}
            """;

    TestGateway gw;

    abstract Map<String, String> databaseEnv();

    @BeforeAll
    void start() {
        gw = TestGateway.start(CONFIG, databaseEnv());
        Governance g = gw.server().governance();
        g.keyStore().insert(SpendTestDatabases.key(HASH, "attribution", "owner-1"));
        g.keys().reload(HASH);

        // Claude Code: its User-Agent and session header, the end user in metadata.user_id, streamed
        var claude = post("/v1/messages", "a-claude", Map.of("user-agent", "claude-cli/2.1.2 (external, cli)", "x-app", "cli",
                "anthropic-version", "2023-06-01", "x-claude-code-session-id", CLAUDE_SESSION), """
                {"model": "chat-model", "max_tokens": 64, "stream": true, "metadata": {"user_id": "%s"},
                 "messages": [{"role": "user", "content": "hi"}]}""".formatted(CLAUDE_USER));
        assertThat(claude.statusCode()).as(claude.body()).isEqualTo(200);
        // Codex: its User-Agent and session_id header; a customer header outranks the body's user (LiteLLM's order)
        var codex = post("/v1/chat/completions", "a-codex", Map.of("user-agent", "codex_cli_rs/0.104.0 (Mac OS 15.6.1; arm64) iTerm.app/3.6.1",
                "originator", "codex_cli_rs", "session_id", CODEX_SESSION, "x-litellm-end-user-id", "alice"), """
                {"model": "chat-model", "user": "not-this-one", "messages": [{"role": "user", "content": "hi"}]}""");
        assertThat(codex.statusCode()).as(codex.body()).isEqualTo(200);
        // the official SDKs, with the User-Agents they really send
        OpenAIClient openAi = gw.openAi(KEY);
        openAi.chat().completions().create(ChatCompletionCreateParams.builder().model("chat-model").addUserMessage("hi")
                .user("sdk-user").putAdditionalHeader("x-request-id", "a-openai").build());
        AnthropicClient anthropic = AnthropicOkHttpClient.builder().apiKey(KEY).baseUrl(gw.baseUrl()).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
        try {
            anthropic.messages().create(MessageCreateParams.builder().model("chat-model").maxTokens(32).addUserMessage("hi")
                    .metadata(Metadata.builder().userId("anthropic-user").build()).putAdditionalHeader("x-request-id", "a-anthropic").build());
        } finally {
            anthropic.close();
        }
        // hostile values: a huge User-Agent with a tab and non-ASCII, an oversized end user, a forged-looking session
        var hostile = post("/v1/chat/completions", "a-hostile", Map.of("user-agent", "evil\tagent/1.0 \u00e9" + "x".repeat(6000),
                "x-litellm-customer-id", "c".repeat(2000), "x-claude-code-session-id", "s".repeat(500)), """
                {"model": "chat-model", "messages": [{"role": "user", "content": "hi"}]}""");
        assertThat(hostile.statusCode()).as(hostile.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> gw.server().metrics().inFlight() == 0);
        g.spendLog().flush();
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    HttpResponse<String> post(String path, String requestId, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("authorization", "Bearer " + KEY).header("x-request-id", requestId);
        headers.forEach(b::header);
        return TestGateway.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    JsonNode row(String clientRequestId) {
        var r = gw.get("/spend/logs?request_id=" + clientRequestId, TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode rows = TestGateway.json(r);
        assertThat(rows).as(clientRequestId).hasSize(1);
        return rows.get(0);
    }

    @Test
    void claudeCodesToolSessionAndEndUserAreInItsRow() {
        JsonNode r = row("a-claude");
        assertThat(r.path("call_type").asText()).isEqualTo("anthropic_messages");
        assertThat(r.path("end_user").asText()).isEqualTo(CLAUDE_USER);
        assertThat(r.path("session_id").asText()).isEqualTo(CLAUDE_SESSION);
        assertThat(r.path("metadata").path("client").asText()).isEqualTo("claude-code");
        assertThat(r.path("metadata").path("user_agent").asText()).isEqualTo("claude-cli/2.1.2 (external, cli)");
        assertThat(r.path("request_tags")).extracting(JsonNode::asText)
                .containsExactly("User-Agent: claude-cli", "User-Agent: claude-cli/2.1.2 (external, cli)");
    }

    @Test
    void codexSessionAndTheCustomerHeaderBeforeTheBody() {
        JsonNode r = row("a-codex");
        assertThat(r.path("metadata").path("client").asText()).isEqualTo("codex");
        assertThat(r.path("session_id").asText()).isEqualTo(CODEX_SESSION);
        assertThat(r.path("end_user").asText()).isEqualTo("alice");
    }

    @Test
    void theOfficialSdksAreRecognisedAndTheirEndUsersKept() {
        JsonNode openAi = row("a-openai");
        assertThat(openAi.path("metadata").path("client").asText()).isEqualTo("openai-sdk");
        assertThat(openAi.path("metadata").path("user_agent").asText()).startsWith("OpenAIClientImpl/Java ");
        assertThat(openAi.path("end_user").asText()).isEqualTo("sdk-user");
        assertThat(openAi.path("session_id").asText()).isEmpty();
        JsonNode anthropic = row("a-anthropic");
        assertThat(anthropic.path("metadata").path("client").asText()).isEqualTo("anthropic-sdk");
        assertThat(anthropic.path("end_user").asText()).isEqualTo("anthropic-user");
    }

    @Test
    void hostileValuesAreStoredBoundedAndClean() {
        JsonNode r = row("a-hostile");
        assertThat(r.path("metadata").path("client").asText()).isEqualTo("other");
        String ua = r.path("metadata").path("user_agent").asText();
        assertThat(ua).hasSize(256).startsWith("evilagent/1.0 ").endsWith("xxx").doesNotContain("\t");
        assertThat(r.path("end_user").asText()).isEqualTo("c".repeat(255));
        assertThat(r.path("session_id").asText()).isEqualTo("s".repeat(128));
    }

    @Test
    void logsFilterByEndUser() {
        var r = gw.get("/spend/logs?end_user=alice", TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode rows = TestGateway.json(r);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("client_request_id").asText()).isEqualTo("a-codex");
        assertThat(TestGateway.json(gw.get("/spend/logs?end_user=nobody", TestGateway.MASTER_KEY))).isEmpty();
    }

    @Test
    void dailyTotalsGroupByTool() {
        var r = gw.get("/spend/daily?group_by=client&api_key=" + HASH, TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> byClient = new HashMap<>();
        for (JsonNode d : TestGateway.json(r)) {
            assertThat(d.path("api_key").asText()).isEqualTo(HASH);
            assertThat(d.path("key_alias").asText()).isEqualTo("attribution");
            assertThat(byClient.put(d.path("client").asText(), d)).isNull();
        }
        assertThat(byClient.keySet()).containsExactlyInAnyOrder("claude-code", "codex", "openai-sdk", "anthropic-sdk", "other");
        JsonNode claude = byClient.get("claude-code");
        JsonNode claudeRow = row("a-claude");
        assertThat(claude.path("requests").asLong()).isEqualTo(1);
        assertThat(claude.path("prompt_tokens").asLong()).isEqualTo(claudeRow.path("prompt_tokens").asLong()).isPositive();
        assertThat(claude.path("spend").asDouble()).isEqualTo(claudeRow.path("spend").asDouble());

        var bad = gw.get("/spend/daily?group_by=user_agent", TestGateway.MASTER_KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(bad).path("error").path("param").asText()).isEqualTo("group_by");
        var withModel = gw.get("/spend/daily?group_by=client&model=chat-model", TestGateway.MASTER_KEY);
        assertThat(withModel.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(withModel).path("error").path("param").asText()).isEqualTo("model");
        JsonNode own = TestGateway.json(gw.get("/spend/daily?group_by=client", KEY));
        assertThat(own).as("a normal key sees its own tools").hasSize(5);
    }

    @Test
    void metricsCountRequestsByToolWithTheBoundedClassOnly() {
        var r = gw.get("/metrics", TestGateway.MASTER_KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        PrometheusText m = PrometheusText.parse(r.body());
        m.assertWellFormed();
        for (String client : new String[]{"claude-code", "codex", "openai-sdk", "anthropic-sdk", "other"}) {
            assertThat(m.sum("gateway_client_requests_total", "client", client, "requested_model", "chat-model")).as(client).isEqualTo(1);
        }
        assertThat(m.sum("gateway_client_tokens_total", "client", "claude-code", "direction", "input")).isPositive();
        assertThat(m.sum("gateway_client_tokens_total", "client", "codex", "direction", "output")).isPositive();
        assertThat(m.sum("gateway_client_spend_total", "client", "codex")).isPositive();
        assertThat(r.body()).as("raw User-Agents, sessions and end users never become labels")
                .doesNotContain("claude-cli/2.1.2", CLAUDE_SESSION, "alice", "evil");
    }
}
