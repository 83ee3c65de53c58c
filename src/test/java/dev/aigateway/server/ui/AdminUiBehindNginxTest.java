package dev.aigateway.server.ui;

import dev.aigateway.testing.StackNginx;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;

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
        StackNginx.requireNginx("the admin UI behind Nginx");
        Browser browser = Browser.start();
        if (browser == null) {
            System.err.println("#".repeat(100) + "\n### SKIPPING the admin UI behind Nginx: " + Browser.unavailableReason + "\n" + "#".repeat(100));
            Assumptions.abort("Admin UI browser test skipped: " + Browser.unavailableReason);
        }
        try (browser; TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: mock-chat
                    litellm_params:
                      model: mock/mock-chat
                      mock_response: "%s"
                      mock_tokens_per_second: 20
                """.formatted(REPLY)); StackNginx stack = StackNginx.start(gw)) {
            String base = stack.base();

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
            assertThat(stack.accessLog()).contains("POST /api/litellm/key/generate").contains("POST /api/litellm/v1/chat/completions");
        }
    }
}
