package dev.aigateway.ui;

import com.sun.net.httpserver.HttpServer;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

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
 * The admin UI through the stack's real Nginx (deploy/nginx.conf), where only /api/litellm/..., /health/... and /ui reach
 * the gateway and everything else goes to Open WebUI (a fake here, answering "open-webui here"): /ui leads to the UI,
 * and the UI's own API calls, cookie and streamed playground replies all work under the proxy's prefix. Skipped loudly
 * without nginx or Chromium.
 */
class AdminUiBehindNginxTest {
    static final String REPLY = "Streamed through Nginx to the admin UI, word by word.";

    @Test
    void theUiWorksBehindTheStacksNginxUnderItsApiPrefix() throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) {
            System.err.println("#".repeat(100) + "\n### SKIPPING the admin UI behind Nginx: nginx is not installed (apt-get install nginx)\n" + "#".repeat(100));
            Assumptions.abort("nginx is not installed (apt-get install nginx)");
        }
        Browser browser = Browser.start();
        if (browser == null) {
            System.err.println("#".repeat(100) + "\n### SKIPPING the admin UI behind Nginx: " + Browser.unavailableReason + "\n" + "#".repeat(100));
            Assumptions.abort("Admin UI browser test skipped: " + Browser.unavailableReason);
        }
        HttpServer webui = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webui.createContext("/", ex -> {
            byte[] body = "open-webui here".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        webui.start();
        Process proxy = null;
        try (browser; TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: mock-chat
                    litellm_params:
                      model: mock/mock-chat
                      mock_response: "%s"
                      mock_tokens_per_second: 20
                """.formatted(REPLY))) {
            int port = TestGateway.freePort();
            Path prefix = Files.createTempDirectory("ui-nginx");
            Files.createDirectories(prefix.resolve("logs"));
            Path mime = Path.of("/etc/nginx/mime.types");
            Files.writeString(prefix.resolve("mime.types"), Files.exists(mime) ? Files.readString(mime) : "types {}\n");
            String conf = Files.readString(Path.of("deploy", "nginx.conf"))
                    .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                    .replace("server litellm:4000;", "server 127.0.0.1:" + gw.server().port() + ";")
                    .replace("server open-webui:8080;", "server 127.0.0.1:" + webui.getAddress().getPort() + ";")
                    .replace("/var/log/nginx/access.log", prefix.resolve("logs/access.log").toString());
            Files.writeString(prefix.resolve("nginx.conf"), conf);
            proxy = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
                    "-g", "daemon off; pid " + prefix.resolve("nginx.pid") + "; error_log " + prefix.resolve("logs/error.log") + ";")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
            String base = "http://127.0.0.1:" + port;
            waitFor(base + "/nginx-health", proxy);

            browser.open(base + "/ui");
            browser.waitFor(By.id("master-key"));
            assertThat(browser.driver.getCurrentUrl()).isEqualTo(base + "/api/litellm/ui/");
            browser.type(By.id("master-key"), TestGateway.MASTER_KEY);
            browser.click(By.id("login-submit"));
            assertThat(browser.waitFor(By.cssSelector("#models-list tr[data-model='mock-chat']")).getText()).contains("mock/mock-chat");

            browser.js("location.hash = '#/keys'");
            browser.click(By.id("create-key"));
            browser.type(By.id("key-alias"), "via-nginx");
            browser.click(By.id("create-key-submit"));
            assertThat(browser.waitFor(By.id("new-key")).getText()).startsWith("sk-");
            browser.click(By.id("key-done"));
            browser.waitFor(By.cssSelector("#keys-list tr[data-alias='via-nginx']"));

            browser.js("location.hash = '#/playground'");
            browser.until(d -> !d.findElements(By.cssSelector("#pg-model option[value='mock-chat']")).isEmpty());
            new Select(browser.waitFor(By.id("pg-model"))).selectByValue("mock-chat");
            browser.type(By.id("pg-input"), "hello");
            browser.click(By.id("pg-send"));
            assertThat(browser.waitFor(By.cssSelector(".msg.assistant[data-state='done'] .bubble"), Duration.ofSeconds(20)).getText()).isEqualTo(REPLY);
            browser.screenshot("20-behind-nginx-playground");

            browser.js("location.hash = '#/health'");
            assertThat(browser.waitFor(By.cssSelector("#h-status .value")).getText()).isEqualTo("healthy");
            assertThat(browser.consoleErrors()).isEmpty();
            assertThat(Files.readString(prefix.resolve("logs/access.log"))).contains("POST /api/litellm/key/generate").contains("POST /api/litellm/v1/chat/completions");
        } finally {
            if (proxy != null) {
                proxy.destroy();
                proxy.waitFor(10, TimeUnit.SECONDS);
            }
            webui.stop(0);
        }
    }

    private static void waitFor(String url, Process proxy) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(proxy.isAlive()).as("nginx is running").isTrue();
            try {
                if (TestGateway.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build()).statusCode() == 200) return;
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nginx did not start on " + url);
    }
}
