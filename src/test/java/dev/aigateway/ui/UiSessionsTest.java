package dev.aigateway.ui;

import dev.aigateway.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session store, the login throttle and the UI settings, on a clock the test moves. */
class UiSessionsTest {
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);

    @Test
    void aSessionExpiresAfterTheIdleTimeoutAndUseKeepsItAlive() {
        UiSessions sessions = new UiSessions(Duration.ofMinutes(30).toMillis(), now::get);
        UiSession s = sessions.create("master-key");
        now.addAndGet(Duration.ofMinutes(29).toMillis());
        assertThat(sessions.touch(s.id())).as("used within the timeout").isSameAs(s);
        now.addAndGet(Duration.ofMinutes(29).toMillis());
        assertThat(sessions.touch(s.id())).as("58 minutes old, but used 29 minutes ago").isSameAs(s);
        now.addAndGet(Duration.ofMinutes(30).toMillis());
        assertThat(sessions.touch(s.id())).as("idle for the whole timeout").isNull();
        assertThat(sessions.size()).as("an expired session is dropped").isZero();
        now.addAndGet(-Duration.ofMinutes(10).toMillis());
        assertThat(sessions.touch(s.id())).as("gone for good").isNull();
    }

    @Test
    void expiredSessionsAreSweptWhenNewOnesAreCreated() {
        UiSessions sessions = new UiSessions(1000, now::get);
        for (int i = 0; i < 5; i++) sessions.create("u" + i);
        now.addAndGet(1000);
        sessions.create("fresh");
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void logoutRemovesTheSession() {
        UiSessions sessions = new UiSessions(60_000, now::get);
        UiSession s = sessions.create("master-key");
        sessions.remove(s.id());
        assertThat(sessions.touch(s.id())).isNull();
        assertThat(sessions.touch(null)).isNull();
        assertThat(sessions.touch("")).isNull();
    }

    @Test
    void idsAndCsrfTokensAre256RandomBits() {
        UiSessions sessions = new UiSessions(60_000, now::get);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            UiSession s = sessions.create("u");
            assertThat(s.id()).hasSize(43).matches("[A-Za-z0-9_-]+"); // 32 bytes, base64url without padding
            assertThat(s.csrfToken()).hasSize(43).isNotEqualTo(s.id());
            assertThat(seen.add(s.id()) && seen.add(s.csrfToken())).isTrue();
        }
        UiSession x = sessions.create("u");
        assertThat(x.toString()).doesNotContain(x.id()).doesNotContain(x.csrfToken());
    }

    @Test
    void theLoginThrottleAllowsTheLimitPerMinuteAndAddress() {
        now.set(1_800_000_000_000L - 1_800_000_000_000L % 60_000 + 15_000); // 15 s into a minute
        LoginThrottle throttle = new LoginThrottle(10, now::get);
        for (int i = 0; i < 10; i++) assertThat(throttle.attempt("10.0.0.1")).as("attempt %d", i + 1).isZero();
        assertThat(throttle.attempt("10.0.0.1")).as("the 11th waits for the next minute").isEqualTo(45);
        assertThat(throttle.attempt("10.0.0.2")).as("another address has its own count").isZero();
        now.addAndGet(45_000);
        assertThat(throttle.attempt("10.0.0.1")).as("a new minute").isZero();
    }

    @Test
    void settingsReadDurationsAndRefuseNonsense() {
        assertThat(UiSettings.duration(null)).isEqualTo(Duration.ofHours(12));
        assertThat(UiSettings.duration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(UiSettings.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(UiSettings.duration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(UiSettings.duration("900")).isEqualTo(Duration.ofSeconds(900));
        assertThatThrownBy(() -> UiSettings.duration("soon")).isInstanceOf(ConfigException.class).hasMessageContaining("UI_SESSION_IDLE_TIMEOUT");
        assertThatThrownBy(() -> UiSettings.duration("0")).isInstanceOf(ConfigException.class);
        assertThat(UiSettings.attempts(null)).isEqualTo(10);
        assertThat(UiSettings.attempts("3")).isEqualTo(3);
        assertThatThrownBy(() -> UiSettings.attempts("-1")).isInstanceOf(ConfigException.class).hasMessageContaining("UI_LOGIN_ATTEMPTS_PER_MINUTE");
    }

    @Test
    void forwardedForIsTrustedOnlyFromProxiesOnThisMachineOrAPrivateNetwork() {
        for (String proxy : new String[]{"127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "10.1.2.3", "172.18.0.5", "192.168.1.9", "fd12:3456::1"}) {
            assertThat(LoginHandler.trustedProxy(proxy)).as(proxy).isTrue();
        }
        for (String client : new String[]{"203.0.113.7", "8.8.8.8", "172.32.0.1", "2001:db8::1", "localhost", "example.com", "cafe.be", ""}) {
            assertThat(LoginHandler.trustedProxy(client)).as(client).isFalse();
        }
    }

    @Test
    void staticPathsOnlyAllowPlainNames() {
        assertThat(StaticFiles.safe("index.html")).isTrue();
        assertThat(StaticFiles.safe("js/pages/models.js")).isTrue();
        assertThat(StaticFiles.safe("vendor/uplot-1.6.32/uPlot.iife.min.js")).isTrue();
        for (String bad : new String[]{"../pom.xml", "js/../../pricing/NOTICE.md", "..", ".env", "js/.hidden", "/etc/passwd", "js//app.js",
                "%2e%2e/pom.xml", "js\\..\\app.js", "js/app.js/", "a..b/c.js", "js/app.js?x", "js/app.js\u0000.png", ""}) {
            assertThat(StaticFiles.safe(bad)).as(bad).isFalse();
        }
    }
}
