package dev.aigateway.cli;

import dev.aigateway.config.DotEnv;
import dev.aigateway.core.Json;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command as a new user runs it: the real {@code ./ai-gateway} launcher, as separate
 * processes, in an empty directory with no database server and no key configured.
 */
class LauncherIT {
    static final Path LAUNCHER = Path.of("ai-gateway").toAbsolutePath();

    /** Waits (at most 60 s) until a launched gateway at {@code base} is ready; fails with its output if it dies first. */
    static void awaitReady(Process p, Path out, String base) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            assertThat(p.isAlive()).as(Files.readString(out)).isTrue();
            try {
                if (TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/health/readiness")).build()).statusCode() == 200) return;
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("ready within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @TempDir
    Path home;

    record Result(int exit, String output) {}

    Result cli(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("LITELLM_") || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @AfterEach
    void stopLeftovers() throws Exception {
        cli(home, "stop");
    }

    @Test
    void firstRunStartsAWorkingGatewayAndStopsIt() throws Exception {
        int port = TestGateway.freePort();
        Result start = cli(home, "start", "--port", Integer.toString(port));
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).contains("http://127.0.0.1:" + port + "/v1").contains("curl");

        Path env = home.resolve(".env");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
        String key = DotEnv.read(env).get("GATEWAY_MASTER_KEY");
        assertThat(key).startsWith("sk-").hasSizeGreaterThanOrEqualTo(35);
        assertThat(home.resolve("config.yaml")).exists();
        assertThat(home.resolve("data/gateway.db")).exists();

        var r = TestGateway.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}")).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body()).path("choices").get(0).path("message").path("content").asText()).contains("You said: Hello!");

        Result status = cli(home, "status", "--port", Integer.toString(port));
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("healthy").contains("pid:");

        Result logs = cli(home, "logs", "--tail", "50");
        assertThat(logs.exit()).isZero();
        assertThat(logs.output()).contains("listening on http://127.0.0.1:" + port).contains("/v1/chat/completions").doesNotContain(key);

        Result again = cli(home, "start", "--port", Integer.toString(port));
        assertThat(again.output()).contains("already running");

        Result stop = cli(home, "stop");
        assertThat(stop.exit()).isZero();
        assertThat(stop.output()).contains("stopped");
        assertThat(cli(home, "status").exit()).isEqualTo(3);
        // a second start keeps the secrets it created the first time
        assertThat(DotEnv.read(env).get("GATEWAY_MASTER_KEY")).isEqualTo(key);
    }

    @Test
    void startOnATakenPortFailsNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Result r = cli(home, "start", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.output()).contains("Port " + taken.getLocalPort()).contains("already in use");
        }
    }

    @Test
    void runRefusesAMasterKeyWithoutSk() throws Exception {
        Files.writeString(home.resolve(".env"), "GATEWAY_MASTER_KEY=1234567890abcdef\n");
        Result r = cli(home, "run", "--port", Integer.toString(TestGateway.freePort()));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("master key invalid").contains("sk-").doesNotContain("Exception");
    }

    static int freePort() throws IOException {
        return TestGateway.freePort();
    }
}
