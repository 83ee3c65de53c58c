package dev.aigateway.cli;

import dev.aigateway.config.ConfigLoader;
import dev.aigateway.config.GatewayConfig;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The flags shared by {@code run} and {@code start}; they take precedence over every other source. */
final class ServerOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "config.yaml to use (default: ./config.yaml if present)")
    String config;

    @Option(names = "--port", paramLabel = "N", description = "port to listen on (default 4000)")
    Integer port;

    @Option(names = "--host", paramLabel = "H", description = "address to listen on (default 127.0.0.1)")
    String host;

    Map<String, String> asFlags() {
        Map<String, String> flags = new HashMap<>();
        if (config != null) flags.put("GATEWAY_CONFIG", config);
        if (port != null) flags.put("GATEWAY_PORT", port.toString());
        if (host != null) flags.put("GATEWAY_HOST", host);
        return flags;
    }

    /** The same flags as arguments, to hand to a child process. */
    List<String> asArguments() {
        List<String> args = new java.util.ArrayList<>();
        if (config != null) { args.add("--config"); args.add(config); }
        if (port != null) { args.add("--port"); args.add(port.toString()); }
        if (host != null) { args.add("--host"); args.add(host); }
        return args;
    }

    GatewayConfig load(Workspace ws) {
        return ConfigLoader.load(asFlags(), System.getenv(), ws.home());
    }

    /** The same, with {@code --log-format} among the flags. */
    GatewayConfig load(Workspace ws, LogOptions logging) {
        Map<String, String> flags = asFlags();
        flags.putAll(logging.asFlags());
        return ConfigLoader.load(flags, System.getenv(), ws.home());
    }
}
