package dev.aigateway.server.transport;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real gateway process ({@code ./ai-gateway run}, the launcher's {@code small} profile: 128 MiB heap, Serial GC,
 * exit on out-of-memory) under the abuse an unauthenticated client can send, in turn: 1,000 slowloris connections
 * sending their headers a byte a second; connections declaring 32 MiB (and 6 MiB) bodies and sending nothing;
 * concurrent 5, 10 and 15 MB chat bodies; more connections than the limit. Afterwards the process must be alive and
 * answer a chat; its peak RSS (VmHWM) and what each phase saw are printed (docs/security.md quotes them).
 * Timeouts are shortened (5 s) and the connection limit lowered (1,200) so every bound shows within the run.
 */
class ClientAbuseIT {
    static final Path LAUNCHER = Path.of("ai-gateway").toAbsolutePath();
    static final String MASTER = "sk-client-abuse-it-0123456789abcdefghijklmnopqrstuv";
    static final int SLOWLORIS = 1_000;
    static final int MAX_CONNECTIONS = 1_200;

    @TempDir
    Path home;

    @Test
    void aSmallProfileGatewaySurvivesAbusiveClients() throws Exception {
        Files.writeString(home.resolve("config.yaml"), """
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/abuse, mock_response: "still here"}
                """);
        int port = TestGateway.freePort();
        Process gw = start(port);
        long pid = gw.pid();
        List<String> report = new ArrayList<>();
        try {
            long rssIdle = status(pid, "VmRSS");
            report.add("started: VmRSS " + kib(rssIdle));

            // 0. idle connections that send nothing: what one costs
            long heapBefore = heapUsedAfterGc(pid);
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < SLOWLORIS; i++) idle.add(connect(port));
            Thread.sleep(1_000);
            long rssIdleConns = status(pid, "VmRSS");
            long heapIdle = heapUsedAfterGc(pid);
            report.add(String.format("%d idle connections: heap after GC %+,d KiB (%.1f KiB per connection), VmRSS %s (%.1f KiB per connection)",
                    SLOWLORIS, heapIdle - heapBefore, (heapIdle - heapBefore) / (double) SLOWLORIS, kib(rssIdleConns),
                    (rssIdleConns - rssIdle) / (double) SLOWLORIS));
            idle.forEach(ClientAbuseIT::closeQuietly);
            Thread.sleep(500);

            // 1. slowloris: 15 KB of one header line at once (just under the 16 KiB block limit), then a byte a second, never finished
            long t0 = System.nanoTime();
            long rssBefore = status(pid, "VmRSS");
            List<Socket> loris = new ArrayList<>();
            byte[] start = ("POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nx-slow: " + "s".repeat(15_000)).getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < SLOWLORIS; i++) {
                Socket s = connect(port);
                s.getOutputStream().write(start);
                loris.add(s);
            }
            Thread.sleep(1_000);
            long rssLoris = status(pid, "VmRSS");
            long heapLoris = heapUsedAfterGc(pid);
            report.add(String.format("slowloris: %d connections with 15 KB of headers each: heap after GC %+,d KiB over the start (%.1f KiB per connection), "
                    + "VmRSS %s (%+,d KiB)", SLOWLORIS, heapLoris - heapBefore, (heapLoris - heapBefore) / (double) SLOWLORIS,
                    kib(rssLoris), (rssLoris - rssBefore)));
            int closed = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (closed < SLOWLORIS && System.nanoTime() < deadline) {
                closed = 0;
                for (Socket s : loris) {
                    if (s.isClosed()) {
                        closed++;
                        continue;
                    }
                    try {
                        s.getOutputStream().write('s'); // the header line goes on, never ending
                        s.setSoTimeout(1);
                        if (s.getInputStream().read() < 0) s.close();
                    } catch (SocketTimeoutException stillOpen) {
                        // the server has not closed it yet
                    } catch (IOException gone) {
                        s.close();
                    }
                }
                Thread.sleep(1_000);
            }
            report.add(String.format("slowloris: %d of %d closed by the gateway after %.1f s (header timeout 5 s)", closed, SLOWLORIS,
                    (System.nanoTime() - t0) / 1e9));
            loris.forEach(ClientAbuseIT::closeQuietly);
            assertThat(closed).as("slowloris connections closed by the header timeout").isEqualTo(SLOWLORIS);
            assertThat(gw.isAlive()).isTrue();

