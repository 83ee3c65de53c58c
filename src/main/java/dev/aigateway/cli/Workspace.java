package dev.aigateway.cli;

import java.nio.file.Path;

/**
 * Where a gateway keeps its files: {@code .env} and {@code config.yaml} in the working directory
 * ({@code GATEWAY_HOME}, else the current directory), and {@code data/} beside them for the database,
 * the pid file and the log.
 */
public record Workspace(Path home) {

    public static Workspace current() {
        String h = System.getenv("GATEWAY_HOME");
        return new Workspace(Path.of(h != null && !h.isBlank() ? h : "").toAbsolutePath().normalize());
    }

    public Path dotEnv() { return home.resolve(".env"); }
    public Path configYaml() { return home.resolve("config.yaml"); }
    public Path dataDir() { return home.resolve("data"); }
    public Path pidFile() { return dataDir().resolve("gateway.pid"); }
    public Path logFile() { return dataDir().resolve("gateway.log"); }
}
