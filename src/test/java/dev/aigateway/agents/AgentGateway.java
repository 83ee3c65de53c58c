package dev.aigateway.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.testing.TestGateway;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What every agent IT needs of the gateway it starts: a one-model config and the spend rows of a developer's key. */
final class AgentGateway {
    private AgentGateway() {}

    /** One model_list entry; prices are explicit so the spend asserted does not depend on the bundled price table. */
    static String config(String modelName, String model, String apiBase, String apiKey) {
        return """
                model_list:
                  - model_name: %s
                    litellm_params: {model: %s, api_base: "%s", api_key: %s}
                    model_info: {input_cost_per_token: 0.000003, output_cost_per_token: 0.000015}
                """.formatted(modelName, model, apiBase, apiKey);
    }

    /** The key's spend rows once {@code expected} of them are written (the writer commits every 500 ms; 10 s at most). */
    static JsonNode spendRows(TestGateway gw, String key, int expected) throws InterruptedException {
        JsonNode rows = Json.array();
        for (int i = 0; i < 100 && rows.size() < expected; i++) {
            rows = TestGateway.json(gw.get("/spend/logs?api_key=" + URLEncoder.encode(key, StandardCharsets.UTF_8), TestGateway.MASTER_KEY));
            if (rows.size() < expected) Thread.sleep(100);
        }
        return rows;
    }
}
