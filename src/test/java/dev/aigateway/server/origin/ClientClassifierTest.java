package dev.aigateway.server.origin;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** User-Agent strings as the tools send them (seen in their sources and in captured requests) and the class each gets. */
class ClientClassifierTest {

    @Test
    void realUserAgentsAreClassified() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("claude-cli/2.1.2 (external, cli)", "claude-code");
        cases.put("claude-cli/2.1.119 (external, sdk-cli)", "claude-code");
        cases.put("claude-cli/2.1.76 (external, claude-vscode, agent-sdk/0.2.76)", "claude-code");
        cases.put("codex_cli_rs/0.101.0 (Mac OS 26.0.1; arm64) Apple_Terminal/464", "codex");
        cases.put("codex_cli_rs/0.140.0 (Windows 11; x86_64)", "codex");
        cases.put("codex_exec/0.46.0 (Ubuntu 24.4.0; x86_64) vscode/1.104.1", "codex");
        cases.put("Cline/3.74.0", "cline");
        cases.put("opencode/0.15.8", "opencode");
        cases.put("opencode/1.0.0 gitlab-ai-provider/2.1.0 (linux 6.8.0; x64)", "opencode");
        cases.put("GeminiCLI/0.1.5 (linux; x64)", "gemini-cli");
        cases.put("OpenAI/Python 1.54.0", "openai-sdk");
        cases.put("OpenAI/JS 4.73.0", "openai-sdk");
        cases.put("OpenAIClientImpl/Java 4.101.0", "openai-sdk");
        cases.put("openai-java/2.0.0", "openai-sdk");
        cases.put("Anthropic/Python 0.40.0", "anthropic-sdk");
        cases.put("Anthropic/JS 0.32.1", "anthropic-sdk");
        cases.put("AnthropicClientImpl/Java 3.13.0", "anthropic-sdk");
        cases.put("anthropic-sdk-go/1.2.0", "anthropic-sdk");
        cases.put("aider/0.86.1", "aider");
        cases.put("Cursor/1.7.0", "cursor");
        cases.put("open-webui/0.6.30", "open-webui");
        cases.put("curl/8.5.0", "curl");
        cases.put("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "browser");
        cases.put("Python/3.11 aiohttp/3.11.11", "other");
        cases.put("okhttp/4.12.0", "other");
        cases.forEach((ua, client) -> assertThat(ClientClassifier.classify(ua)).as(ua).isEqualTo(client));
    }

    @Test
    void noUserAgentIsUnknownAndEveryAnswerIsInTheBoundedSet() {
        assertThat(ClientClassifier.classify(null)).isEqualTo("unknown");
        assertThat(ClientClassifier.classify("   ")).isEqualTo("unknown");
        String hostile = "x".repeat(100_000) + "claude-cli/1.0";
        assertThat(ClientClassifier.classify(hostile)).as("only the start is looked at").isEqualTo("other");
        for (String ua : new String[]{"claude-cli/1", "\u0000\n", "zzz", "CODEX", "Mozilla/4.0"}) {
            assertThat(ClientClassifier.CLASSES).contains(ClientClassifier.classify(ua));
        }
    }
}
