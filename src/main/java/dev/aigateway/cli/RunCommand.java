package dev.aigateway.cli;

import dev.aigateway.config.GatewayConfig;
import dev.aigateway.core.ConfigException;
import dev.aigateway.db.StoreException;
import dev.aigateway.logging.LogConfigurator;
import dev.aigateway.server.GatewayServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code run}: the server in the foreground, until SIGTERM or Ctrl-C. */
@Command(name = "run", description = "Run the gateway in the foreground (containers, systemd, tests).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Mixin
    LogOptions logging;

    /**
     * {@code run} with nothing but its own flags, parsed without picocli: picocli's classes are Java 5 bytecode,
     * which the class-data archive cannot hold, and building its command tree cost about 0.3 s of every start-up.
     * Anything else (help, a typo, a bad port) returns null and goes through picocli for its usual messages.
     */
    static RunCommand parseFast(String... args) {
        if (args.length == 0 || !args[0].equals("run")) return null;
        RunCommand run = new RunCommand();
        run.options = new ServerOptions();
        run.logging = new LogOptions();
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            switch (name) {
                case "--config" -> {
                    if (run.options.config != null) return null; // repeated: picocli explains
                    run.options.config = value;
                }
                case "--host" -> {
                    if (run.options.host != null) return null;
                    run.options.host = value;
                }
                case "--log-format" -> {
                    if (run.logging.logFormat != null) return null;
                    run.logging.logFormat = value;
                }
                case "--port" -> {
                    if (run.options.port != null) return null;
                    try {
                        run.options.port = Integer.valueOf(value);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return run;
    }

    @Override
    public Integer call() {
        Workspace ws = Workspace.current();
        GatewayServer server;
        try {
            GatewayConfig config = options.load(ws, logging);
            LogConfigurator.apply(config.logging()); // before the first line the server logs
            server = GatewayServer.start(config);
        } catch (ConfigException | StoreException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            server.close();
            stopped.countDown();
        };
        // SIGTERM/SIGINT: drain in-flight requests, flush spend, then exit 0 (a JVM killed by a signal exits 143).
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> new Thread(() -> {
                    shutdown.run();
                    System.exit(0);
                }, "gateway-shutdown").start());
            } catch (IllegalArgumentException unsupported) {
                // e.g. no SIGTERM on this platform: the shutdown hook below still drains
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopped.getCount() > 0) shutdown.run();
        }, "gateway-shutdown-hook"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
