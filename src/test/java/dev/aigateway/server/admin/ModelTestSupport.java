package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Helpers of the runtime-model tests: a PostgreSQL database per test class, keys, raw rows. */
final class ModelTestSupport {
    static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private ModelTestSupport() {}

    /** Creates a fresh database; skips the calling test class loudly when PostgreSQL is not reachable. */
    static String createPostgresDatabase(String prefix) {
        String name = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            String why = "PostgreSQL at 127.0.0.1:5432 is not reachable (" + e.getMessage() + "): SKIPPING the PostgreSQL runtime-model tests";
            System.err.println("!!! " + why);
            Assumptions.abort(why);
        }
        return name;
    }

    static void dropPostgresDatabase(String name) {
        if (name == null) return;
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }

    static Map<String, String> postgresEnv(String database) {
        return Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/" + database);
    }

    /** Stores a virtual key of a type directly (the key API is another part of the gateway) and loads it. */
    static String insertKey(TestGateway gw, String keyType) {
        String key = "sk-test-" + keyType + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "0123456789abcdef0123";
        Instant now = Instant.now();
        VirtualKey k = new VirtualKey(Authenticator.hash(key), "sk-...", null, 0, null, null, null, null, List.of(), Map.of(),
                null, null, null, Map.of(), Map.of(), null, Json.object(), null, null, false, Map.of(), List.of(), keyType,
                now, now, null, null, null);
        var gov = gw.server().governance();
        gov.keyStore().insert(k);
        gov.keys().reloadAll();
        return key;
    }

    /** The proxy_models row's raw litellm_params column, as stored. */
    static String rawParams(TestGateway gw, String modelId) throws SQLException {
        try (Connection c = gw.server().database().connection();
             var ps = c.prepareStatement("SELECT litellm_params FROM proxy_models WHERE model_id = ?")) {
            ps.setString(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static List<String> modelIds(TestGateway gw, String key) {
        JsonNode j = TestGateway.json(gw.get("/v1/models", key));
        List<String> out = new ArrayList<>();
        j.path("data").forEach(m -> out.add(m.path("id").asText()));
        return out;
    }

    static JsonNode chat(TestGateway gw, String model) {
        var r = gw.post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonNode j = TestGateway.json(r);
        ((com.fasterxml.jackson.databind.node.ObjectNode) j).put("_status", r.statusCode());
        return j;
    }

    static String content(JsonNode chat) {
        return chat.path("choices").path(0).path("message").path("content").asText();
    }
}
