package dev.aigateway.agents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An agent's process run as its user would start it, but clean: only the environment given (plus {@code PATH}), so
 * nothing of the developer's own setup (an API key, a login, a proxy) leaks in; an empty stdin, so nothing waits for
 * a prompt; and a timeout, after which the process and its children are killed.
 */
final class CleanProcess {
    /** How a run ended: its exit code (-1 when it timed out) and what it printed. */
    record Run(int exitCode, String stdout, String stderr) {}

    private CleanProcess() {}

    static Run run(List<String> command, String path, Map<String, String> env, Path workDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", path);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("agent-out", ".txt");
        Path err = Files.createTempFile("agent-err", ".txt");
        try {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            int code;
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                code = p.exitValue();
            } else {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                code = -1;
            }
            return new Run(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
