package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.testing.RawConnection;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key writes arriving on different event loops at once. Each writer here has a connection of its own, and each
 * connection is served by one of the gateway's event loops (one per core), so the writers' requests are spread over
 * them; the gateway has one key service for all of them, whose writes never lose each other's changes. With a key
 * service per event loop, an update on one loop would read the key's row while another loop's update of the same key
 * was between its read and its write, and write back a stale field (checked: this test then fails). On a one-core
 * machine the gateway has a single event loop, and the test checks only the key service's own lock.
 */
class KeyWritesAcrossEventLoopsTest {
    private static final int PER_WRITER = 40;
    /** One writer per field: each sets its own field to 1, 2, ... PER_WRITER, one request after the other. */
    private static final List<String> FIELDS = List.of("rpm_limit", "tpm_limit", "max_parallel_requests", "max_budget", "soft_budget", "model_max_budget");
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(KeyApi.CONFIG);
    }

    @AfterAll
    static void stop() {
        if (gw != null) gw.close();
    }

    @Test
    void concurrentUpdatesOfOneKeyThroughManyConnectionsLoseNoField() throws Exception {
        String token = post("/key/generate", "{}").path("token").asText();
        assertThat(token).hasSize(64);

        List<Callable<Void>> writers = new ArrayList<>();
        for (String field : FIELDS) writers.add(() -> updates(token, field));
        concurrently(writers);

        // Each writer's last update set its field to PER_WRITER; every update after it (other fields) kept it.
        JsonNode info = get("/key/info?key=" + token).path("info");
        VirtualKey inMemory = gw.server().governance().keys().find(token);
        assertThat(info.path("rpm_limit").asLong()).as("rpm_limit as stored").isEqualTo(PER_WRITER);
        assertThat(info.path("tpm_limit").asLong()).as("tpm_limit as stored").isEqualTo(PER_WRITER);
        assertThat(info.path("max_parallel_requests").asLong()).as("max_parallel_requests as stored").isEqualTo(PER_WRITER);
        assertThat(info.path("max_budget").asDouble()).as("max_budget as stored").isEqualTo(PER_WRITER);
        assertThat(info.path("soft_budget").asDouble()).as("soft_budget as stored").isEqualTo(PER_WRITER);
        assertThat(info.path("model_max_budget").path("mock").asDouble()).as("model_max_budget as stored").isEqualTo(PER_WRITER);
        assertThat(inMemory.rpmLimit()).as("rpm_limit as requests see it").isEqualTo((long) PER_WRITER);
        assertThat(inMemory.tpmLimit()).as("tpm_limit as requests see it").isEqualTo((long) PER_WRITER);
        assertThat(inMemory.maxBudget()).as("max_budget as requests see it").isEqualTo((double) PER_WRITER);
        assertThat(inMemory.softBudget()).as("soft_budget as requests see it").isEqualTo((double) PER_WRITER);
    }

    @Test
    void concurrentGeneratesThroughManyConnectionsAreAllStoredAndServed() throws Exception {
        List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> writers = new ArrayList<>();
        for (int w = 0; w < FIELDS.size(); w++) {
            writers.add(() -> {
                try (RawConnection c = new RawConnection(gw.server().port())) {
                    for (int i = 0; i < PER_WRITER / 4; i++) {
                        keys.add(exchange(c, post("/key/generate", "{\"metadata\": {\"test\": \"across-loops\"}}", true)).path("key").asText());
                    }
                }
                return null;
            });
        }
        concurrently(writers);

        assertThat(keys).hasSize(FIELDS.size() * (PER_WRITER / 4)).doesNotHaveDuplicates();
        for (String k : keys) {
            assertThat(gw.server().governance().keys().find(dev.aigateway.governance.Authenticator.hash(k))).as("in memory").isNotNull();
            assertThat(get("/key/info?key=" + k).path("info").path("metadata").path("test").asText()).isEqualTo("across-loops");
        }
    }

    /** One writer: its own keep-alive connection, its field set to 1..PER_WRITER in order. */
    private static Void updates(String token, String field) throws Exception {
        try (RawConnection c = new RawConnection(gw.server().port())) {
            for (int i = 1; i <= PER_WRITER; i++) {
                String value = field.equals("model_max_budget") ? "{\"mock\": " + i + "}" : Integer.toString(i);
                exchange(c, post("/key/update", "{\"key\": \"" + token + "\", \"" + field + "\": " + value + "}", true));
            }
        }
        return null;
    }

    private static void concurrently(List<Callable<Void>> writers) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(writers.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Void>> running = new ArrayList<>();
            for (Callable<Void> w : writers) running.add(threads.submit(() -> { go.await(); return w.call(); }));
            go.countDown();
            for (Future<Void> f : running) f.get(120, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
    }

    private static JsonNode post(String path, String json) throws Exception {
        try (RawConnection c = new RawConnection(gw.server().port())) {
            return exchange(c, post(path, json, false));
        }
    }

    private static String post(String path, String json, boolean keepAlive) {
        return "POST " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer " + TestGateway.MASTER_KEY
                + "\r\ncontent-type: application/json\r\ncontent-length: " + json.getBytes(StandardCharsets.UTF_8).length
                + (keepAlive ? "" : "\r\nconnection: close") + "\r\n\r\n" + json;
    }

    private static JsonNode get(String path) throws Exception {
        try (RawConnection c = new RawConnection(gw.server().port())) {
            return exchange(c, "GET " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer " + TestGateway.MASTER_KEY
                    + "\r\nconnection: close\r\n\r\n");
        }
    }

    /** One request and its answer on {@code c}; asserts 200. */
    private static JsonNode exchange(RawConnection c, String request) throws Exception {
        RawConnection.Answer a = c.send(new String(request.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)).read();
        assertThat(a).isNotNull();
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return Json.parse(a.body());
    }
}
