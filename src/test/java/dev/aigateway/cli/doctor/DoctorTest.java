package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The report: one aligned line per finding with its fix, the summary, JSON, the exit code, a crashing check. */
class DoctorTest {
    @TempDir
    Path home;

    static final List<Finding> FINDINGS = List.of(
            Finding.pass(".env permissions", "600"),
            Finding.warn("virtual key", "VIRTUAL_KEY is not in .env", "./ai-gateway virtual-key"),
            Finding.fail("master key", "does not start with sk-", "./ai-gateway setup"));

    @Test
    void textLinesAreAlignedWithTheFixAfterWhatWasFound() {
        String text = Doctor.text(FINDINGS);
        assertThat(text.lines().toList()).startsWith(
                "PASS  .env permissions         600",
                "WARN  virtual key              VIRTUAL_KEY is not in .env   → fix: ./ai-gateway virtual-key",
                "FAIL  master key               does not start with sk-   → fix: ./ai-gateway setup");
        assertThat(text).endsWith("1 passed, 1 warning, 1 failed.\n");
        assertThat(Doctor.text(FINDINGS, "->")).contains("   -> fix: ./ai-gateway setup");
    }

    @Test
    void jsonIsAnArrayOfCheckStatusMessageFix() {
        JsonNode arr = Json.parse(Doctor.json(FINDINGS));
        assertThat(arr.isArray()).isTrue();
        assertThat(arr.get(0).toString()).isEqualTo("{\"check\":\".env permissions\",\"status\":\"pass\",\"message\":\"600\",\"fix\":null}");
        assertThat(arr.get(2).path("status").asText()).isEqualTo("fail");
        assertThat(arr.get(2).path("fix").asText()).isEqualTo("./ai-gateway setup");
    }

    @Test
    void exitCodeIsOneOnlyWhenSomethingFails() {
        assertThat(Doctor.exitCode(FINDINGS)).isEqualTo(1);
        assertThat(Doctor.exitCode(FINDINGS.subList(0, 2))).isZero();
    }

    @Test
    void aCrashingCheckBecomesAFailLineAndTheOthersStillRun() {
        Check crashing = ctx -> {
            throw new IllegalStateException("boom");
        };
        List<Finding> f = new Doctor(List.of(crashing, new DotEnvCheck())).run(new DoctorKit(home).context());
        assertThat(f.get(0).status()).isEqualTo(Status.FAIL);
        assertThat(f.get(0).message()).contains("boom");
        assertThat(f.get(1).check()).isEqualTo(".env");
    }

    @Test
    void everyStandardCheckRunsOnAnEmptyDirectoryWithoutCrashing() {
        List<Finding> f = Doctor.standard().run(new DoctorKit(home).context());
        assertThat(f).noneMatch(x -> x.message().contains("the check itself failed"));
        assertThat(f).extracting(Finding::check).contains(".env", "configuration", "master key", "virtual key", "port", "gateway process",
                "database", "redis", "provider key", "models", "memory", "disk space", "log", "clock");
    }
}
