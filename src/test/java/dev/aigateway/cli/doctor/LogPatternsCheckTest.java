package dev.aigateway.cli.doctor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The log check on lines as the gateway writes them: access log, start-up errors, JVM errors. */
class LogPatternsCheckTest {
    @TempDir
    Path home;

    List<Finding> check(String... lines) throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/gateway.log"), String.join("\n", lines) + "\n");
        return new DoctorKit(home).env("X=1").run(new LogPatternsCheck());
    }

    static String access(String id, String path, String key, String model, String deployment, int status) {
        return "2025-06-01T10:00:00.000Z INFO  access - " + id + " POST " + path + " key=" + key + " model=" + model
                + " deployment=" + deployment + " status=" + status + " latency_ms=1.00 overhead_ms=0.100";
    }

    @Test
    void aCleanLogPasses() throws Exception {
        List<Finding> f = check("2025-06-01T10:00:00.000Z INFO  GatewayServer - AI Gateway 0.1.0 listening on http://127.0.0.1:4000",
                access("req-1", "/v1/chat/completions", "open-webui", "mock", "mock-1", 200));
        assertThat(f).containsExactly(Finding.pass(LogPatternsCheck.NAME, "no known error patterns in the last 2 lines of data/gateway.log"));
    }

    @Test
    void eachKindOfTroubleIsCountedExplainedAndFixed() throws Exception {
        List<Finding> f = check(
                "error: Port 4000 on 127.0.0.1 is already in use. Stop what holds it",
                "error: master key invalid: GATEWAY_MASTER_KEY must start with 'sk-'",
                "error: Cannot open the database at postgresql://db:5432/gw: Connection to db:5432 refused.",
                access("req-2", "/v1/chat/completions", "open-webui", "gpt", "gpt-1", 401),
                access("req-3", "/v1/chat/completions", "-", "-", "-", 401),
                access("req-4", "/v1/chat/completions", "-", "-", "-", 401),
                access("req-5", "/v1/chat/completions", "open-webui", "gpt", "gpt-1", 429),
                access("req-6", "/v1/chat/completions", "open-webui", "-", "-", 404),
                access("req-7", "/v1/chat/completions", "open-webui", "gpt", "gpt-1", 502),
                "Terminating due to java.lang.OutOfMemoryError: Java heap space");
        assertThat(f).extracting(Finding::status).containsOnly(Status.WARN);
        String all = f.stream().map(x -> x.message() + " | " + x.fix()).collect(Collectors.joining("\n"));
        assertThat(all).contains("1x a start failed because the port was taken")
                .contains("1x a start failed: the master key does not start with sk-;").contains("| ./ai-gateway setup")
                .contains("1x the database was unreachable")
                .contains("1x a provider rejected its API key")
                .contains("2x clients sent a missing, unknown, blocked or expired key")
                .contains("1x rate limits or budgets were hit")
                .contains("1x clients asked for models this gateway does not serve")
                .contains("1x providers failed or could not be reached")
                .contains("1x the gateway ran out of heap").contains("RESOURCE_PROFILE=medium");
        assertThat(f).hasSize(9);
    }

    @Test
    void theDoctorsOwnProbesAndLinesBeforeTheLast2000AreNotCounted() throws Exception {
        String old = access("req-0", "/v1/chat/completions", "-", "-", "-", 401);
        List<String> lines = new java.util.ArrayList<>(List.of(old));
        IntStream.range(0, LogPatternsCheck.LINES).forEach(i -> lines.add(access("req-ok" + i, "/v1/chat/completions", "k", "mock", "m", 200)));
        lines.add(access("doctor-1a2b", "/v1/models", "-", "-", "-", 401));
        List<Finding> f = check(lines.toArray(String[]::new));
        assertThat(f).containsExactly(Finding.pass(LogPatternsCheck.NAME, "no known error patterns in the last 2000 lines of data/gateway.log"));
    }
}
