package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * The background gateway runs (data/gateway.pid names a live process) and {@code /health/readiness} says healthy.
 * This replaces the LiteLLM stack's {@code docker compose ps} / "Containers won't start" / 502 / 503 checks.
 */
public final class ProcessCheck implements Check {
    static final String NAME = "gateway process";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        Optional<Long> pid = ctx.gatewayPid();
        if (pid.isEmpty()) {
            if (ctx.gatewayAnswers()) return List.of(health(ctx, "not started by ./ai-gateway start (no data/gateway.pid)"));
            boolean stale = java.nio.file.Files.exists(ctx.workspace().pidFile());
            return List.of(Finding.warn(NAME, "not running" + (stale ? " (data/gateway.pid names a process that has exited)" : ""), "./ai-gateway start"));
        }
        if (ctx.config() == null) {
            return List.of(Finding.warn(NAME, "pid " + pid.get() + " runs; health not checked: the configuration does not load", "see the configuration line"));
        }
        DoctorHttp.Answer r = ctx.readiness();
        if (r == null || !r.answered()) {
            return List.of(Finding.fail(NAME, "pid " + pid.get() + " runs but nothing answers at " + ctx.baseUrl() + "/health/readiness ("
                    + (r == null ? "no address" : r.error()) + ")", "./ai-gateway logs --tail 50, then ./ai-gateway stop && ./ai-gateway start"));
        }
        if (!ctx.gatewayAnswers()) {
            return List.of(Finding.fail(NAME, "pid " + pid.get() + " runs, but " + ctx.baseUrl() + " answers HTTP " + r.status()
                    + " that is not an AI Gateway", "see the port line: another program holds the port"));
        }
        return List.of(health(ctx, "pid " + pid.get()));
    }

    private static Finding health(DoctorContext ctx, String who) {
        DoctorHttp.Answer r = ctx.readiness();
        JsonNode h = r.json();
        String summary = who + ", " + h.path("status").asText() + " (db " + h.path("db").asText() + ", redis " + h.path("redis").asText()
                + "), version " + h.path("version").asText() + ", up " + h.path("uptime_seconds").asLong() + " s";
        if (r.status() == 200 && "healthy".equals(h.path("status").asText())) return Finding.pass(NAME, summary);
        return Finding.fail(NAME, summary, "see the database and redis lines; ./ai-gateway logs --tail 50");
    }
}
