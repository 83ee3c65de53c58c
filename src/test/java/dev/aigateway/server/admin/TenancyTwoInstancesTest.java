package dev.aigateway.server.admin;

import dev.aigateway.governance.keys.Keys;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.testing.RedisProbe;
import dev.aigateway.testing.Services;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateways sharing one PostgreSQL database and one Redis: a team changed through one is seen by the other's registry
 * within a second and a half, well before the five-second periodic reload, so it is the cluster's tenancy event that
 * carried it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyTwoInstancesTest {
    private String database;
    private String prefix;
    private TestGateway a;
    private TestGateway b;

    @BeforeAll
    void start() {
        Services.requirePostgres();
        Services.requireRedis();
        database = Services.createPostgresDatabase("tenancy2");
        prefix = "gwtest:tenancy:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
        Map<String, String> env = Map.of("DATABASE_URL", Services.postgresUrl(database), "REDIS_URL", "redis://127.0.0.1:6379/0?key_prefix=" + prefix);
        a = TestGateway.start(KeyApi.CONFIG, env);
        b = TestGateway.start(KeyApi.CONFIG, env);
        await().atMost(Duration.ofSeconds(5)).until(() -> ((dev.aigateway.cluster.RedisClusterEvents) b.server().cluster()).subscribed());
    }

    @AfterAll
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (prefix != null) RedisProbe.shared().deleteAll(prefix);
        if (database != null) Services.dropPostgresDatabase(database);
    }

    @Test
    void aTeamBlockedOnOneInstanceIsRefusedByTheOther() {
        assertThat(a.post("/team/new", "{\"team_id\": \"shared\", \"max_budget\": 3}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofMillis(1500)).until(() -> b.server().tenancy().snapshot().teams().containsKey("shared"));
        String key = TestGateway.json(a.post("/key/generate", "{\"team_id\": \"shared\"}")).path("key").asText();
        await().atMost(Duration.ofMillis(1500)).until(() -> b.server().governance().keys().find(Keys.hash(key)) != null);
        VirtualKey onB = b.server().governance().keys().find(Keys.hash(key));
        assertThat(b.server().tenancy().refusal(onB, null, "mock")).isNull();
        assertThat(a.post("/team/block", "{\"team_id\": \"shared\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofMillis(1500)).until(() -> b.server().tenancy().refusal(onB, null, "mock") != null);
        assertThat(b.server().tenancy().holders(onB, null).get(0).limits().maxBudget()).isEqualTo(3);
    }
}
