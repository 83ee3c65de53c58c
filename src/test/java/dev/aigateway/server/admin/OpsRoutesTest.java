package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.CostEstimator;
import dev.aigateway.pricing.PriceTable;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** GET /routes (admin only) and POST /spend/calculate (any key, priced from the price table and model_info). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsRoutesTest {
    static final String M = TestGateway.MASTER_KEY;
    TestGateway gw;

    @BeforeAll
    void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: priced
                    litellm_params: {model: mock/priced}
                    model_info: {input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}
                  - model_name: unpriced
                    litellm_params: {model: mock/unpriced}
                """);
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    static JsonNode route(JsonNode routes, String path) {
        for (JsonNode r : routes) if (r.path("path").asText().equals(path)) return r;
        throw new AssertionError("no route " + path);
    }

    @Test
    void routesListsTheTableForAdminsOnly() {
        HttpResponse<String> r = gw.get("/routes", M);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode routes = TestGateway.json(r).path("routes");
        JsonNode chat = route(routes, "/chat/completions");
        assertThat(chat.path("methods").toString()).isEqualTo("[\"POST\"]");
        assertThat(chat.path("name").asText()).isEqualTo("chat_completions");
        assertThat(chat.path("endpoint").asText()).isNotBlank();
        assertThat(route(routes, "/models/{param}").path("methods").toString()).isEqualTo("[\"GET\"]");
        assertThat(route(routes, "/responses/{param}").path("methods").toString()).isEqualTo("[\"DELETE\",\"GET\"]");
        route(routes, "/routes");
        route(routes, "/global/spend/report");
        route(routes, "/model_group/info");
        for (String type : new String[]{"default", "read_only"}) {
            HttpResponse<String> denied = gw.get("/routes", ModelTestSupport.insertKey(gw, type));
            assertThat(denied.statusCode()).as(type).isEqualTo(403);
        }
        assertThat(gw.get("/routes", null).statusCode()).isEqualTo(401);
    }

    @Test
    void spendCalculatePricesAnAnswersUsage() {
        String key = ModelTestSupport.insertKey(gw, "default");
        assertThat(cost("{\"completion_response\": {\"model\": \"priced\", \"usage\": {\"prompt_tokens\": 100, \"completion_tokens\": 50}}}", key))
                .isCloseTo(100 * 0.000001 + 50 * 0.000002, within(1e-12));
        var gpt4o = PriceTable.bundled().lookup("openai", "gpt-4o");
        assertThat(cost("{\"completion_response\": {\"model\": \"gpt-4o\", \"usage\": {\"prompt_tokens\": 1000, \"completion_tokens\": 10}}}", key))
                .as("a model this gateway does not serve: the price table's")
                .isCloseTo(1000 * gpt4o.inputCostPerToken() + 10 * gpt4o.outputCostPerToken(), within(1e-12));
    }

    @Test
    void spendCalculatePricesAPromptsTokens() {
        String body = "{\"model\": \"priced\", \"messages\": [{\"role\": \"user\", \"content\": \"How much does this prompt cost to send?\"}]}";
        long tokens = CostEstimator.promptTokens((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(body));
        assertThat(tokens).isPositive();
        assertThat(cost(body, M)).isCloseTo(tokens * 0.000001, within(1e-12));
    }

    @Test
    void spendCalculateRefusesWhatItCannotPrice() {
        for (String[] c : new String[][]{
                {"{\"model\": \"unpriced\", \"messages\": []}", "model"},
                {"{\"model\": \"no-such-model-anywhere\", \"messages\": []}", "model"},
                {"{\"model\": \"priced\"}", "messages"},
                {"{\"messages\": []}", "model"},
                {"{\"completion_response\": {\"model\": \"priced\"}}", "completion_response.usage"},
                {"{\"completion_response\": \"text\"}", "completion_response"}}) {
            HttpResponse<String> r = gw.post("/spend/calculate", c[0], M);
            assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r).path("error").path("param").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(gw.post("/spend/calculate", "{\"model\": \"priced\", \"messages\": []}", null).statusCode()).isEqualTo(401);
    }

    double cost(String body, String key) {
        HttpResponse<String> r = gw.post("/spend/calculate", body, key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r).path("cost").asDouble();
    }
}
