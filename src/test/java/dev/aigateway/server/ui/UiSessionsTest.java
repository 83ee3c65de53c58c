package dev.aigateway.server.ui;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The session store and the UI settings, on a clock the test moves (the login throttle: governance/AddressThrottleTest). */
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
