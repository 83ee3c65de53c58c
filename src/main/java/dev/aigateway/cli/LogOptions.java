package dev.aigateway.cli;

import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

/** {@code --log-format} for the commands that run a server ({@code run}, {@code start}); the configuration reads it. */
final class LogOptions {
    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (default) or json: one JSON object per log line (also GATEWAY_LOG_FORMAT / LOG_FORMAT)")
    String logFormat;

    /** The flag under its variable's name: it wins over GATEWAY_LOG_FORMAT / LOG_FORMAT in the environment and .env. */
    Map<String, String> asFlags() {
        return logFormat == null ? Map.of() : Map.of("GATEWAY_LOG_FORMAT", logFormat);
    }

    /** The flag again, for the background process {@code start} launches. */
    List<String> asArguments() {
        return logFormat == null ? List.of() : List.of("--log-format", logFormat);
    }
}
