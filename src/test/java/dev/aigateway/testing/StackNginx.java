package dev.aigateway.testing;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Assumptions;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack's front door for a test: Debian's nginx running deploy/nginx.conf, with the gateway's
 * upstream pointed at a {@link TestGateway} and Open WebUI's at a stand-in that answers {@code open-webui here}.
 */
public final class StackNginx implements AutoCloseable {
    public static final String WEBUI_BODY = "open-webui here";
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final HttpServer webui;
    private final Process proxy;
    private final Path prefix;
    private final String base;

    private StackNginx(HttpServer webui, Process proxy, Path prefix, String base) {
        this.webui = webui;
        this.proxy = proxy;
        this.prefix = prefix;
        this.base = base;
    }

    /** Skips the calling test, loudly, when nginx is not installed. */
    public static void requireNginx(String what) {
        if (!Files.isExecutable(NGINX)) {
            System.err.println("#".repeat(100) + "\n### SKIPPING " + what + ": nginx is not installed (apt-get install nginx)\n" + "#".repeat(100));
            Assumptions.abort("nginx is not installed (apt-get install nginx)");
        }
    }

    /** Starts the stand-in Open WebUI and nginx in front of {@code gw}; returns once nginx answers. */
    public static StackNginx start(TestGateway gw) throws Exception {
        HttpServer webui = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webui.createContext("/", ex -> {
            byte[] body = WEBUI_BODY.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        webui.start();
        Process proxy = null;
        try {
            int port = TestGateway.freePort();
            Path prefix = Files.createTempDirectory("nginx-stack");
            Files.createDirectories(prefix.resolve("logs"));
            Path mime = Path.of("/etc/nginx/mime.types");
            Files.writeString(prefix.resolve("mime.types"), Files.exists(mime) ? Files.readString(mime) : "types {}\n");
            String conf = Files.readString(Path.of("deploy", "nginx.conf"))
                    .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                    .replace("server litellm:4000;", "server 127.0.0.1:" + gw.server().port() + ";")
                    .replace("server open-webui:8080;", "server 127.0.0.1:" + webui.getAddress().getPort() + ";")
                    .replace("/var/log/nginx/access.log", prefix.resolve("logs/access.log").toString());
            Files.writeString(prefix.resolve("nginx.conf"), conf);
            proxy = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
                    "-g", "daemon off; pid " + prefix.resolve("nginx.pid") + "; error_log " + prefix.resolve("logs/error.log") + ";")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
            StackNginx stack = new StackNginx(webui, proxy, prefix, "http://127.0.0.1:" + port);
            stack.waitUntilUp();
            return stack;
        } catch (Exception | AssertionError e) {
            if (proxy != null) proxy.destroy();
            webui.stop(0);
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}: where clients reach the stack. */
    public String base() {
        return base;
    }

    public String accessLog() throws java.io.IOException {
        return Files.readString(prefix.resolve("logs/access.log"));
    }

    private void waitUntilUp() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Path errors = prefix.resolve("logs/error.log");
            assertThat(proxy.isAlive()).as("nginx is running: %s", Files.exists(errors) ? Files.readString(errors) : "").isTrue();
            try {
                HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/nginx-health")).timeout(Duration.ofSeconds(1)).build();
                if (TestGateway.send(health).statusCode() == 200) return;
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nginx did not start on " + base);
    }

    @Override
    public void close() throws InterruptedException {
        proxy.destroy();
        proxy.waitFor(10, TimeUnit.SECONDS);
        webui.stop(0);
    }
}
