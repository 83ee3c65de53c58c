package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored responses' routes on PostgreSQL (a throwaway database; skipped loudly without PostgreSQL), and what a
 * shared database adds: a response remembered by one instance is read at once through another.
 */
class StoredResponsesRoutesPostgresTest extends StoredResponsesRoutesContract {
    private String database;

    @Override
    Map<String, String> databaseEnv() {
        database = SpendTestDatabases.createOrSkip("gw_responses_routes");
        return Map.of("DATABASE_URL", SpendTestDatabases.gatewayUrl(database));
    }

    @AfterAll
    void dropDatabase() {
        stop();
        SpendTestDatabases.drop(database);
    }

    @Test
    void aResponseIsReadableAtOnceOnEveryInstance() throws Exception {
        try (TestGateway other = TestGateway.start(CONFIG, Map.of("DATABASE_URL", SpendTestDatabases.gatewayUrl(database)))) {
            ObjectNode r = remember("resp_shared", "\"across instances\"", null); // durable once remember completes
            var got = other.get("/v1/responses/resp_shared", KEY_A);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(TestGateway.json(got)).isEqualTo(Json.parse(r.toString()));
            assertThat(other.get("/v1/responses/resp_shared", KEY_B).statusCode()).isEqualTo(403);
        }
    }
}
