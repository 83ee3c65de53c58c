package dev.aigateway.server.origin;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which tool made a request, from its {@code User-Agent}: one of a small fixed set of names ({@link #CLASSES}), so it
 * can be a metric label and a spend-log column that a hostile client cannot fill with arbitrary values. Tools are
 * checked before the SDKs they are built on: Claude Code sends {@code claude-cli/...} although it uses Anthropic's SDK.
 * A tool that sends no User-Agent of its own (Aider through LiteLLM, say) shows as the SDK it uses.
 */
public final class ClientClassifier {
    public static final String UNKNOWN = "unknown";
    public static final String OTHER = "other";
    public static final String OPEN_WEBUI = "open-webui";

    /** The first rule that matches names the client; {@code prefix} rules test the start, others anywhere. */
    private record Rule(String needle, boolean prefix, String client) {}

    private static final List<Rule> RULES = List.of(
            new Rule("claude-cli/", true, "claude-code"),       // claude-cli/2.1.2 (external, cli)
            new Rule("claude-code", false, "claude-code"),
            new Rule("codex", true, "codex"),                   // codex_cli_rs/0.101.0 (Mac OS 26.0.1; arm64), codex_exec/, codex_vscode/
            new Rule("cursor", false, "cursor"),
            new Rule("cline/", true, "cline"),                  // Cline/3.74.0
            new Rule("aider", false, "aider"),
            new Rule("opencode/", true, "opencode"),            // opencode/0.15.0
            new Rule("geminicli/", true, "gemini-cli"),         // GeminiCLI/0.1.5 (linux; x64)
            new Rule("gemini-cli", false, "gemini-cli"),
            new Rule("open-webui", false, OPEN_WEBUI),
            new Rule("openwebui", false, OPEN_WEBUI),
            new Rule("openai/", true, "openai-sdk"),            // OpenAI/Python 1.54.0, OpenAI/JS 4.73.0, OpenAI/Go
            new Rule("openai-", true, "openai-sdk"),            // openai-java, openai-python, openai-node
            new Rule("openaiclient", true, "openai-sdk"),       // OpenAIClientImpl/Java 4.101.0 (the Java SDK)
            new Rule("anthropic/", true, "anthropic-sdk"),      // Anthropic/Python 0.40.0, Anthropic/JS 0.32.1
            new Rule("anthropic-sdk", true, "anthropic-sdk"),   // anthropic-sdk-go, anthropic-sdk-python
            new Rule("anthropic-", true, "anthropic-sdk"),
            new Rule("anthropicclient", true, "anthropic-sdk"), // AnthropicClientImpl/Java 3.13.0 (the Java SDK)
            new Rule("curl/", true, "curl"),
            new Rule("mozilla/", true, "browser"));              // a browser (the admin UI's playground, a web app)

    /** Every value {@link #classify} returns: the metric label's whole range. */
    public static final Set<String> CLASSES = Set.of("claude-code", "codex", "cursor", "cline", "aider", "opencode", "gemini-cli",
            OPEN_WEBUI, "openai-sdk", "anthropic-sdk", "curl", "browser", OTHER, UNKNOWN);

    /** How much of a User-Agent is looked at: every rule matches well within it. */
    private static final int LOOK_AT = 256;

    private ClientClassifier() {}

    /** The client's name for a User-Agent header ({@link #UNKNOWN} when there is none). */
    public static String classify(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) return UNKNOWN;
        String ua = userAgent.strip();
        if (ua.length() > LOOK_AT) ua = ua.substring(0, LOOK_AT);
        ua = ua.toLowerCase(Locale.ROOT);
        for (Rule r : RULES) {
            if (r.prefix() ? ua.startsWith(r.needle()) : ua.contains(r.needle())) return r.client();
        }
        return OTHER;
    }
}
