package dev.aigateway.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real Codex CLI as a child process. It is installed from npm ({@code @openai/codex}, whose native Linux binary
 * arrives as the optional package {@code @openai/codex-linux-x64}, an alias of {@code @openai/codex@<version>-linux-x64},
 * under {@code vendor/<target triple>/bin/codex}) by {@code .ci/run} into {@link #INSTALL_DIR}; a developer may point
 * {@code -Dcodex.bin=/path/to/codex} at another one.
 */
record CodexCli(Path binary) {
    /** The version {@code .ci/run} installs and the tests were written against. */
    static final String PINNED_VERSION = "0.171.0";
    /** Where {@code .ci/run} installs the CLI: outside target/ so that {@code mvn clean} keeps it. */
    static final Path INSTALL_DIR = Path.of(System.getProperty("user.home"), ".cache", "ai-gateway", "codex");

    /** One finished run: exit code (-1 when killed at the timeout), stdout and stderr. */

    /** The CLI if it is installed, else empty (the caller skips loudly). */
    static Optional<CodexCli> find() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("codex.bin");
        if (property != null && !property.isBlank()) candidates.add(Path.of(property));
        Path modules = INSTALL_DIR.resolve("node_modules");
        // The native binary itself: the npm wrapper (bin/codex.js) only finds and spawns it, and needs node on PATH.
        candidates.add(modules.resolve("@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex"));
        candidates.add(modules.resolve("@openai/codex-linux-arm64/vendor/aarch64-unknown-linux-musl/bin/codex"));
        candidates.add(modules.resolve(".bin/codex"));
        return candidates.stream().filter(Files::isExecutable).findFirst().map(CodexCli::new);
    }

    /** {@code codex --version}, e.g. "codex-cli 0.171.0". */
    String version(Path home) throws IOException, InterruptedException {
        return run(List.of("--version"), Map.of("HOME", home.toString(), "CODEX_HOME", home.toString()), home, 30).stdout().strip();
    }

    /**
     * Runs {@code codex <args>} with only {@code env} (plus PATH) in its environment, so nothing of the developer's
     * own setup (an OpenAI key, a ChatGPT login in ~/.codex, a proxy) leaks in; stdin is empty so {@code exec} never
     * waits for a prompt on it.
     */
    CleanProcess.Run run(List<String> args, Map<String, String> env, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        return CleanProcess.run(command, "/usr/local/bin:/usr/bin:/bin", env, workDir, timeoutSeconds);
    }
}
