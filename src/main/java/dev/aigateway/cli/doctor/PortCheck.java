package dev.aigateway.cli.doctor;

import dev.aigateway.config.GatewayConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configured port is free, or held by this workspace's own gateway; otherwise the process holding it is named
 * (the LiteLLM stack's "Port Conflicts" and "bind: address already in use").
 */
public final class PortCheck implements Check {
    static final String NAME = "port";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        GatewayConfig c = ctx.config();
        if (c == null) return List.of(Finding.warn(NAME, "not checked: the configuration does not load", "see the configuration line"));
        List<Finding> out = new ArrayList<>();
        int port = c.port();
        String where = port + " on " + c.host();
        Optional<Long> ours = ctx.gatewayPid();
        if (free(c.host(), port)) {
            if (ours.isPresent()) {
                out.add(Finding.warn(NAME, where + " is free, but the gateway (pid " + ours.get() + ") runs: it was started on another port, "
                        + "or GATEWAY_PORT changed since", "./ai-gateway stop && ./ai-gateway start"));
            } else {
                out.add(Finding.pass(NAME, where + " is free"));
            }
        } else {
            Optional<PortOwner.Holder> holder = PortOwner.find(port);
            boolean heldByOurs = ours.isPresent() && (holder.isEmpty() ? ctx.gatewayAnswers() : holder.get().pid() == ours.get());
            if (heldByOurs) {
                out.add(Finding.pass(NAME, where + " is held by this gateway (pid " + ours.get() + ")"));
            } else if (ctx.gatewayAnswers()) {
                out.add(Finding.warn(NAME, where + " is held by an AI Gateway that ./ai-gateway start did not start here"
                        + holder.map(h -> " (" + h.describe() + ")").orElse(""),
                        "nothing to do if it is this workspace's gateway under systemd or `run`; otherwise stop it or change GATEWAY_PORT in .env"));
            } else {
                String who = holder.map(PortOwner.Holder::describe).orElse("another program (run `sudo ss -ltnp 'sport = :" + port + "'` to see which)");
                String stop = holder.map(h -> "stop it (kill " + h.pid() + ")").orElse("stop it");
                out.add(Finding.fail(NAME, where + " is already in use by " + who,
                        stop + ", or change GATEWAY_PORT in .env (./ai-gateway setup offers a free port in 49152-65535)"));
            }
        }
        if (port < 1024) {
            out.add(Finding.warn(NAME, port + " is below 1024: only root may listen on it", "GATEWAY_PORT=4000 (1024-65535) in .env"));
        }
        return out;
    }

    /** Binding the address succeeds (the test start runs before it spawns the gateway). */
    static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
