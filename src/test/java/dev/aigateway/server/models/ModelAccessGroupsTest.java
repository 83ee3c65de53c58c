package dev.aigateway.server.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LiteLLM's model access groups through the real gateway: a key whose {@code models} names a group may use every model
 * in it (config.yaml and /model/new entries, wildcard entries too) and nothing else; /v1/models, /model/info and
 * /model_group/info show such a key only what it may use, without credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelAccessGroupsTest {
    static final String SECRET = "sk-upstream-secret-never-shown-0123456789";

    TestGateway gw;
    String beta;
    String wild;
    String plain;

    @BeforeAll
    void start() {
        gw = TestGateway.start("""
                model_list:
                  - model_name: alpha
                    litellm_params: {model: mock/alpha, api_key: "%1$s"}
                    model_info: {id: alpha-1, access_groups: ["beta-models"], input_cost_per_token: 0.000001, max_input_tokens: 1000}
                  - model_name: alpha
                    litellm_params: {model: mock/alpha-2, api_key: "%1$s", rpm: 5}
                    model_info: {id: alpha-2, access_groups: ["beta-models"], input_cost_per_token: 0.000003, max_input_tokens: 4000,
                                 supports_vision: true}
                  - model_name: gamma
                    litellm_params: {model: mock/gamma}
                    model_info: {id: gamma-1, access_groups: ["beta-models", "gamma-group"]}
                  - model_name: other
                    litellm_params: {model: mock/other}
                    model_info: {id: other-1}
                  - model_name: "team-*"
                    litellm_params: {model: "mock/*"}
                    model_info: {id: team-wild, access_groups: ["wild-group"]}
                """.formatted(SECRET));
        beta = key("[\"beta-models\"]");
        wild = key("[\"wild-group\"]");
        plain = key("[\"other\"]");
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
    }

    String key(String models) {
        HttpResponse<String> r = gw.post("/key/generate", "{\"models\": " + models + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r).path("key").asText();
    }

    int chat(String key, String model) {
        return gw.post("/v1/chat/completions", "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", key)
                .statusCode();
    }

    static List<String> field(JsonNode list, String name) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.path(name).asText()));
        return out;
    }

    @Test
    void aGroupNameInAKeysModelsAllowsEveryModelOfTheGroupAndNothingElse() {
        assertThat(chat(beta, "alpha")).isEqualTo(200);
        assertThat(chat(beta, "gamma")).isEqualTo(200);
        assertThat(chat(beta, "other")).isEqualTo(403);
        assertThat(chat(beta, "team-x")).isEqualTo(403);
        assertThat(chat(plain, "other")).isEqualTo(200);
        assertThat(chat(plain, "alpha")).isEqualTo(403);
    }

    @Test
    void aGroupOfAWildcardEntryCoversEveryNameItServes() {
        assertThat(chat(wild, "team-anything")).isEqualTo(200);
        assertThat(chat(wild, "alpha")).isEqualTo(403);
        assertThat(chat(key("[\"team-*\"]"), "team-b")).as("the wildcard model_name itself").isEqualTo(200);
    }

    @Test
    void modelListingsShowTheGroupsModels() {
        JsonNode models = TestGateway.json(gw.get("/v1/models", beta)).path("data");
        assertThat(field(models, "id")).containsExactlyInAnyOrder("alpha", "gamma");
        // LiteLLM's listing options: the groups a key may use whole, beside or instead of the models
        assertThat(field(TestGateway.json(gw.get("/v1/models?include_model_access_groups=true", beta)).path("data"), "id"))
                .containsExactlyInAnyOrder("alpha", "gamma", "beta-models", "gamma-group");
        assertThat(field(TestGateway.json(gw.get("/v1/models?only_model_access_groups=true", beta)).path("data"), "id"))
                .containsExactlyInAnyOrder("beta-models", "gamma-group");
        assertThat(field(TestGateway.json(gw.get("/v1/models?only_model_access_groups=true", plain)).path("data"), "id")).isEmpty();
    }

    @Test
    void aTeamKeyListsOnlyWhatItsTeamAllows() {
        assertThat(gw.post("/team/new", "{\"team_id\": \"mag-team\", \"models\": [\"beta-models\"]}").statusCode()).isEqualTo(200);
        HttpResponse<String> outside = gw.post("/key/generate", "{\"team_id\": \"mag-team\", \"models\": [\"other\"]}");
        assertThat(outside.statusCode()).as("a key's models must be its team's").isEqualTo(400);
        assertThat(outside.body()).contains("'other' is not in the models of team mag-team");
        HttpResponse<String> k = gw.post("/key/generate", "{\"team_id\": \"mag-team\", \"models\": [\"beta-models\"]}");
        assertThat(k.statusCode()).as(k.body()).isEqualTo(200);
        String teamKey = TestGateway.json(k).path("key").asText();
        assertThat(field(TestGateway.json(gw.get("/v1/models", teamKey)).path("data"), "id")).containsExactlyInAnyOrder("alpha", "gamma");
        // the team narrowed later: its keys follow at once
        assertThat(gw.post("/team/update", "{\"team_id\": \"mag-team\", \"models\": [\"gamma\"]}").statusCode()).isEqualTo(200);
        assertThat(field(TestGateway.json(gw.get("/v1/models", teamKey)).path("data"), "id")).containsExactly("gamma");
        assertThat(chat(teamKey, "alpha")).as("in the key's group, no longer in its team's models").isEqualTo(403);
        assertThat(chat(teamKey, "gamma")).isEqualTo(200);
    }

    @Test
    void modelInfoForANormalKeyListsOnlyItsModelsWithoutSecrets() {
        HttpResponse<String> r = gw.get("/model/info", beta);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(SECRET);
        JsonNode data = TestGateway.json(r).path("data");
        assertThat(field(data, "model_name")).containsExactlyInAnyOrder("alpha", "alpha", "gamma");
        assertThat(data.get(0).path("model_info").path("access_groups").get(0).asText()).isEqualTo("beta-models");
        JsonNode v2 = TestGateway.json(gw.get("/v2/model/info", plain)).path("data");
        assertThat(field(v2, "model_name")).containsExactly("other");
        assertThat(TestGateway.json(gw.get("/model/info?litellm_model_id=other-1", beta)).path("error").path("type").asText())
                .as("another key's model is not found, as an unknown one").isNotBlank();
        assertThat(field(TestGateway.json(gw.get("/model/info", TestGateway.MASTER_KEY)).path("data"), "model_name"))
                .as("the master key still sees every deployment").hasSize(5);
    }

    @Test
    void modelGroupInfoSummarisesEachGroupTheKeyMayUse() {
        HttpResponse<String> r = gw.get("/model_group/info", beta);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode data = TestGateway.json(r).path("data");
        assertThat(field(data, "model_group")).containsExactlyInAnyOrder("alpha", "gamma");
        JsonNode alpha = data.get(field(data, "model_group").indexOf("alpha"));
        assertThat(alpha.path("providers").get(0).asText()).isEqualTo("mock");
        assertThat(alpha.path("max_input_tokens").asLong()).as("the largest of its deployments").isEqualTo(4000);
        assertThat(alpha.path("input_cost_per_token").asDouble()).isEqualTo(0.000003);
        assertThat(alpha.path("rpm").asLong()).isEqualTo(5);
        assertThat(alpha.path("supports_vision").asBoolean()).isTrue();
        assertThat(alpha.path("supports_function_calling").isBoolean()).isTrue();
        assertThat(alpha.has("output_cost_per_token") && alpha.has("mode") && alpha.has("tpm")).isTrue();
        assertThat(alpha.path("access_groups").get(0).asText()).isEqualTo("beta-models");
        JsonNode one = TestGateway.json(gw.get("/model_group/info?model_group=team-q", wild)).path("data");
        assertThat(field(one, "model_group")).as("a name a wildcard entry serves").containsExactly("team-q");
        assertThat(TestGateway.json(gw.get("/model_group/info?model_group=alpha", wild)).path("data")).isEmpty();
    }

    @Test
    void aRuntimeModelJoinsItsGroupAndBadGroupsAreRefused() {
        HttpResponse<String> created = gw.post("/model/new", """
                {"model_name": "delta", "litellm_params": {"model": "mock/delta"},
                 "model_info": {"id": "delta-1", "access_groups": ["beta-models"]}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        try {
            assertThat(chat(beta, "delta")).isEqualTo(200);
            assertThat(chat(plain, "delta")).isEqualTo(403);
        } finally {
            gw.post("/model/delete", "{\"id\": \"delta-1\"}");
        }
        assertThat(chat(beta, "delta")).as("deleted with its group membership").isEqualTo(403);
        for (String bad : new String[]{"\"beta-models\"", "[1]", "[\"\"]", "[\"a\\nb\"]"}) {
            HttpResponse<String> r = gw.post("/model/new", "{\"model_name\": \"bad\", \"litellm_params\": {\"model\": \"mock/x\"}, "
                    + "\"model_info\": {\"access_groups\": " + bad + "}}");
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r).path("error").path("param").asText()).isEqualTo("model_info.access_groups");
        }
    }

    @Test
    void everyModelEntriesAndPrefixesKeepTheirMeaning() {
        String all = key("[\"all-proxy-models\"]");
        assertThat(chat(all, "other")).isEqualTo(200);
        assertThat(chat(key("[\"*\"]"), "alpha")).isEqualTo(200);
        String prefix = key("[\"gam*\"]");
        assertThat(chat(prefix, "gamma")).isEqualTo(200);
        assertThat(chat(prefix, "alpha")).isEqualTo(403);
    }
}