            // 2. bodies declared and never sent: 32 MiB (over the limit) and 6 MiB (under it)
            Map<Integer, Integer> declared32 = new TreeMap<>();
            Map<Integer, Integer> declared6 = new TreeMap<>();
            List<Socket> silent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Socket s = connect(port);
                s.getOutputStream().write(chatHead(32L * 1024 * 1024).getBytes(StandardCharsets.ISO_8859_1));
                declared32.merge(status(s), 1, Integer::sum);
                s.close();
            }
            for (int i = 0; i < 16; i++) {
                Socket s = connect(port);
                s.getOutputStream().write(chatHead(6L * 1024 * 1024).getBytes(StandardCharsets.ISO_8859_1));
                silent.add(s);
            }
            for (Socket s : silent) declared6.merge(status(s), 1, Integer::sum);
            silent.forEach(ClientAbuseIT::closeQuietly);
            report.add("declared 32 MiB, sent nothing: " + declared32 + "; declared 6 MiB, sent nothing: " + declared6 + " (status: count)");
            assertThat(declared32).containsOnlyKeys(413);
            assertThat(declared6).containsOnlyKeys(408); // the 5 s body timeout
            assertThat(gw.isAlive()).isTrue();

            // 3. concurrent large chat bodies, 5 to 15 MB
            Map<String, Integer> large = new ConcurrentHashMap<>();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            ExecutorService pool = Executors.newFixedThreadPool(12);
            List<Future<?>> sent = new ArrayList<>();
            int[] megabytes = {5, 5, 5, 5, 5, 5, 10, 10, 15, 15, 15, 5};
            Map<Integer, byte[]> bodies = new TreeMap<>(); // built once: twelve senders must not fill the test's own heap
            for (int mb : new int[]{5, 10, 15}) bodies.put(mb, chat("lorem ipsum ".repeat(mb * 1_000_000 / 12)).getBytes(StandardCharsets.UTF_8));
            for (int round = 0; round < 3; round++) {
                for (int mb : megabytes) {
                    sent.add(pool.submit(() -> {
                        String outcome;
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                                    .timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + MASTER)
                                    .header("content-type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(mb))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            String code = r.body().contains("gateway_overloaded") ? " gateway_overloaded" : "";
                            outcome = r.statusCode() + code;
                        } catch (Exception e) {
                            outcome = "connection closed while sending"; // refused mid-upload: the answer raced the upload
                        }
                        large.merge(mb + " MB -> " + outcome, 1, Integer::sum);
                    }));
                }
            }
            for (Future<?> f : sent) f.get(120, TimeUnit.SECONDS);
            pool.shutdown();
            report.add("concurrent 5-15 MB chat bodies (3 rounds of 12): " + new TreeMap<>(large));
            assertThat(gw.isAlive()).as("alive after the large bodies").isTrue();
            assertThat(large.keySet()).as("no 5 MB body is refused as too large; every 10 or 15 MB one is")
                    .noneMatch(k -> k.startsWith("5 MB -> 413")).noneMatch(k -> k.matches("1[05] MB -> (200|503).*"));
            assertThat(large.keySet()).as("some 5 MB bodies are answered").anyMatch(k -> k.startsWith("5 MB -> 200"));

            // 4. more connections than the limit
            List<Socket> many = new ArrayList<>();
            int refusedAtOnce = 0;
            for (int i = 0; i < MAX_CONNECTIONS + 300; i++) {
                try {
                    many.add(connect(port));
                } catch (IOException e) {
                    refusedAtOnce++;
                }
            }
            Thread.sleep(500);
            for (Socket s : many) {
                try {
                    s.setSoTimeout(1);
                    if (s.getInputStream().read() < 0) refusedAtOnce++;
                } catch (SocketTimeoutException open) {
                    // held
                } catch (IOException reset) {
                    refusedAtOnce++;
                }
            }
            long rssMany = status(pid, "VmRSS");
            report.add(String.format("%d connections opened with the limit at %d: %d closed at once; VmRSS %s", MAX_CONNECTIONS + 300,
                    MAX_CONNECTIONS, refusedAtOnce, kib(rssMany)));
            assertThat(refusedAtOnce).as("connections over the limit closed at once").isGreaterThanOrEqualTo(300);
            many.forEach(ClientAbuseIT::closeQuietly);
            assertThat(gw.isAlive()).isTrue();

            // afterwards: alive and answering
            Thread.sleep(500);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + MASTER).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("hello"))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("still here");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("authorization", "Bearer " + MASTER).build(), HttpResponse.BodyHandlers.ofString());
            metrics.body().lines().filter(l -> l.startsWith("gateway_refused_connections_total") || l.startsWith("gateway_request_body_memory"))
                    .forEach(l -> report.add("metrics: " + l));
            report.add("peak RSS (VmHWM): " + kib(status(pid, "VmHWM")) + "; process alive: " + gw.isAlive());
        } finally {
            System.out.println("ClientAbuseIT (small profile, pid " + pid + "):");
            report.forEach(l -> System.out.println("  " + l));
            gw.destroy();
            gw.waitFor(30, TimeUnit.SECONDS);
            String log = Files.readString(home.resolve("gateway.log"));
            System.out.println("  gateway log: " + log.lines().count() + " lines, "
                    + log.lines().filter(l -> l.startsWith("\tat ")).count() + " stack-trace lines, OutOfMemoryError: " + log.contains("OutOfMemoryError"));
        }
        String log = Files.readString(home.resolve("gateway.log"));
        assertThat(log).doesNotContain("OutOfMemoryError");
        assertThat(log.lines().filter(l -> l.startsWith("\tat "))).as("stack traces in the gateway's log").isEmpty();
    }

    static String chat(String content) {
        return "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    static String chatHead(long contentLength) {
        return "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer " + MASTER
                + "\r\ncontent-type: application/json\r\ncontent-length: " + contentLength + "\r\n\r\n";
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    /** The status of the answer on {@code s} (waits up to 20 s), or -1 when the connection closed without one. */
    static int status(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        byte[] head = new byte[12];
        int n = in.readNBytes(head, 0, head.length);
        if (n < 12) return -1;
        return Integer.parseInt(new String(head, 9, 3, StandardCharsets.ISO_8859_1));
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    static String kib(long kib) {
        return String.format("%,d KiB", kib);
    }

    /** The gateway's heap in use after a full GC, in KiB (jcmd of the JDK running this test; -1 without one). */
    static long heapUsedAfterGc(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) return -1;
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        Process info = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor(30, TimeUnit.SECONDS);
        long used = 0;
        var m = java.util.regex.Pattern.compile("(?m)^\\s*\\w+\\s+total \\d+K, used (\\d+)K").matcher(out);
        while (m.find()) used += Long.parseLong(m.group(1));
        return used;
    }

    /** A field of /proc/<pid>/status, in KiB. */
    static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    private Process start(int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "run", "--port", Integer.toString(port))
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("gateway.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("LITELLM_") || k.equals("DATABASE_URL")
                || k.equals("REDIS_URL") || k.equals("RESOURCE_PROFILE") || k.equals("KEEPALIVE_TIMEOUT"));
        pb.environment().putAll(Map.of("GATEWAY_MASTER_KEY", MASTER, "RESOURCE_PROFILE", "small",
                "GATEWAY_HEADER_TIMEOUT_SECONDS", "5", "GATEWAY_BODY_TIMEOUT_SECONDS", "5",
                "GATEWAY_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS)));
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertThat(p.isAlive()).as(Files.readString(home.resolve("gateway.log"))).isTrue();
            try {
                if (TestGateway.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness")).build()).statusCode() == 200) {
                    return p;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("ready within 90 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
