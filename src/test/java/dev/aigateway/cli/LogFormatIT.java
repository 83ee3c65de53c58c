package dev.aigateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./ai-gateway run --log-format json} as a real process: every line it prints is one JSON object. */
class LogFormatIT {
    private static final String MASTER = "sk-logformat-it-0123456789abcdefghijklmnopqrstuv";

    @TempDir
    Path home;

    @Test
    void runWithJsonLogFormatPrintsOneJsonObjectPerLineAndNoKeys() throws Exception {
        int port = TestGateway.freePort();
        Path out = home.resolve("stdout.log");
        ProcessBuilder pb = new ProcessBuilder(LauncherIT.LAUNCHER.toString(), "run", "--port", Integer.toString(port), "--log-format", "json")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("LITELLM_") || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        pb.environment().put("GATEWAY_MASTER_KEY", MASTER);
        Process p = pb.start();
        try {
            String base = "http://127.0.0.1:" + port;
            LauncherIT.awaitReady(p, out, base);
            HttpResponse<String> chat = TestGateway.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("authorization", "Bearer " + MASTER).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
            assertThat(chat.statusCode()).isEqualTo(200);
            String id = chat.headers().firstValue("x-request-id").orElseThrow();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.readString(out).contains(id) && System.nanoTime() < until) Thread.sleep(50);
        } finally {
            p.destroy(); // SIGTERM: graceful shutdown
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isZero();
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(log).doesNotContain(MASTER).doesNotContainIgnoringCase("bearer");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.isBlank()) continue;
            assertThat(line).as("every line is a JSON object").startsWith("{").endsWith("}");
            lines.add(Json.parse(line));
        }
        assertThat(lines).anySatisfy(n -> assertThat(n.path("message").asText()).contains("listening on http://127.0.0.1:" + port));
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.path("logger").asText()).isEqualTo("access");
            assertThat(n.path("path").asText()).isEqualTo("/v1/chat/completions");
            assertThat(n.path("model").asText()).isEqualTo("mock");
            assertThat(n.path("key_alias").asText()).isEqualTo("master-key");
            assertThat(n.path("status").asInt()).isEqualTo(200);
            assertThat(n.path("latency_ms").isNumber()).isTrue();
        });
    }

    @Test
    void startPassesTheFormatToTheBackgroundProcessAndLogsShowsIt() throws Exception {
        int port = TestGateway.freePort();
        try {
            LauncherIT.Result start = cli("start", "--port", Integer.toString(port), "--log-format", "json");
            assertThat(start.exit()).as(start.output()).isZero();
            LauncherIT.Result logs = cli("logs", "--tail", "20");
            assertThat(logs.exit()).isZero();
            List<String> lines = logs.output().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(Json.parse(l).path("level").asText()).isNotEmpty());
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("listening on http://127.0.0.1:" + port));
        } finally {
            cli("stop");
        }
    }

    private LauncherIT.Result cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LauncherIT.LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("LITELLM_") || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new LauncherIT.Result(p.exitValue(), out);
    }

    @Test
    void startRefusesAnUnknownLogFormatBeforeStartingAnything() throws Exception {
        Process p = new ProcessBuilder(LauncherIT.LAUNCHER.toString(), "start", "--port", Integer.toString(TestGateway.freePort()),
                "--log-format", "xml").directory(home.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("--log-format").contains("'text' or 'json'");
        assertThat(home.resolve("data/gateway.pid")).doesNotExist();
    }
}
