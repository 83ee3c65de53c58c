package dev.aigateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code status}: whether the background gateway runs, and its pid, address, health and version. Exit 3 when stopped. */
@Command(name = "status", description = "Show whether the gateway is running: pid, port, health, version.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        Workspace ws = Workspace.current();
        Optional<ProcessHandle> p = ProcessFiles.running(ws);
        if (p.isEmpty()) {
            System.out.println("AI Gateway is not running. Start it with ./ai-gateway start");
            return 3;
        }
        System.out.println("pid:      " + p.get().pid());
        GatewayConfig config;
        try {
            config = options.load(ws);
        } catch (ConfigException e) {
            System.out.println("config:   error: " + e.getMessage());
            return 1;
        }
        String base = Http.baseUrl(config.host(), config.port());
        System.out.println("url:      " + base);
        HttpResponse<String> r = Http.get(base + "/health/readiness", Duration.ofSeconds(3));
        if (r == null) {
            System.out.println("health:   not answering on " + base + " (see ./ai-gateway logs)");
            return 1;
        }
        JsonNode h = Json.tryParse(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (h == null) {
            System.out.println("health:   unexpected answer (HTTP " + r.statusCode() + ")");
            return 1;
        }
        System.out.println("health:   " + h.path("status").asText() + " (db " + h.path("db").asText() + ", redis " + h.path("redis").asText() + ")");
        System.out.println("version:  " + h.path("version").asText());
        System.out.println("uptime:   " + h.path("uptime_seconds").asLong() + " s");
        System.out.println("models:   " + h.path("models").asInt());
        return r.statusCode() == 200 ? 0 : 1;
    }
}
