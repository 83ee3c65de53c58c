package dev.aigateway.server.origin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a request's headers and parsed body say about its tool, session and end user, in LiteLLM's precedence. */
class RequestOriginTest {

    private static MultiMap headers(String... namesAndValues) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < namesAndValues.length; i += 2) m.add(namesAndValues[i], namesAndValues[i + 1]);
        return m;
    }

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.parse(json);
    }

    @Test
    void claudeCodeNamesItsToolSessionAndUserThroughMetadata() {
        RequestOrigin o = RequestOrigin.fromHeaders(headers("User-Agent", "claude-cli/2.1.2 (external, cli)",
                "X-Claude-Code-Session-Id", "cba93340-9134-4d32-830e-b4c9588ec318"));
        assertThat(o.client()).isEqualTo("claude-code");
        assertThat(o.userAgent()).isEqualTo("claude-cli/2.1.2 (external, cli)");
        assertThat(o.sessionId()).isEqualTo("cba93340-9134-4d32-830e-b4c9588ec318");
        assertThat(o.endUser()).isNull();
        RequestOrigin full = o.withBody(body("""
                {"model": "m", "metadata": {"user_id": "user_ab12_account_1111_session_cba9"}, "messages": []}"""));
        assertThat(full.endUser()).isEqualTo("user_ab12_account_1111_session_cba9");
    }

    @Test
    void codexSessionHeader() {
        RequestOrigin o = RequestOrigin.fromHeaders(headers("user-agent", "codex_cli_rs/0.104.0", "session_id",
                "01a0800c-3119-7273-8dfb-387f230c1233", "conversation_id", "other"));
        assertThat(o.client()).isEqualTo("codex");
        assertThat(o.sessionId()).isEqualTo("01a0800c-3119-7273-8dfb-387f230c1233");
    }

    @Test
    void endUserPrecedenceIsLiteLlms() {
        ObjectNode all = body("""
                {"user": "body-user", "litellm_metadata": {"user": "lm-user"}, "metadata": {"user_id": "meta-user"}, "safety_identifier": "safe"}""");
        assertThat(RequestOrigin.fromHeaders(headers("x-litellm-end-user-id", "end-hdr", "x-litellm-customer-id", "cust-hdr"))
                .withBody(all).endUser()).as("customer header first").isEqualTo("cust-hdr");
        assertThat(RequestOrigin.fromHeaders(headers("x-litellm-end-user-id", "end-hdr")).withBody(all).endUser()).isEqualTo("end-hdr");
        RequestOrigin none = RequestOrigin.fromHeaders(headers());
        assertThat(none.withBody(all).endUser()).isEqualTo("body-user");
        all.remove("user");
        assertThat(none.withBody(all).endUser()).isEqualTo("lm-user");
        all.remove("litellm_metadata");
        assertThat(none.withBody(all).endUser()).isEqualTo("meta-user");
        all.remove("metadata");
        assertThat(none.withBody(all).endUser()).isEqualTo("safe");
        assertThat(none.withBody(body("{\"user\": 42}")).endUser()).as("numbers count, as LiteLLM coerces them").isEqualTo("42");
        assertThat(none.withBody(body("{\"user\": {\"id\": 1}, \"metadata\": \"x\"}")).endUser()).isNull();
        assertThat(none.withBody(body("{\"user\": \"  \"}")).endUser()).isNull();
        assertThat(none.client()).isEqualTo("unknown");
    }

    @Test
    void openWebUiIsKnownByItsForwardedHeaders() {
        assertThat(RequestOrigin.fromHeaders(headers("user-agent", "Python/3.11 aiohttp/3.11.11", "X-OpenWebUI-User-Id", "u1",
                "X-OpenWebUI-Chat-Id", "chat-9")).client()).isEqualTo("open-webui");
        assertThat(RequestOrigin.fromHeaders(headers("X-OpenWebUI-Chat-Id", "chat-9")).sessionId()).isEqualTo("chat-9");
        assertThat(RequestOrigin.fromHeaders(headers("user-agent", "OpenAI/Python 1.0", "X-OpenWebUI-User-Id", "u1")).client())
                .as("a named tool keeps its name").isEqualTo("openai-sdk");
    }

    @Test
    void hostileValuesAreBoundedAndLoseControlCharacters() {
        RequestOrigin o = RequestOrigin.fromHeaders(headers("user-agent", "evil\r\nX-Forged: 1\u0000\u202e" + "a".repeat(5000),
                "x-claude-code-session-id", "s".repeat(1000), "x-litellm-end-user-id", "\u0007\t "));
        assertThat(o.userAgent()).startsWith("evilX-Forged: 1a").hasSize(RequestOrigin.MAX_USER_AGENT).doesNotContain("\r", "\n", "\u202e");
        assertThat(o.sessionId()).hasSize(RequestOrigin.MAX_SESSION_ID);
        assertThat(o.endUser()).as("nothing left but controls: absent").isNull();
        String emoji = "\uD83D\uDE00";
        String cut = RequestOrigin.clean("a".repeat(RequestOrigin.MAX_END_USER - 1) + emoji, RequestOrigin.MAX_END_USER);
        assertThat(cut).as("a surrogate pair is never split").isEqualTo("a".repeat(RequestOrigin.MAX_END_USER - 1));
        ObjectNode b = Json.object();
        b.put("user", "u\n".repeat(1000));
        assertThat(RequestOrigin.NONE.withBody(b).endUser()).hasSize(RequestOrigin.MAX_END_USER).doesNotContain("\n");
    }
}
