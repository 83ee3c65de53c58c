package dev.aigateway.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.config.RouterSettingsReader;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deployment choice: strategies, order tiers, cooldowns, health and pre-call checks, with a hand-moved clock. */
class RouterTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    static Deployment d(String id, String params) {
        ObjectNode p = (ObjectNode) Json.parse(params);
        double weight = p.has("weight") ? p.get("weight").asDouble() : 1;
        int order = p.path("order").asInt(0);
        return new Deployment(id, "m", "mock", id, null, null, null, null, null, weight, order, p, Json.object(), true);
    }

    Router router(String settingsYamlAsJson, Deployment... ds) {
        RouterSettings s = RouterSettingsReader.read((ObjectNode) Json.parse(settingsYamlAsJson), null);
        Map<String, ModelPrice> prices = new HashMap<>();
        prices.put("cheap", new ModelPrice(null, null, 1000L, null, 1e-7, 1e-7, null, null));
        prices.put("dear", new ModelPrice(null, null, 100_000L, null, 1e-5, 3e-5, null, null));
        return new Router(new ModelCatalog(List.of(ds)), s, x -> prices.getOrDefault(x.id(), ModelPrice.UNKNOWN), clock);
    }

    Map<String, Integer> histogram(Router r, int n) {
        Map<String, Integer> h = new HashMap<>();
        for (int i = 0; i < n; i++) h.merge(r.pick("m").id(), 1, Integer::sum);
        return h;
    }

    @Test
    void simpleShuffleHonoursWeightsWithinStatisticalBounds() {
        Router r = router("{}", d("a", "{\"weight\":1}"), d("b", "{\"weight\":2}"), d("c", "{\"weight\":7}"));
        Map<String, Integer> h = histogram(r, 20_000);
        // Binomial standard deviation at p=0.7, n=20,000 is ~65; 4 sigma is ~260 picks (1.3%).
        assertThat(h.get("a") / 20_000.0).isBetween(0.087, 0.113);
        assertThat(h.get("b") / 20_000.0).isBetween(0.187, 0.213);
        assertThat(h.get("c") / 20_000.0).isBetween(0.687, 0.713);
    }

    @Test
    void simpleShuffleFallsBackToRpmAsWeight() {
        Router r = router("{}", d("a", "{\"rpm\":100}"), d("b", "{\"rpm\":300}"));
        assertThat(histogram(r, 10_000).get("b") / 10_000.0).isBetween(0.72, 0.78);
    }

    @Test
    void lowerOrderTierIsUsedFirstAndHigherOnlyWhenItIsUnavailable() {
        Router r = router("{\"allowed_fails\":0,\"cooldown_time\":10}", d("primary", "{\"order\":1}"), d("backup", "{\"order\":2}"));
        assertThat(histogram(r, 200)).containsOnlyKeys("primary");
        Deployment primary = r.catalog().deployments("m").get(0);
        assertThat(r.recordFailure(primary, ErrorKind.SERVER)).isTrue();
        assertThat(histogram(r, 200)).containsOnlyKeys("backup");
        clock.advance(Duration.ofSeconds(11));
        assertThat(histogram(r, 200)).containsOnlyKeys("primary");
    }

    @Test
    void cooldownAfterAllowedFailsAndBackAfterCooldownTime() {
        Router r = router("{\"allowed_fails\":2,\"cooldown_time\":30}", d("a", "{}"), d("b", "{}"));
        Deployment a = r.catalog().deployments("m").get(0);
        assertThat(r.recordFailure(a, ErrorKind.RATE_LIMIT)).isFalse();
        assertThat(r.recordFailure(a, ErrorKind.SERVER)).isFalse();
        assertThat(r.recordFailure(a, ErrorKind.BAD_REQUEST)).as("the caller's mistakes do not count").isFalse();
        assertThat(r.recordFailure(a, ErrorKind.TIMEOUT)).as("third failure > allowed_fails=2").isTrue();
        assertThat(histogram(r, 300)).containsOnlyKeys("b");
        clock.advance(Duration.ofSeconds(29));
        assertThat(histogram(r, 300)).containsOnlyKeys("b");
        clock.advance(Duration.ofSeconds(2));
        assertThat(histogram(r, 300)).containsKeys("a", "b");
    }

    @Test
    void everythingCoolingDownIs503WithRetryAfter() {
        Router r = router("{\"allowed_fails\":0,\"cooldown_time\":12}", d("a", "{}"));
        r.recordFailure(r.catalog().deployments("m").get(0), ErrorKind.SERVER);
        assertThatThrownBy(() -> r.pick("m")).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.type()).isEqualTo("service_unavailable");
            assertThat(e.headers().get("Retry-After")).isEqualTo("12");
        });
    }

    @Test
    void failedHealthCheckIsSkipped() {
        Router r = router("{}", d("a", "{}"), d("b", "{}"));
        r.stats(r.catalog().deployments("m").get(0)).healthError("401 from provider");
        assertThat(histogram(r, 100)).containsOnlyKeys("b");
    }

    @Test
    void triedDeploymentsAreAvoidedWhileOthersRemain() {
        Router r = router("{}", d("a", "{}"), d("b", "{}"), d("c", "{}"));
        for (int i = 0; i < 100; i++) assertThat(r.pick("m", Set.of("a", "b"), -1).id()).isEqualTo("c");
        assertThat(r.pick("m", Set.of("a", "b", "c"), -1).id()).as("all tried: retry one of them").isIn("a", "b", "c");
    }

    @Test
    void leastBusyPicksTheDeploymentWithFewestInFlight() {
        Router r = router("{\"routing_strategy\":\"least-busy\"}", d("a", "{}"), d("b", "{}"));
        r.stats(r.catalog().deployments("m").get(0)).inFlight.set(5);
        assertThat(histogram(r, 100)).containsOnlyKeys("b");
    }

    @Test
    void latencyBasedPrefersTheFastestAndExploresUnmeasured() {
        Router r = router("{\"routing_strategy\":\"latency-based-routing\"}", d("slow", "{}"), d("fast", "{}"));
        List<Deployment> ds = r.catalog().deployments("m");
        r.recordSuccess(ds.get(0), 900, false);
        assertThat(histogram(r, 50)).as("unmeasured first").containsOnlyKeys("fast");
        r.recordSuccess(ds.get(1), 100, false);
        assertThat(histogram(r, 100)).containsOnlyKeys("fast");
        Router buffered = router("{\"routing_strategy\":\"latency-based-routing\",\"lowest_latency_buffer\":10}", d("slow", "{}"), d("fast", "{}"));
        buffered.recordSuccess(buffered.catalog().deployments("m").get(0), 900, false);
        buffered.recordSuccess(buffered.catalog().deployments("m").get(1), 100, false);
        assertThat(histogram(buffered, 400)).as("within the buffer both are fair game").containsKeys("slow", "fast");
    }

    @Test
    void usageBasedPicksTheMostHeadroom() {
        Router r = router("{\"routing_strategy\":\"usage-based-routing\"}", d("a", "{\"rpm\":10}"), d("b", "{\"rpm\":10}"));
        Deployment a = r.catalog().deployments("m").get(0);
        for (int i = 0; i < 6; i++) r.countRequest(a);
        assertThat(histogram(r, 20)).containsOnlyKeys("b");
    }

    @Test
    void costBasedPicksTheCheapest() {
        Router r = router("{\"routing_strategy\":\"cost-based-routing\"}", d("dear", "{}"), d("cheap", "{}"));
        assertThat(histogram(r, 50)).containsOnlyKeys("cheap");
    }

    @Test
    void preCallChecksSkipDeploymentsWithTooSmallAContextWindow() {
        Router r = router("{\"enable_pre_call_checks\":true,\"routing_strategy\":\"cost-based-routing\"}", d("cheap", "{}"), d("dear", "{}"));
        assertThat(r.pick("m", Set.of(), 500).id()).isEqualTo("cheap");
        assertThat(r.pick("m", Set.of(), 5_000).id()).as("cheap holds only 1,000 tokens").isEqualTo("dear");
        assertThatThrownBy(() -> r.pick("m", Set.of(), 500_000))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo("context_length_exceeded"));
    }

    @Test
    void modelGroupAliasResolves() {
        Router r = router("{\"model_group_alias\":{\"gpt-4\":\"m\"}}", d("a", "{}"));
        assertThat(r.serves("gpt-4")).isTrue();
        assertThat(r.pick("gpt-4").id()).isEqualTo("a");
    }

    @Test
    void settingsAreValidatedNamingTheKey() {
        assertThatThrownBy(() -> RouterSettingsReader.read((ObjectNode) Json.parse("{\"routing_strategy\":\"fastest\"}"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("router_settings.routing_strategy");
        assertThatThrownBy(() -> RouterSettingsReader.read((ObjectNode) Json.parse("{\"num_retries\":-1}"), null))
                .hasMessageContaining("router_settings.num_retries");
        assertThatThrownBy(() -> RouterSettingsReader.read((ObjectNode) Json.parse("{\"fallbacks\":\"claude\"}"), null))
                .hasMessageContaining("router_settings.fallbacks");
        assertThatThrownBy(() -> RouterSettingsReader.read((ObjectNode) Json.parse("{\"retry_policy\":{\"OopsRetries\":1}}"), null))
                .hasMessageContaining("router_settings.retry_policy.OopsRetries");
        // the same rules as general_settings: plain decimals, bounded, booleans by name
        assertThatThrownBy(() -> RouterSettingsReader.read((ObjectNode) Json.parse("{\"cooldown_time\":\"5d\"}"), null))
                .hasMessageContaining("router_settings.cooldown_time must be a number of seconds from 0 to 86400");
        assertThatThrownBy(() -> RouterSettingsReader.read((ObjectNode) Json.parse("{\"enable_pre_call_checks\":\"maybe\"}"), null))
                .hasMessageContaining("router_settings.enable_pre_call_checks must be true or false");
        assertThat(RouterSettingsReader.read((ObjectNode) Json.parse("{\"enable_pre_call_checks\":\"yes\",\"cooldown_time\":\"2.5\"}"), null))
                .satisfies(r -> {
                    assertThat(r.preCallChecks()).isTrue();
                    assertThat(r.cooldownTime()).isEqualTo(java.time.Duration.ofMillis(2500));
                });
        RouterSettings s = RouterSettingsReader.read((ObjectNode) Json.parse(
                "{\"fallbacks\":[{\"a\":[\"b\",\"c\"]}],\"default_fallbacks\":[\"z\"],\"context_window_fallbacks\":[{\"a\":[\"big\"]}],"
                        + "\"retry_policy\":{\"RateLimitErrorRetries\":5}}"), null);
        assertThat(s.fallbacksFor("a", ErrorKind.SERVER)).containsExactly("b", "c");
        assertThat(s.fallbacksFor("other", ErrorKind.SERVER)).containsExactly("z");
        assertThat(s.fallbacksFor("a", ErrorKind.CONTEXT_WINDOW)).containsExactly("big");
        assertThat(s.fallbacksFor("a", ErrorKind.BAD_REQUEST)).isEmpty();
        assertThat(s.retryPolicy().retriesFor(ErrorKind.RATE_LIMIT, 2)).isEqualTo(5);
        assertThat(s.retryPolicy().retriesFor(ErrorKind.TIMEOUT, 2)).isEqualTo(2);
        assertThat(s.retryPolicy().retriesFor(ErrorKind.AUTHENTICATION, 2)).isZero();
        assertThat(new ArrayList<>(s.fallbacks().keySet())).containsExactly("a");
    }

    @Test
    void aSessionKeepsItsDeploymentUntilItCoolsDownThenComesBack() {
        Router r = router("{\"allowed_fails\":0,\"cooldown_time\":10}", d("a", "{}"), d("b", "{}"), d("c", "{}"));
        long session = SessionAffinity.key("claude-session-1".hashCode());
        Deployment home = r.pick("m", Set.of(), Set.of(), -1, session);
        for (int i = 0; i < 50; i++) assertThat(r.pick("m", Set.of(), Set.of(), -1, session)).isSameAs(home);
        assertThat(r.pick("m", Set.of(home.id()), Set.of(), -1, session)).as("a retry goes elsewhere").isNotSameAs(home);

        r.recordFailure(home, ErrorKind.SERVER);
        Deployment meanwhile = r.pick("m", Set.of(), Set.of(), -1, session);
        assertThat(meanwhile).isNotSameAs(home);
        for (int i = 0; i < 50; i++) assertThat(r.pick("m", Set.of(), Set.of(), -1, session)).isSameAs(meanwhile);
        clock.advance(Duration.ofSeconds(11));
        assertThat(r.pick("m", Set.of(), Set.of(), -1, session)).as("back home after the cooldown").isSameAs(home);
    }

    @Test
    void affinityStaysInsideTheLowestAvailableOrderTier() {
        Router r = router("{}", d("p1", "{\"order\":1}"), d("p2", "{\"order\":1}"), d("backup", "{\"order\":2}"));
        for (int i = 0; i < 200; i++) {
            assertThat(r.pick("m", Set.of(), Set.of(), -1, SessionAffinity.key(i)).id()).isIn("p1", "p2");
        }
    }

    @Test
    void sessionAffinityIsReadAsWrittenOrFromLiteLlmsPromptCachingCheck() {
        assertThat(RouterSettingsReader.read(Json.object(), null).affinity()).isEqualTo(RouterSettings.Affinity.SESSION);
        assertThat(RouterSettingsReader.read((ObjectNode) Json.parse("{\"session_affinity\":\"prefix\"}"), null).affinity())
                .isEqualTo(RouterSettings.Affinity.PREFIX);
        assertThat(RouterSettingsReader.read((ObjectNode) Json.parse("{\"session_affinity\":false}"), null).affinity())
                .as("YAML's off is a boolean").isEqualTo(RouterSettings.Affinity.OFF);
        assertThat(RouterSettingsReader.read((ObjectNode) Json.parse("{\"optional_pre_call_checks\":[\"prompt_caching\"]}"), null)
                .affinity()).isEqualTo(RouterSettings.Affinity.PREFIX);
        assertThatThrownBy(() -> RouterSettingsReader.read((ObjectNode) Json.parse("{\"session_affinity\":\"sticky\"}"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("router_settings.session_affinity");
    }
}
