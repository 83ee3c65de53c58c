package dev.aigateway.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests with a wrong key are throttled per client address ({@code general_settings.invalid_key_attempts_per_minute}):
 * past the limit every request with a key from that address gets 429 with Retry-After in OpenAI's shape, the right key
 * included; other addresses (named by a trusted proxy) are not affected, and a request without any key does not count.
 */
class InvalidKeyThrottleTest {
    private static final String CHAT = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static HttpResponse<String> chat(TestGateway gw, String key, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT));
        if (key != null) b.header("authorization", "Bearer " + key);
        if (forwardedFor != null) b.header("x-forwarded-for", forwardedFor);
        return TestGateway.send(b.build());
    }

    @Test
    void repeatedWrongKeysFromOneAddressGet429UntilTheMinuteEnds() {
        try (TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/mock-gpt}
                general_settings:
                  invalid_key_attempts_per_minute: 5
                """)) {
            for (int i = 0; i < 8; i++) {
                assertThat(chat(gw, null, null).statusCode()).as("no key at all is not a guess").isEqualTo(401);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(chat(gw, "sk-guess-" + i, null).statusCode()).as("guess %d", i + 1).isEqualTo(401);
            }
            HttpResponse<String> limited = chat(gw, "sk-guess-6", null);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("retry-after")).isPresent();
            assertThat(Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
            JsonNode e = TestGateway.json(limited).path("error");
            assertThat(e.path("type").asText()).isEqualTo("rate_limit_error");
            assertThat(e.path("code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(e.path("message").asText()).contains("invalid API key");
            assertThat(e.has("param")).isTrue();

            HttpResponse<String> right = chat(gw, TestGateway.MASTER_KEY, null);
            assertThat(right.statusCode()).as("checked before the key: a right guess does not get through either").isEqualTo(429);
            assertThat(gw.get("/key/list", TestGateway.MASTER_KEY).statusCode()).as("on every route").isEqualTo(429);

            // Another client behind the proxy on this machine (loopback is trusted by default) has its own count;
            // X-Forwarded-For is read from the right, past trusted proxies.
            assertThat(chat(gw, TestGateway.MASTER_KEY, "198.51.100.7").statusCode()).isEqualTo(200);
            assertThat(chat(gw, TestGateway.MASTER_KEY, "198.51.100.8, 127.0.0.2").statusCode()).isEqualTo(200);
            assertThat(chat(gw, TestGateway.MASTER_KEY, "198.51.100.9, 127.0.0.1").statusCode()).isEqualTo(200);
            // ... but the address the proxy saw decides: a client cannot escape by writing its own entry on the left
            for (int i = 0; i < 6; i++) chat(gw, "sk-guess-" + i, "10.9.9.9, 198.51.100.20");
            assertThat(chat(gw, TestGateway.MASTER_KEY, "203.0.113.1, 198.51.100.20").statusCode()).isEqualTo(429);
            // an IPv6 client counts as its /64
            for (int i = 0; i < 6; i++) chat(gw, "sk-guess-" + i, "2001:db8:1:2::" + (i + 1));
            assertThat(chat(gw, TestGateway.MASTER_KEY, "2001:db8:1:2::ff").statusCode()).isEqualTo(429);
            assertThat(chat(gw, TestGateway.MASTER_KEY, "2001:db8:1:3::1").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void zeroTurnsTheThrottleOff() {
        try (TestGateway gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/mock-gpt}
                general_settings:
                  invalid_key_attempts_per_minute: 0
                """)) {
            for (int i = 0; i < 40; i++) assertThat(chat(gw, "sk-guess-" + i, null).statusCode()).isEqualTo(401);
            assertThat(chat(gw, TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(200);
        }
    }
}
