package dev.aigateway.cli;

import dev.aigateway.config.GatewayConfig;
import dev.aigateway.core.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code start}: prepares a fresh checkout (see {@link FirstRun}), starts {@code run} as a background
 * process with its output in {@code data/gateway.log}, waits until it is ready and prints how to use it.
 */
@Command(name = "start", description = "Start the gateway in the background and wait until it is ready.")
final class StartCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Mixin
    LogOptions logging;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "how long to wait for readiness (default 60)")
    int waitSeconds = 60;

    @Override
    public Integer call() throws Exception {
        Workspace ws = Workspace.current();
        Optional<ProcessHandle> existing = ProcessFiles.running(ws);
        if (existing.isPresent()) {
            System.out.println("AI Gateway is already running (pid " + existing.get().pid() + "). Use ./ai-gateway status or ./ai-gateway stop.");
            return 0;
        }
        FirstRun.prepare(ws, System.getenv()).forEach(System.out::println);
        GatewayConfig config;
        try {
            config = options.load(ws, logging); // a bad --log-format fails here, not in the background process
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        if (!portFree(config.host(), config.port())) {
            System.err.println("error: Port " + config.port() + " on " + config.host() + " is already in use. Find what holds it with "
                    + "`ss -ltnp 'sport = :" + config.port() + "'` (or `lsof -i :" + config.port() + "`), stop it, or pick another port: "
                    + "./ai-gateway start --port N (or GATEWAY_PORT=N in .env).");
            return 1;
        }
        Files.createDirectories(ws.dataDir());
        Process child = spawn(ws);
        ProcessFiles.writePid(ws, child.pid());
        String base = Http.baseUrl(config.host(), config.port());
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                ProcessFiles.removePid(ws);
                System.err.println("error: the gateway exited during start-up (exit code " + child.exitValue() + "). Last log lines:");
                System.err.println(ProcessFiles.tail(ws, 20));
                return 1;
            }
            HttpResponse<String> r = Http.get(base + "/health/readiness", Duration.ofSeconds(2));
            if (r != null && r.statusCode() == 200) {
                printWelcome(ws, config, base, child.pid());
                return 0;
            }
            Thread.sleep(50);
        }
        System.err.println("error: the gateway did not become ready within " + waitSeconds + " s; see " + ws.logFile());
        return 1;
    }

    private Process spawn(Workspace ws) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The launcher names a class-data archive per command; the child is a `run`.
            cmd.add(arg.startsWith("-XX:SharedArchiveFile=") ? arg.replaceFirst("-[a-z-]+\\.jsa$", "-run.jsa") : arg);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("run");
        cmd.addAll(options.asArguments());
        cmd.addAll(logging.asArguments());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(ws.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(ws.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null").exists() ? new java.io.File("/dev/null") : new java.io.File("NUL")));
        pb.environment().put("GATEWAY_HOME", ws.home().toString());
        return pb.start();
    }

    static boolean portFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void printWelcome(Workspace ws, GatewayConfig config, String base, long pid) {
        String keyHint = config.masterKey() == null ? "(no master key: the gateway is open)"
                : "GATEWAY_MASTER_KEY in " + ws.dotEnv();
        String model = config.deployments().isEmpty() ? "mock" : config.deployments().get(0).modelName();
        System.out.println("AI Gateway is running (pid " + pid + ").");
        System.out.println("  API:     " + base + "/v1");
        System.out.println("  Health:  " + base + "/health/readiness");
        System.out.println("  Key:     " + keyHint);
        System.out.println("  Logs:    ./ai-gateway logs -f   (" + ws.logFile() + ")");
        System.out.println("  Stop:    ./ai-gateway stop");
        System.out.println("Try it:");
        System.out.println("  curl " + base + "/v1/chat/completions -H \"Authorization: Bearer $(grep ^GATEWAY_MASTER_KEY= .env | cut -d= -f2)\" \\");
        System.out.println("    -H 'Content-Type: application/json' -d '{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}'");
    }
}
