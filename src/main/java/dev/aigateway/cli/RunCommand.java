package dev.aigateway.cli;

import dev.aigateway.config.ConfigException;
import dev.aigateway.server.GatewayServer;
import dev.aigateway.store.StoreException;
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

    @Override
    public Integer call() {
        Workspace ws = Workspace.current();
        GatewayServer server;
        try {
            logging.resolve(ws).apply(); // before the first line the server logs
            server = GatewayServer.start(options.load(ws));
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
