package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.models.CredentialCipher;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;

import static dev.aigateway.server.admin.ModelTestSupport.chat;
import static dev.aigateway.server.admin.ModelTestSupport.content;
import static dev.aigateway.server.admin.ModelTestSupport.modelIds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime-model API against a real gateway; run once on SQLite and once on PostgreSQL by the subclasses.
 * Every change must be visible at once, without restart, on the instance that made it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RuntimeModelsContract {
    static final String SALT = "contract-salt-key-4f9a1c0b2e7d";
    static final String CONFIG = """
            model_list:
              - model_name: config-model
                litellm_params: {model: mock/cfg, mock_response: from-config}
                model_info: {id: cfg-1}
              - model_name: gpt4o-listed
                litellm_params: {model: openai/gpt-4o, api_key: sk-config-secret-never-shown}
                model_info: {id: cfg-gpt4o}
            """;
    static final String M = TestGateway.MASTER_KEY;

    TestGateway gw;
    FakeOpenAi openAi;

    /** DATABASE_URL etc. for this run; may skip the class (PostgreSQL absent). */
    abstract Map<String, String> databaseEnv();

    void afterStop() {}

    @BeforeAll
    void start() {
        Map<String, String> env = new HashMap<>(databaseEnv());
        env.put("GATEWAY_SALT_KEY", SALT);
        gw = TestGateway.start(CONFIG, env);
        openAi = new FakeOpenAi("sk-secret");
    }

    @AfterAll
    void stop() {
        if (openAi != null) openAi.close();
        if (gw != null) gw.close();
        afterStop();
    }

    JsonNode post(String path, String body, int expectedStatus) {
        var r = gw.post(path, body, M);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(expectedStatus);
        return TestGateway.json(r);
    }

    @Test
    void newModelAppearsInModelsAndServesWithoutRestart() {
        assertThat(modelIds(gw, M)).doesNotContain("rt-new");
        JsonNode created = post("/model/new", """
                {"model_name": "rt-new", "litellm_params": {"model": "mock/x", "mock_response": "hello from the database"},
                 "model_info": {"team": "a"}}""", 200);
        String id = created.path("model_info").path("id").asText();
        assertThat(id).isNotBlank();
        assertThat(created.path("model_id").asText()).isEqualTo(id);
        assertThat(created.path("model_name").asText()).isEqualTo("rt-new");
        assertThat(created.path("model_info").path("db_model").asBoolean()).isTrue();
        assertThat(created.path("model_info").path("team").asText()).isEqualTo("a");
        assertThat(created.path("litellm_params").path("model").asText()).isEqualTo("mock/x");

        assertThat(modelIds(gw, M)).contains("rt-new", "config-model");
        JsonNode reply = chat(gw, "rt-new");
        assertThat(reply.path("_status").asInt()).isEqualTo(200);
        assertThat(content(reply)).isEqualTo("hello from the database");
        // and through a real SDK
        var sdk = gw.openAi().chat().completions().create(com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
                .model("rt-new").addUserMessage("hi").build());
        assertThat(sdk.choices().get(0).message().content()).contains("hello from the database");
    }

    @Test
    void updateMergesAndTakesEffectAtOnce() {
        String id = post("/model/new", """
                {"model_name": "rt-upd", "litellm_params": {"model": "mock/u", "mock_response": "one"}}""", 200)
                .path("model_info").path("id").asText();
        assertThat(content(chat(gw, "rt-upd"))).isEqualTo("one");

        JsonNode updated = post("/model/update", """
                {"model_info": {"id": "%s", "input_cost_per_token": 0.000002}, "litellm_params": {"mock_response": "two"}}"""
                .formatted(id), 200);
        assertThat(updated.path("litellm_params").path("model").asText()).as("merged, not replaced").isEqualTo("mock/u");
        assertThat(updated.path("litellm_params").path("mock_response").asText()).isEqualTo("two");
        assertThat(content(chat(gw, "rt-upd"))).isEqualTo("two");

        JsonNode info = TestGateway.json(gw.get("/model/info?litellm_model_id=" + id, M));
        assertThat(info.path("data")).hasSize(1);
        assertThat(info.path("data").get(0).path("model_info").path("input_cost_per_token").asDouble()).isEqualTo(0.000002);

        // renaming moves it in /v1/models
        post("/model/update", "{\"model_info\": {\"id\": \"" + id + "\"}, \"model_name\": \"rt-upd-renamed\"}", 200);
        assertThat(modelIds(gw, M)).contains("rt-upd-renamed").doesNotContain("rt-upd");
        assertThat(content(chat(gw, "rt-upd-renamed"))).isEqualTo("two");

        // an invalid change is refused and the stored model stays as it was
        JsonNode bad = post("/model/update", "{\"model_info\": {\"id\": \"" + id + "\"}, \"litellm_params\": {\"timeout\": \"soon\"}}", 400);
        assertThat(bad.path("error").path("param").asText()).isEqualTo("litellm_params.timeout");
        assertThat(content(chat(gw, "rt-upd-renamed"))).isEqualTo("two");

        JsonNode unknown = post("/model/update", "{\"model_info\": {\"id\": \"no-such-id\"}, \"model_name\": \"x\"}", 404);
        assertThat(unknown.path("error").path("message").asText()).contains("no-such-id");
    }

    @Test
    void deleteStopsServingAtOnce() {
        String id = post("/model/new", """
                {"model_name": "rt-del", "litellm_params": {"model": "mock/d"}}""", 200).path("model_info").path("id").asText();
        assertThat(chat(gw, "rt-del").path("_status").asInt()).isEqualTo(200);
        JsonNode deleted = post("/model/delete", "{\"id\": \"" + id + "\"}", 200);
        assertThat(deleted.path("message").asText()).contains(id).contains("deleted");
        JsonNode after = chat(gw, "rt-del");
        assertThat(after.path("_status").asInt()).isEqualTo(404);
        assertThat(after.path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(modelIds(gw, M)).doesNotContain("rt-del");
        post("/model/delete", "{\"id\": \"" + id + "\"}", 404);
        assertThat(post("/model/delete", "{}", 400).path("error").path("param").asText()).isEqualTo("id");
    }

    @Test
    void configModelsAreListedReadOnly() {
        JsonNode info = TestGateway.json(gw.get("/v1/model/info", M));
        JsonNode cfg = null;
        JsonNode gpt = null;
        for (JsonNode e : info.path("data")) {
            if (e.path("model_info").path("id").asText().equals("cfg-1")) cfg = e;
            if (e.path("model_info").path("id").asText().equals("cfg-gpt4o")) gpt = e;
        }
        assertThat(cfg).isNotNull();
        assertThat(cfg.path("model_name").asText()).isEqualTo("config-model");
        assertThat(cfg.path("model_info").path("db_model").asBoolean(true)).isFalse();
        assertThat(cfg.path("model_info").path("litellm_provider").asText()).isEqualTo("mock");
        // prices and context window from the bundled price table
        assertThat(gpt).isNotNull();
        assertThat(gpt.path("model_info").path("input_cost_per_token").asDouble()).isEqualTo(2.5e-06);
        assertThat(gpt.path("model_info").path("output_cost_per_token").asDouble()).isEqualTo(1e-05);
        assertThat(gpt.path("model_info").path("max_input_tokens").asLong()).isEqualTo(128000);
        assertThat(gpt.path("model_info").path("mode").asText()).isEqualTo("chat");
        assertThat(gpt.path("model_info").path("litellm_provider").asText()).isEqualTo("openai");
        assertThat(gpt.path("model_info").path("supports_reasoning").isBoolean()).isTrue();
        assertThat(gpt.path("model_info").path("supports_reasoning").asBoolean()).as("gpt-4o does not reason").isFalse();
        assertThat(gpt.path("litellm_params").has("api_key")).isFalse();
        assertThat(info.toString()).doesNotContain("sk-config-secret-never-shown");

        JsonNode upd = post("/model/update", "{\"model_info\": {\"id\": \"cfg-1\"}, \"litellm_params\": {\"mock_response\": \"hacked\"}}", 400);
        assertThat(upd.path("error").path("message").asText()).contains("config.yaml").contains("read-only");
        JsonNode del = post("/model/delete", "{\"id\": \"cfg-1\"}", 400);
        assertThat(del.path("error").path("message").asText()).contains("config.yaml").contains("read-only");
        assertThat(content(chat(gw, "config-model"))).isEqualTo("from-config");
        JsonNode clash = post("/model/new", "{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": {\"id\": \"cfg-1\"}}", 400);
        assertThat(clash.path("error").path("param").asText()).isEqualTo("model_info.id");
    }

    @Test
    void credentialsAreStoredEncryptedUsedDecryptedAndNeverReturned() throws Exception {
        JsonNode created = post("/model/new", """
                {"model_name": "rt-openai", "litellm_params": {"model": "openai/gpt-4o-mini", "api_key": "sk-secret",
                 "api_base": "%s", "aws_secret_access_key": "aws-plain-secret"}}""".formatted(openAi.openAiBase()), 200);
        String id = created.path("model_info").path("id").asText();
        assertThat(created.toString()).doesNotContain("sk-secret").doesNotContain("aws-plain-secret");

        String raw = ModelTestSupport.rawParams(gw, id);
        assertThat(raw).doesNotContain("sk-secret").doesNotContain("aws-plain-secret").contains(CredentialCipher.PREFIX);
        JsonNode rawJson = dev.aigateway.core.Json.parse(raw);
        assertThat(rawJson.path("api_key").asText()).startsWith("enc:v1:");
        assertThat(rawJson.path("aws_secret_access_key").asText()).startsWith("enc:v1:");
        assertThat(rawJson.path("api_base").asText()).isEqualTo(openAi.openAiBase());

        // the fake only answers the right bearer key: the gateway decrypted it
        JsonNode reply = chat(gw, "rt-openai");
        assertThat(reply.path("_status").asInt()).as(reply.toString()).isEqualTo(200);
        assertThat(openAi.requests().getLast().headers().get("authorization")).isEqualTo("Bearer sk-secret");

        String info = gw.get("/model/info", M).body();
        assertThat(info).contains("rt-openai").doesNotContain("sk-secret").doesNotContain("aws-plain-secret").doesNotContain("enc:v1:");

        // an update that does not mention the key keeps it
        post("/model/update", "{\"model_info\": {\"id\": \"" + id + "\"}, \"litellm_params\": {\"api_key\": null, \"temperature\": 0.5}}", 200);
        assertThat(chat(gw, "rt-openai").path("_status").asInt()).isEqualTo(200);
        assertThat(ModelTestSupport.rawParams(gw, id)).doesNotContain("sk-secret");
    }

    @Test
    void credentialsInsideApiBaseAreEncryptedAtRestAndMaskedInEveryRead() throws Exception {
        String base = "http://proxy-user:proxy-pa55word@127.0.0.1:" + openAi.port() + "/v1?api-key=q-secret-4242";
        String masked = "http://***@127.0.0.1:" + openAi.port() + "/v1?api-key=***";
        JsonNode created = post("/model/new", """
                {"model_name": "rt-userinfo", "litellm_params": {"model": "openai/gpt-4o-mini", "api_base": "%s", "api_key": "sk-secret"},
                 "model_info": {"id": "rt-userinfo"}}""".formatted(base), 200);
        assertThat(created.at("/litellm_params/api_base").asText()).isEqualTo(masked);

        String raw = ModelTestSupport.rawParams(gw, "rt-userinfo");
        assertThat(raw).doesNotContain("proxy-pa55word").doesNotContain("q-secret-4242").doesNotContain("proxy-user");
        assertThat(dev.aigateway.core.Json.parse(raw).path("api_base").asText()).startsWith(CredentialCipher.PREFIX);

        String readOnly = ModelTestSupport.insertKey(gw, "read_only");
        for (String page : new String[]{gw.get("/model/info", M).body(), gw.get("/model/info", readOnly).body(), gw.get("/metrics", M).body(),
                gw.get("/ui/api/deployments", M).body(), gw.get("/metrics", readOnly).body()}) {
            assertThat(page).doesNotContain("proxy-pa55word").doesNotContain("q-secret-4242").doesNotContain("proxy-user").contains(masked);
        }

        // the edit form sends the masked api_base back unchanged: the stored one is kept, key and all
        post("/model/update", """
                {"model_info": {"id": "rt-userinfo"}, "litellm_params": {"api_base": "%s", "api_key": "", "temperature": 0.3}}""".formatted(masked), 200);
        var stored = gw.server().runtimeModels().store().byId("rt-userinfo").orElseThrow();
        assertThat(stored.litellmParams().path("api_base").asText()).isEqualTo(base);
        assertThat(stored.litellmParams().path("api_key").asText()).isEqualTo("sk-secret");
        // a masked URL for another host is refused: the credentials are not carried over
        JsonNode moved = post("/model/update", """
                {"model_info": {"id": "rt-userinfo"}, "litellm_params": {"api_base": "http://***@elsewhere.example/v1", "api_key": "sk-x"}}""", 400);
        assertThat(moved.at("/error/param").asText()).isEqualTo("litellm_params.api_base");
    }

    @Test
    void invalidModelsAreRefusedNamingTheField() {
        record Case(String body, String param, String text) {}
        for (Case c : new Case[]{
                new Case("{\"litellm_params\": {\"model\": \"mock/x\"}}", "model_name", "model_name"),
                new Case("{\"model_name\": \"x\"}", "litellm_params", "litellm_params"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": \"mock/x\"}", "litellm_params", "object"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"api_key\": \"k\"}}", "litellm_params.model", "litellm_params.model is missing"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"nosuch/x\"}}", "litellm_params.model", "unknown provider 'nosuch'"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"x\", \"custom_llm_provider\": \"nope\"}}", "litellm_params.model", "unknown provider 'nope'"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"mock/x\", \"weight\": \"heavy\"}}", "litellm_params.weight", "number"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"mock/x\", \"weight\": \"NaN\"}}", "litellm_params.weight", "number"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"mock/x\", \"rpm\": 1e300}}", "litellm_params.rpm", "whole number"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"mock/x\", \"mock_latency_ms\": 1e12}}",
                        "litellm_params.mock_latency_ms", "whole number"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"mock/x\", \"timeout\": 1e12}}", "litellm_params.timeout", "seconds"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"openai/x\", \"api_key\": \"os.environ/NOT_SET_ANYWHERE_42\"}}",
                        "litellm_params.api_key", "NOT_SET_ANYWHERE_42"),
                new Case("{\"model_name\": \"x\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": [1]}", "model_info", "object"),
        }) {
            JsonNode e = post("/model/new", c.body(), 400).path("error");
            assertThat(e.path("param").asText()).as(c.body()).isEqualTo(c.param());
            assertThat(e.path("message").asText()).as(c.body()).contains(c.text());
            assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
        }
        assertThat(gw.post("/model/new", "not json", M).statusCode()).isEqualTo(400);
        assertThat(modelIds(gw, M)).doesNotContain("x");
    }

    /**
     * The id goes into the x-gateway-model-id header of every answer: one with a line break made every request to the
     * model hang. It is refused like any invalid field, and one that got into the database anyway is not served.
     */
    @Test
    void idsWithLineBreaksAreRefusedAndAStoredOneNeverHangsARequest() throws Exception {
        for (String id : new String[]{"a\\r\\nX-Evil: 1", "tab\\there", "x".repeat(129), "caf\u00e9"}) {
            String body = "{\"model_name\": \"rt-crlf\", \"litellm_params\": {\"model\": \"mock/x\"}, \"model_info\": {\"id\": \"" + id + "\"}}";
            JsonNode e = post("/model/new", body, 400).path("error");
            assertThat(e.path("param").asText()).as(id).isEqualTo("model_info.id");
            assertThat(e.path("message").asText()).contains("printable ASCII");
        }
        assertThat(modelIds(gw, M)).doesNotContain("rt-crlf");

        java.time.Instant now = java.time.Instant.now();
        gw.server().runtimeModels().store().insert(new dev.aigateway.models.StoredModel("bad\r\nid", "rt-crlf",
                (com.fasterxml.jackson.databind.node.ObjectNode) dev.aigateway.core.Json.parse("{\"model\": \"mock/x\"}"),
                dev.aigateway.core.Json.object(), now, now));
        gw.server().runtimeModels().reload();
        var r = java.util.concurrent.CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions",
                "{\"model\": \"rt-crlf\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", M))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).as("the stored model with a bad id is not served: " + r.body()).isEqualTo(404);
        assertThat(post("/model/delete", "{\"id\": \"bad\\r\\nid\"}", 200).path("message").asText()).contains("deleted");
    }

    @Test
    void adminRoutesNeedAnAdminAndReadOnlyKeysMayOnlyRead() {
        String body = "{\"model_name\": \"rt-auth\", \"litellm_params\": {\"model\": \"mock/x\"}}";
        assertThat(gw.post("/model/new", body, null).statusCode()).isEqualTo(401);
        String normal = ModelTestSupport.insertKey(gw, "default");
        String readOnly = ModelTestSupport.insertKey(gw, "read_only");
        String admin = ModelTestSupport.insertKey(gw, "management");
        var denied = gw.post("/model/new", body, normal);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(denied).path("error").path("type").asText()).isEqualTo("permission_error");
        assertThat(gw.post("/model/new", body, readOnly).statusCode()).isEqualTo(403);
        assertThat(gw.post("/model/delete", "{\"id\": \"cfg-1\"}", readOnly).statusCode()).isEqualTo(403);
        assertThat(gw.get("/model/info", normal).statusCode()).as("a normal key sees the models it may use").isEqualTo(200);
        var read = gw.get("/v1/model/info", readOnly);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(read).path("data").size()).isGreaterThanOrEqualTo(2);
        assertThat(gw.post("/model/new", body, admin).statusCode()).isEqualTo(200);
        assertThat(modelIds(gw, normal)).contains("rt-auth");
    }

    @Test
    void modelInfoFiltersById() {
        JsonNode one = TestGateway.json(gw.get("/model/info?litellm_model_id=cfg-1", M));
        assertThat(one.path("data")).hasSize(1);
        assertThat(one.path("data").get(0).path("model_name").asText()).isEqualTo("config-model");
        assertThat(gw.get("/model/info?litellm_model_id=nope", M).statusCode()).isEqualTo(404);
    }
}
