package dev.aigateway.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real Claude Code CLI as a child process. It is installed from npm ({@code @anthropic-ai/claude-code}, whose
 * Linux binary arrives as the optional package {@code @anthropic-ai/claude-code-linux-x64}) by {@code .ci/run} into
 * {@link #INSTALL_DIR}; a developer may point {@code -Dclaude.bin=/path/to/claude} at another one.
 */
record ClaudeCodeCli(Path binary) {
    /** Where {@code .ci/run} installs the CLI: outside target/ so that {@code mvn clean} keeps it. */
    static final Path INSTALL_DIR = Path.of(System.getProperty("user.home"), ".cache", "ai-gateway", "claude-code");

    /** One finished run: exit code (-1 when killed at the timeout), stdout and stderr. */

    /** The CLI if it is installed, else empty (the caller skips loudly). */
    static Optional<ClaudeCodeCli> find() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("claude.bin");
        if (property != null && !property.isBlank()) candidates.add(Path.of(property));
        Path modules = INSTALL_DIR.resolve("node_modules");
        // The wrapper's postinstall replaces bin/claude.exe with the native binary; when install scripts did not run,
        // the platform package's binary is the one that works.
        candidates.add(modules.resolve("@anthropic-ai/claude-code-linux-x64/claude"));
        candidates.add(modules.resolve("@anthropic-ai/claude-code-linux-arm64/claude"));
        candidates.add(modules.resolve(".bin/claude"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(ClaudeCodeCli::new);
    }

    /** {@code claude --version}, e.g. "2.1.337 (Claude Code)". */
    String version(Path home) throws IOException, InterruptedException {
        return run(List.of("--version"), Map.of("HOME", home.toString()), home, 30).stdout().strip();
    }

    /**
     * Runs {@code claude <args>} with only {@code env} (plus PATH) in its environment, so nothing of the developer's
     * own setup (an API key, a login, a proxy) leaks in; stdin is empty so {@code -p} never waits for input.
     */
    CleanProcess.Run run(List<String> args, Map<String, String> env, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        return CleanProcess.run(command, "/usr/local/bin:/usr/bin:/bin", env, workDir, timeoutSeconds);
    }
}
