import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark helper (not part of the gateway): time from launch to ready. Starts COMMAND (with "{port}"
 * replaced by a free port) RUNS times, each time measuring from just before the process is exec'd to the
 * first HTTP 200 on GET /health/readiness, polling every 10 ms; then stops it with SIGTERM and times the
 * exit. With --also-java it then repeats with the java command line the launcher exec'd into (read from
 * /proc/PID/cmdline), which shows what the launcher script itself costs.
 *
 * <p>Run (from the gateway's working directory):
 * {@code java bench/LaunchTimer.java RUNS PIDFILE LOGDIR [--also-java] -- ./ai-gateway run --port {port}}.
 * Prints {@code LAUNCH kind=launcher|java run=N ready_ms=X exit_ms=Y} per run (ready_ms=-1: never ready).
 */
public class LaunchTimer {
    static Process current;

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path pidFile = Path.of(args[1]);
        Path logDir = Path.of(args[2]);
        boolean alsoJava = false;
        int i = 3;
        for (; i < args.length && !args[i].equals("--"); i++) {
            if (args[i].equals("--also-java")) alsoJava = true;
        }
        List<String> command = new ArrayList<>(Arrays.asList(args).subList(i + 1, args.length));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = current;
            if (p != null && p.isAlive()) p.destroyForcibly();
        }));
        warmUp();

        List<String> javaCommand = null;
        for (int r = 1; r <= runs; r++) {
            Result res = launch(command, pidFile, logDir.resolve("launch-launcher-" + r + ".log"), alsoJava && javaCommand == null);
            if (res.cmdline != null) javaCommand = res.cmdline;
            System.out.printf("LAUNCH kind=launcher run=%d ready_ms=%.1f exit_ms=%.1f%n", r, res.readyMs, res.exitMs);
        }
        if (alsoJava && javaCommand != null) {
            for (int r = 1; r <= runs; r++) {
                Result res = launch(javaCommand, pidFile, logDir.resolve("launch-java-" + r + ".log"), false);
                System.out.printf("LAUNCH kind=java run=%d ready_ms=%.1f exit_ms=%.1f%n", r, res.readyMs, res.exitMs);
            }
        }
        System.out.flush();
    }

    record Result(double readyMs, double exitMs, List<String> cmdline) {}

    static Result launch(List<String> template, Path pidFile, Path log, boolean captureCmdline) throws Exception {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        for (String a : template) cmd.add(a.replace("{port}", Integer.toString(port)));
        // A java command line read from /proc carries the first run's port: give it this run's.
        for (int k = 0; k + 1 < cmd.size(); k++) {
            if (cmd.get(k).equals("--port")) cmd.set(k + 1, Integer.toString(port));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        current = p;
        Files.writeString(pidFile, p.pid() + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        double readyMs = -1;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (ready(port)) {
                readyMs = (System.nanoTime() - t0) / 1e6;
                break;
            }
            Thread.sleep(10);
        }
        List<String> cmdline = null;
        if (captureCmdline && readyMs >= 0) {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline"));
            cmdline = new ArrayList<>(Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0")));
        }
        long t1 = System.nanoTime();
        p.destroy(); // SIGTERM: the gateway's shutdown hook flushes and closes
        double exitMs;
        if (p.waitFor(20, TimeUnit.SECONDS)) {
            exitMs = (System.nanoTime() - t1) / 1e6;
        } else {
            p.destroyForcibly().waitFor();
            exitMs = -1;
        }
        current = null;
        if (readyMs < 0) System.err.println("launch never became ready; see " + log);
        return new Result(readyMs, exitMs, cmdline);
    }

    /** True when GET /health/readiness answers 200. */
    static boolean ready(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health/readiness HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return status != null && status.startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Loads the socket classes before the first timed launch. */
    static void warmUp() throws IOException {
        ready(freePort());
    }
}
