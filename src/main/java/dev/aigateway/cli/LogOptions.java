package dev.aigateway.cli;

import dev.aigateway.config.DotEnv;
import dev.aigateway.config.Settings;
import dev.aigateway.logging.LogFormat;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --log-format} for the commands that run a server ({@code run}, {@code start}). */
final class LogOptions {
    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (default) or json: one JSON object per log line (also GATEWAY_LOG_FORMAT / LOG_FORMAT)")
    String logFormat;

    /** The format: --log-format, else GATEWAY_LOG_FORMAT / LOG_FORMAT from the environment, else from .env. */
    LogFormat resolve(Workspace ws) {
        Map<String, String> flags = new HashMap<>();
        if (logFormat != null) flags.put("GATEWAY_LOG_FORMAT", logFormat);
        return LogFormat.resolve(new Settings(flags, System.getenv(), DotEnv.read(ws.dotEnv())));
    }

    /** The flag again, for the background process {@code start} launches. */
    List<String> asArguments() {
        return logFormat == null ? List.of() : List.of("--log-format", logFormat);
    }
}
