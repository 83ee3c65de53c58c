package dev.aigateway.cli;

import dev.aigateway.config.DotEnv;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings read once the configuration is loaded, on {@code ./ai-gateway run} as a real process: the log level from
 * {@code .env} reaches logback (set up before any configuration existed), the event-loop count reaches Vert.x, and a
 * bad value stops start-up naming the variable instead of falling back.
 */
class ProcessSettingsIT {
    private static final String MASTER = "sk-settings-it-0123456789abcdefghijklmnopqrstuvw";

    @TempDir
    Path home;

    private ProcessBuilder run(int port, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(LauncherIT.LAUNCHER.toString(), "run", "--port", Integer.toString(port))
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("stdout.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("LITELLM_") || k.equals("DATABASE_URL")
                || k.equals("REDIS_URL") || k.equals("LOG_FORMAT"));
        pb.environment().put("GATEWAY_MASTER_KEY", MASTER);
        pb.environment().putAll(env);
        return pb;
    }

    /** Starts, waits for readiness, sends one chat request, stops gracefully; returns what the process printed. */
    private String serveOneRequest(Map<String, String> env) throws Exception {
        int port = TestGateway.freePort();
        Process p = run(port, env).start();
        Path out = home.resolve("stdout.log");
        try {
            String base = "http://127.0.0.1:" + port;
            LauncherIT.awaitReady(p, out, base);
            assertThat(TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("authorization", "Bearer " + MASTER).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build()).statusCode()).isEqualTo(200);
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private LauncherIT.Result refused(Map<String, String> env) throws Exception {
        Process p = run(TestGateway.freePort(), env).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new LauncherIT.Result(p.exitValue(), Files.readString(home.resolve("stdout.log"), StandardCharsets.UTF_8));
    }

    @Test
    void theLogLevelOfDotEnvAndTheEventLoopsOfTheEnvironmentApply() throws Exception {
        String info = serveOneRequest(Map.of("GATEWAY_EVENT_LOOPS", "3"));
        assertThat(info).as("the default level logs start-up and access lines").contains("(3 event loops").contains("/v1/chat/completions");

        DotEnv.put(home.resolve(".env"), Map.of("GATEWAY_LOG_LEVEL", "warn"));
        String warn = serveOneRequest(Map.of());
        assertThat(warn).as("WARN from .env: no INFO lines").doesNotContain(" INFO ").doesNotContain("listening on")
                .doesNotContain("/v1/chat/completions");
    }

    @Test
    void badValuesStopStartUpNamingTheVariable() throws Exception {
        for (Map.Entry<String, String> bad : List.of(Map.entry("GATEWAY_LOG_LEVEL", "verbose"), Map.entry("GATEWAY_EVENT_LOOPS", "0"),
                Map.entry("GATEWAY_DB_POOL_SIZE", "many"))) {
            LauncherIT.Result r = refused(Map.of(bad.getKey(), bad.getValue()));
            assertThat(r.exit()).as(r.output()).isEqualTo(1);
            assertThat(r.output()).contains("error: " + bad.getKey() + " must be").contains("'" + bad.getValue() + "'");
        }
    }
}
