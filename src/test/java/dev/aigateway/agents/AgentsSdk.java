package dev.aigateway.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real OpenAI Agents SDK for JavaScript ({@code @openai/agents} from npm, installed by {@code .ci/run} into
 * {@link #INSTALL_DIR}) driven by the Node script {@code agents-sdk/agent-loop.mjs} (test resources) as a child
 * process. The script is copied next to a link to the install's node_modules, since ES modules resolve packages
 * from the script's own directory (NODE_PATH does not apply to them).
 */
record AgentsSdk(Path node, Path modules) {
    /** The version {@code .ci/run} installs and the test was written against. */
    static final String PINNED_VERSION = "0.20.0";
    /** Where {@code .ci/run} installs the SDK: outside target/ so that {@code mvn clean} keeps it. */
    static final Path INSTALL_DIR = Path.of(System.getProperty("user.home"), ".cache", "ai-gateway", "agents-sdk");
    static final String SCRIPT = "agent-loop.mjs";

    /** One finished run: exit code (-1 when killed at the timeout), stdout and stderr. */
    record Run(int exitCode, String stdout, String stderr) {
        /** The script's JSON summary: its last stdout line. */
        JsonNode summary() {
            List<String> lines = stdout.lines().filter(l -> l.startsWith("{")).toList();
            if (lines.isEmpty()) throw new AssertionError("the script printed no summary; exit " + exitCode + ", stderr: " + stderr);
            return Json.parse(lines.get(lines.size() - 1));
        }
    }

    /** Node and the SDK at its pinned version, or why not (the caller skips loudly). */
    static Optional<AgentsSdk> find(StringBuilder why) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        Path node = Arrays.stream(path.split(":")).filter(d -> !d.isBlank()).map(d -> Path.of(d, "node"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (node == null) {
            why.append("node is not on PATH");
            return Optional.empty();
        }
        Path modules = INSTALL_DIR.resolve("node_modules");
        Path pkg = modules.resolve("@openai/agents/package.json");
        try {
            String version = Files.exists(pkg) ? Json.parse(Files.readString(pkg)).path("version").asText() : null;
            if (!PINNED_VERSION.equals(version)) {
                why.append(version == null ? "@openai/agents is not installed in " + INSTALL_DIR : "@openai/agents " + version + " in " + INSTALL_DIR + " is not the pinned " + PINNED_VERSION);
                return Optional.empty();
            }
        } catch (IOException e) {
            why.append("cannot read " + pkg + ": " + e);
            return Optional.empty();
        }
        return Optional.of(new AgentsSdk(node, modules));
    }

    /**
     * Runs the script with {@code work} as its working directory and only {@code env} (plus PATH and HOME) in its
     * environment, so nothing of the developer's setup (an OPENAI_API_KEY, a proxy) leaks in.
     */
    Run run(Path scriptDir, Path work, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(scriptDir);
        try (InputStream in = AgentsSdk.class.getResourceAsStream("/agents-sdk/" + SCRIPT)) {
            if (in == null) throw new IllegalStateException("test resource agents-sdk/" + SCRIPT + " is missing");
            Files.write(scriptDir.resolve(SCRIPT), in.readAllBytes());
        }
        Path link = scriptDir.resolve("node_modules");
        if (!Files.exists(link)) Files.createSymbolicLink(link, modules);
        List<String> command = List.of(node.toString(), scriptDir.resolve(SCRIPT).toString());
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("HOME", work.toString());
        CleanProcess.Run r = CleanProcess.run(command, node.getParent() + ":/usr/local/bin:/usr/bin:/bin", all, work, timeoutSeconds);
        return new Run(r.exitCode(), r.stdout(), r.stderr());
    }
}
