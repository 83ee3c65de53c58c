package dev.aigateway.server.admin;

import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static dev.aigateway.server.admin.ModelTestSupport.chat;
import static dev.aigateway.server.admin.ModelTestSupport.content;
import static dev.aigateway.server.admin.ModelTestSupport.modelIds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways on one PostgreSQL and no Redis: nothing tells B about A's change, so this shows the periodic reload
 * (every 5 s) alone brings new, changed and deleted models to the other instance. (With Redis, pub/sub makes it
 * sub-second; that path is tested with the multi-instance limits.)
 */
class RuntimeModelsTwoInstancesTest {
    static final long SAFETY_NET_MS = 6_500;
    static final String M = TestGateway.MASTER_KEY;
    static String database;
    static TestGateway a;
    static TestGateway b;

    @BeforeAll
    static void start() {
        database = ModelTestSupport.createPostgresDatabase("gw_models_two");
        Map<String, String> env = new HashMap<>(ModelTestSupport.postgresEnv(database));
        env.put("GATEWAY_SALT_KEY", "shared-salt-key-for-both-instances");
        String config = "model_list:\n  - model_name: cfg\n    litellm_params: {model: mock/c}\n";
        a = TestGateway.start(config, env);
        b = TestGateway.start(config, env);
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        ModelTestSupport.dropPostgresDatabase(database);
    }

    @Test
    void anotherInstanceSeesNewChangedAndDeletedModelsWithinThePeriodicReload() {
        var created = a.post("/model/new", """
                {"model_name": "shared", "litellm_params": {"model": "mock/s", "mock_response": "v1"}}""", M);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = TestGateway.json(created).path("model_info").path("id").asText();
        assertThat(modelIds(a, M)).contains("shared");

        long seenAfter = waitUntil(() -> modelIds(b, M).contains("shared"));
        assertThat(seenAfter).as("ms until B listed A's new model").isLessThan(SAFETY_NET_MS);
        assertThat(content(chat(b, "shared"))).isEqualTo("v1");

        var updated = a.post("/model/update", "{\"model_info\": {\"id\": \"" + id + "\"}, \"litellm_params\": {\"mock_response\": \"v2\"}}", M);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        long changedAfter = waitUntil(() -> content(chat(b, "shared")).equals("v2"));
        assertThat(changedAfter).as("ms until B served A's update").isLessThan(SAFETY_NET_MS);

        assertThat(a.post("/model/delete", "{\"id\": \"" + id + "\"}", M).statusCode()).isEqualTo(200);
        long goneAfter = waitUntil(() -> chat(b, "shared").path("_status").asInt() == 404);
        assertThat(goneAfter).as("ms until B stopped serving A's deleted model").isLessThan(SAFETY_NET_MS);
        assertThat(modelIds(b, M)).contains("cfg").doesNotContain("shared");
    }

    /** Polls every 100 ms for up to 10 s; returns how long it took (fails the test when it never happens). */
    static long waitUntil(BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsed).as("condition not met within 10 s").isLessThan(10_000);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
