package dev.aigateway.cli.doctor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static dev.aigateway.cli.doctor.DoctorKit.only;
import static org.assertj.core.api.Assertions.assertThat;

/** Memory (from a /proc made for the test), disk space, and the clock comparison. */
class ResourceChecksTest {
    @TempDir
    Path home;
    @TempDir
    Path proc;

    void machine(long totalKb, long availableKb, long pid, long rssKb) throws Exception {
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       " + totalKb + " kB\nMemFree:          1000 kB\nMemAvailable:   " + availableKb + " kB\n");
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/status"), "Name:\tjava\nVmPeak:\t 999999 kB\nVmRSS:\t  " + rssKb + " kB\n");
    }

    @Test
    void aTwoGigabyteMachineWarnsNamingTheSmallProfile() throws Exception {
        machine(2_000_000, 900_000, 4242, 130_000);
        DoctorKit kit = new DoctorKit(home).env("RESOURCE_PROFILE=medium").config(DoctorKit.MOCK_ONLY);
        kit.pid = 4242L;
        Finding f = only(kit.run(new MemoryCheck(proc)));
        assertThat(f.status()).isEqualTo(Status.WARN);
        assertThat(f.message()).startsWith("gateway RSS 126 MB (profile medium, heap at most 512 MB); machine 1.9 GB total, 0.9 GB available")
                .contains("pick the small profile").contains("about 300 MB");
        assertThat(f.fix()).isEqualTo("RESOURCE_PROFILE=small in .env, then ./ai-gateway stop && ./ai-gateway start");
    }

    @Test
    void aBigMachinePassesAndLowAvailableMemoryWarns() throws Exception {
        machine(16_000_000, 12_000_000, 7, 100_000);
        DoctorKit kit = new DoctorKit(home).env("X=1").config(DoctorKit.MOCK_ONLY);
        kit.pid = 7L;
        assertThat(only(kit.run(new MemoryCheck(proc))).status()).isEqualTo(Status.PASS);
        machine(16_000_000, 100_000, 7, 100_000);
        List<Finding> low = kit.run(new MemoryCheck(proc));
        assertThat(low.get(1).status()).isEqualTo(Status.WARN);
        assertThat(low.get(1).message()).contains("only 97 MB available");
    }

    @Test
    void theLargeProfileOnAFourGigabyteMachineWarns() throws Exception {
        machine(4_000_000, 3_000_000, 7, 100_000);
        DoctorKit kit = new DoctorKit(home).env("RESOURCE_PROFILE=large").config(DoctorKit.MOCK_ONLY);
        Finding f = only(kit.run(new MemoryCheck(proc)));
        assertThat(f.status()).isEqualTo(Status.WARN);
        assertThat(f.fix()).startsWith("RESOURCE_PROFILE=medium in .env");
    }

    @Test
    void diskSpaceIsMeasuredWhereDataLives() throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/gateway.log"), "x".repeat(2048));
        Finding f = only(new DoctorKit(home).env("X=1").run(new DiskCheck()));
        assertThat(f.message()).contains(" free for " + home.resolve("data")).contains("(gateway.log is 2.0 KB)");
        assertThat(f.status()).isEqualTo(Files.getFileStore(home).getUsableSpace() < DiskCheck.WARN_BYTES ? Status.WARN : Status.PASS);
        assertThat(DiskCheck.human(150L * 1024 * 1024)).isEqualTo("150.0 MB");
    }

    @Test
    void clockSkewFromADateHeader() {
        Instant now = Instant.now();
        assertThat(ClockSkewCheck.skew(answer(now.plusSeconds(300), now))).isBetween(Duration.ofSeconds(298), Duration.ofSeconds(301));
        assertThat(ClockSkewCheck.skew(answer(now, now))).isEqualTo(Duration.ZERO);
        assertThat(ClockSkewCheck.skew(new DoctorHttp.Answer(0, null, null, now, now, "connection refused"))).isNull();
    }

    @Test
    void withoutAnHttpsProviderTheClockCannotBeComparedAndSaysSo() {
        Finding f = only(new DoctorKit(home).env("GATEWAY_PORT=1").config(DoctorKit.MOCK_ONLY).run(new ClockSkewCheck()));
        assertThat(f).isEqualTo(Finding.pass(ClockSkewCheck.NAME, "could not compare with a remote clock (no HTTPS provider configured or reachable)"));
    }

    static DoctorHttp.Answer answer(Instant serverTime, Instant localTime) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(serverTime.atOffset(ZoneOffset.UTC));
        HttpHeaders headers = HttpHeaders.of(Map.of("date", List.of(date)), (a, b) -> true);
        return new DoctorHttp.Answer(200, "{}", headers, localTime, localTime, null);
    }
}
