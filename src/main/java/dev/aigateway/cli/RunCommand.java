package dev.aigateway.cli;

import dev.aigateway.config.ConfigException;
import dev.aigateway.server.GatewayServer;
import dev.aigateway.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code run}: the server in the foreground, until SIGTERM or Ctrl-C. */
@Command(name = "run", description = "Run the gateway in the foreground (containers, systemd, tests).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        Workspace ws = Workspace.current();
        GatewayServer server;
        try {
            server = GatewayServer.start(options.load(ws));
        } catch (ConfigException | StoreException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
