package dev.aigateway.governance.limits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.governance.spend.Money;
import dev.aigateway.testing.RedisProbe;
import dev.aigateway.testing.Services;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.aigateway.governance.limits.GatewayLimitsContract.burst;
import static dev.aigateway.governance.limits.GatewayLimitsContract.governance;
import static dev.aigateway.governance.limits.GatewayLimitsContract.install;
import static dev.aigateway.governance.limits.GatewayLimitsContract.postAsync;
import static dev.aigateway.governance.limits.GatewayLimitsContract.raceEstimate;
import static dev.aigateway.governance.limits.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three gateways in this process sharing one PostgreSQL database and one Redis, as three pods behind a load
 * balancer would: limits and budgets hold across them, and a key blocked on one is refused by the others
 * within a second.
 */
class MultiInstanceTest {
    private static final String FAST = "{\"model\": \"fast\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
    private static String database;
    private static String prefix;
    private static final List<TestGateway> gateways = new ArrayList<>();

    @BeforeAll
    static void startThree() {
        Services.requirePostgres();
        Services.requireRedis();
        database = Services.createPostgresDatabase("limits3");
        prefix = "gwtest:multi:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        Map<String, String> env = Map.of("DATABASE_URL", Services.postgresUrl(database),
                "REDIS_URL", "redis://127.0.0.1:6379/0?key_prefix=" + prefix);
        for (int i = 0; i < 3; i++) gateways.add(TestGateway.start(GatewayLimitsContract.CONFIG, env));
        for (TestGateway g : gateways) assertThat(governance(g).limiter().redisStatus()).isEqualTo("connected");
    }

    @AfterAll
    static void stopAll() {
        gateways.forEach(TestGateway::close);
        gateways.clear();
        if (prefix != null) RedisProbe.shared().deleteAll(prefix);
        Services.dropPostgresDatabase(database);
    }

    private static TestGateway[] all() {
        return gateways.toArray(TestGateway[]::new);
    }

    @Test
    void aGlobalRpmLimitAdmitsExactlyTheLimitAcrossInstances() throws Exception {
        VirtualKey k = key().rpm(30).build();
        install(k, all());
        GatewayLimitsContract.waitForAFreshMinute();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 60; i++) answers.add(postAsync(gateways.get(i % 3), FAST, TestKeys.secretOf(k)));
        int ok = 0, limited = 0;
        for (var f : answers) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(Json.parse(r.body()).path("error").path("message").asText()).isEqualTo("Key rpm_limit of 30 requests per minute reached.");
                limited++;
            }
        }
        assertThat(ok).isEqualTo(30);
        assertThat(limited).isEqualTo(30);
        assertThat(RedisProbe.shared().sum(prefix + "rpm:k:" + k.tokenHash() + ":*")).isEqualTo(30);
    }

    @Test
    void aSmallBudgetHammeredOnAllInstancesIsNotOverspent() throws Exception {
        long estimate = raceEstimate(gateways.get(0));
        double maxBudget = 0.5;
        double spend = maxBudget - 3 * Money.usd(estimate);
        VirtualKey k = key().spend(spend).maxBudget(maxBudget).build();
        install(k, all());

        GatewayLimitsContract.Burst b = burst(60, TestKeys.secretOf(k), all());

        long finalSpend = Money.nanos(spend) + b.costNanos();
        System.out.printf("3 instances: %d admitted, %d refused, spend %.6f of %.2f (worst case per request %.6f)%n",
                b.admitted(), b.refused(), Money.usd(finalSpend), maxBudget, Money.usd(estimate));
        assertThat(b.admitted()).isPositive();
        assertThat(b.refused()).isPositive();
        assertThat(finalSpend).isLessThanOrEqualTo(Money.nanos(maxBudget) + estimate);
    }

    @Test
    void aTeamBudgetSharedByThreeKeysHammeredOnAllInstancesIsNotOverspent() throws Exception {
        long estimate = raceEstimate(gateways.get(0));
        double teamBudget = 6 * Money.usd(estimate); // a handful of requests' worth: most of the burst must be refused
        TestGateway admin = gateways.get(0);
        HttpResponse<String> team = admin.post("/team/new", "{\"team_alias\": \"race\", \"max_budget\": " + teamBudget + "}");
        assertThat(team.statusCode()).as(team.body()).isEqualTo(200);
        String teamId = Json.parse(team.body()).path("team_id").asText();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> key = admin.post("/key/generate", "{\"team_id\": \"" + teamId + "\"}");
            assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
            keys.add(Json.parse(key.body()).path("key").asText());
        }
        awaitKnownEverywhere(keys);

        GatewayLimitsContract.Burst b = burst(60, keys, "Budget has been exceeded! Team=" + teamId + " Current cost: ", all());

        System.out.printf("team budget, 3 keys on 3 instances: %d admitted, %d refused, spend %.6f of %.6f (worst case per request %.6f)%n",
                b.admitted(), b.refused(), Money.usd(b.costNanos()), teamBudget, Money.usd(estimate));
        assertThat(b.admitted()).isPositive();
        assertThat(b.refused()).isPositive();
        assertThat(b.costNanos()).isLessThanOrEqualTo(Money.nanos(teamBudget));
    }

    /**
     * Waits until every instance knows every key and the team above it (made on one instance, they reach the others by
     * the cluster's events).
     */
    private static void awaitKnownEverywhere(List<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (TestGateway g : gateways) {
            for (String k : keys) {
                while (true) {
                    VirtualKey known = governance(g).keys().find(Authenticator.hash(k));
                    if (known != null && governance(g).tenancy().holders(known, null).stream().anyMatch(h -> h.level() == Check.Level.TEAM)) break;
                    assertThat(System.nanoTime()).as("key and team known on every instance within 10 s").isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
        }
    }

    @Test
    void aKeyBlockedOnOneInstanceIsRefusedByTheOthersWithinOneSecond() throws Exception {
        VirtualKey k = key().build();
        install(k, all());
        for (TestGateway g : gateways) assertThat(postAsync(g, FAST, TestKeys.secretOf(k)).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        long start = System.nanoTime();
        KeyChanges.block(gateways.get(0), k);

        assertThat(postAsync(gateways.get(0), FAST, TestKeys.secretOf(k)).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(401);
        for (TestGateway other : gateways.subList(1, 3)) {
            Duration took = refusedWithin(other, TestKeys.secretOf(k), start, Duration.ofSeconds(1));
            System.out.println("revocation seen by another instance after " + took.toMillis() + " ms");
            assertThat(took).isLessThan(Duration.ofSeconds(1));
        }
    }

    /** Polls until the gateway answers 401 for the key; the time from {@code startNanos}. */
    private static Duration refusedWithin(TestGateway g, String secret, long startNanos, Duration limit) throws Exception {
        while (true) {
            HttpResponse<String> r = postAsync(g, FAST, secret).get(10, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            if (r.statusCode() == 401) {
                JsonNode error = Json.parse(r.body()).path("error");
                assertThat(error.path("message").asText()).contains("is blocked");
                return took;
            }
            assertThat(r.statusCode()).isEqualTo(200);
            if (took.compareTo(limit) > 0) return took;
            Thread.sleep(20);
        }
    }

    /** Until the /key/* routes exist: what /key/block does on the instance that serves it. */
    static final class KeyChanges {
        static void block(TestGateway g, VirtualKey k) {
            VirtualKey blocked = TestKeys.blockedCopy(k, Instant.now());
            governance(g).keyStore().update(blocked);
            governance(g).keys().put(blocked);
            g.server().cluster().publishKeyChanged(k.tokenHash());
        }
    }
}
