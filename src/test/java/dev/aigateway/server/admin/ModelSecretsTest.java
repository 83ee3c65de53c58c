package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.aigateway.config.ConfigLoader;
import dev.aigateway.core.ConfigException;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.aigateway.server.admin.ModelTestSupport.chat;
import static dev.aigateway.server.admin.ModelTestSupport.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a holder of an admin key cannot get at through runtime models: the gateway's own secrets (os.environ/ is honoured
 * for runtime models only in credential fields, only for variables the operator lists, and no resolved value is ever
 * shown), and the stored provider keys (a model pointed elsewhere must come with its key again, and an upstream's
 * error text is bounded). See docs/security.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelSecretsTest {
    static final String SALT = "model-secrets-salt-key-9d2e41";
    static final String ALLOWED_VALUE = "sk-runtime-allowed-provider-key-0123456789";
    static final String OTHER_VALUE = "sk-other-variable-never-listed-9876543210";
    static final String CONFIG_KEY_VALUE = "cfg-provider-key-from-environment-4455";
    static final String STORED_KEY = "sk-stored-provider-key-aaaabbbbccccdddd";
    static final String M = TestGateway.MASTER_KEY;

    TestGateway gw;
    FakeOpenAi provider;
    FakeOpenAi attacker;
    String databaseUrl;
    final List<String> answers = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        provider = new FakeOpenAi(STORED_KEY);
        attacker = new FakeOpenAi("sk-whatever");
        databaseUrl = "sqlite:" + Files.createTempDirectory("model-secrets").resolve("gateway.db");
        FakeOpenAi configured = provider;
        gw = TestGateway.start("""
                model_list:
                  - model_name: from-config
                    litellm_params: {model: openai/gpt-4o, api_base: os.environ/CFG_BASE, api_key: os.environ/CFG_KEY}
                    model_info: {id: cfg-env}
                general_settings:
                  runtime_model_env_vars: [RUNTIME_KEY]
                """, Map.of("GATEWAY_SALT_KEY", SALT, "DATABASE_URL", databaseUrl, "RUNTIME_KEY", ALLOWED_VALUE,
                "OTHER_SECRET", OTHER_VALUE, "CFG_KEY", STORED_KEY, "CFG_BASE", configured.openAiBase()));
    }

    @AfterAll
    void stop() {
        if (gw != null) gw.close();
        if (provider != null) provider.close();
        if (attacker != null) attacker.close();
    }

    private HttpResponse<String> post(String path, String body) {
        HttpResponse<String> r = gw.post(path, body, M);
        answers.add(r.body());
        return r;
    }

    private static String model(String name, String params) {
        return "{\"model_name\": \"" + name + "\", \"litellm_params\": {" + params + "}}";
    }

    @Test
    void aRuntimeModelCannotReadTheGatewaysSecretsFromTheEnvironment() {
        String base = "\"model\": \"openai/gpt-4o\", \"api_base\": \"" + attacker.openAiBase() + "\"";
        int attackerCalls = attacker.requests().size();
        for (String var : new String[]{"GATEWAY_MASTER_KEY", "GATEWAY_SALT_KEY", "DATABASE_URL", "OTHER_SECRET"}) {
            for (String field : new String[]{"api_key", "api_version", "organization", "timeout", "aws_secret_access_key"}) {
                HttpResponse<String> r = post("/model/new", model("leak", base + ", \"" + field + "\": \"os.environ/" + var + "\""));
                assertThat(r.statusCode()).as(field + "=" + var + " -> " + r.body()).isEqualTo(400);
                JsonNode e = TestGateway.json(r).path("error");
                assertThat(e.path("param").asText()).isEqualTo("litellm_params." + field);
                assertThat(e.path("message").asText()).contains(var);
            }
            // api_base is where /model/info would have shown the value
            HttpResponse<String> r = post("/model/new", model("leak", "\"model\": \"openai/gpt-4o\", \"api_base\": \"os.environ/" + var + "\""));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r).at("/error/param").asText()).isEqualTo("litellm_params.api_base");
            // /model/test: the secret would be sent to a server of the caller's choosing
            HttpResponse<String> t = post("/model/test", model("leak", base + ", \"api_key\": \"os.environ/" + var + "\""));
            assertThat(t.statusCode()).as(t.body()).isEqualTo(400);
        }
        assertThat(attacker.requests()).as("nothing was sent to the caller's server").hasSize(attackerCalls);

        // model_info is not resolved at all: shown as written
        HttpResponse<String> note = post("/model/new", "{\"model_name\": \"noted\", \"litellm_params\": {\"model\": \"mock/x\"}, "
                + "\"model_info\": {\"id\": \"noted-1\", \"note\": \"os.environ/GATEWAY_MASTER_KEY\"}}");
        assertThat(note.statusCode()).as(note.body()).isEqualTo(200);
        assertThat(TestGateway.json(note).at("/model_info/note").asText()).isEqualTo("os.environ/GATEWAY_MASTER_KEY");

        String readOnly = ModelTestSupport.insertKey(gw, "read_only");
        List<String> pages = new ArrayList<>(answers);
        pages.add(gw.get("/model/info", M).body());
        pages.add(gw.get("/model/info", readOnly).body());
        pages.add(gw.get("/metrics", M).body());
        pages.add(gw.get("/ui/api/deployments", M).body());
        for (String page : pages) {
            assertThat(page).doesNotContain(M).doesNotContain(SALT).doesNotContain(databaseUrl).doesNotContain(OTHER_VALUE)
                    .doesNotContain(ALLOWED_VALUE).doesNotContain(STORED_KEY);
        }
    }

    @Test
    void anAllowedVariableWorksInACredentialFieldAndIsNeverShown() {
        FakeOpenAi allowed = new FakeOpenAi(ALLOWED_VALUE);
        try (allowed) {
            HttpResponse<String> r = post("/model/new", "{\"model_name\": \"rt-env\", \"litellm_params\": {\"model\": \"openai/gpt-4o\", "
                    + "\"api_base\": \"" + allowed.openAiBase() + "\", \"api_key\": \"os.environ/RUNTIME_KEY\"}, \"model_info\": {\"id\": \"rt-env\"}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(chat(gw, "rt-env").path("_status").asInt()).isEqualTo(200);
            assertThat(allowed.requests().getLast().headers().get("authorization")).isEqualTo("Bearer " + ALLOWED_VALUE);
            String info = gw.get("/model/info?litellm_model_id=rt-env", M).body();
            assertThat(info).doesNotContain(ALLOWED_VALUE).doesNotContain("api_key");
            // the same variable outside a credential field is refused
            HttpResponse<String> base = post("/model/new", model("rt-env-base", "\"model\": \"openai/gpt-4o\", \"api_base\": \"os.environ/RUNTIME_KEY\""));
            assertThat(base.statusCode()).isEqualTo(400);
            assertThat(base.body()).doesNotContain(ALLOWED_VALUE);
        }
    }

    @Test
    void configYamlReferencesStillWorkAndAreShownAsReferences() {
        JsonNode reply = chat(gw, "from-config");
        assertThat(reply.path("_status").asInt()).as(reply.toString()).isEqualTo(200);
        JsonNode entry = TestGateway.json(gw.get("/model/info?litellm_model_id=cfg-env", M)).path("data").get(0);
        assertThat(entry.at("/litellm_params/api_base").asText()).isEqualTo("os.environ/CFG_BASE");
        assertThat(entry.path("litellm_params").has("api_key")).isFalse();
        List<String> series = gw.get("/metrics", M).body().lines().filter(l -> l.contains("model_id=\"cfg-env\"") && l.contains("api_base=")).toList();
        assertThat(series).isNotEmpty().allSatisfy(l -> assertThat(l).contains("api_base=\"os.environ/CFG_BASE\"").doesNotContain(provider.openAiBase()));
        JsonNode deployments = TestGateway.json(gw.get("/ui/api/deployments", M)).path("deployments");
        JsonNode cfg = null;
        for (JsonNode d : deployments) if (d.path("id").asText().equals("cfg-env")) cfg = d;
        assertThat(cfg).isNotNull();
        assertThat(cfg.path("api_base").asText()).isEqualTo("os.environ/CFG_BASE");
    }

    @Test
    void configErrorsNameTheReferenceNotItsValue() throws IOException {
        Path dir = Files.createTempDirectory("cfg-errors");
        try {
            Files.writeString(dir.resolve("config.yaml"), """
                    model_list:
                      - model_name: x
                        litellm_params: {model: openai/x, timeout: os.environ/CFG_SECRET}
                    """);
            assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("CFG_SECRET", CONFIG_KEY_VALUE), dir))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("os.environ/CFG_SECRET")
                    .hasMessageNotContaining(CONFIG_KEY_VALUE);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aStoredKeyIsOnlySentWhereItWasStoredFor() {
        String id = TestGateway.json(post("/model/new", "{\"model_name\": \"rt-keyed\", \"litellm_params\": {\"model\": \"openai/gpt-4o\", "
                + "\"api_base\": \"" + provider.openAiBase() + "\", \"api_key\": \"" + STORED_KEY + "\"}}")).at("/model_info/id").asText();
        assertThat(chat(gw, "rt-keyed").path("_status").asInt()).isEqualTo(200);
        String newBase = "\"model_info\": {\"id\": \"" + id + "\"}, \"litellm_params\": {\"api_base\": \"" + attacker.openAiBase() + "\"";
        int attackerCalls = attacker.requests().size();

        for (String route : new String[]{"/model/test", "/model/update"}) {
            for (String keep : new String[]{"", ", \"api_key\": \"\"", ", \"api_key\": null"}) {
                HttpResponse<String> r = post(route, "{" + newBase + keep + "}}");
                assertThat(r.statusCode()).as(route + keep + " -> " + r.body()).isEqualTo(400);
                assertThat(TestGateway.json(r).at("/error/param").asText()).isEqualTo("litellm_params.api_key");
            }
            // another provider is another destination too (groq/ has its own default base)
            HttpResponse<String> p = post(route, "{\"model_info\": {\"id\": \"" + id + "\"}, \"litellm_params\": {\"model\": \"groq/llama-3.3-70b\"}}");
            assertThat(p.statusCode()).as(route + " -> " + p.body()).isEqualTo(400);
        }
        assertThat(attacker.requests()).as("the stored key went nowhere new").hasSize(attackerCalls);
        assertThat(chat(gw, "rt-keyed").path("_status").asInt()).as("the model is unchanged").isEqualTo(200);

        // the same endpoint with other settings keeps the stored key
        HttpResponse<String> same = post("/model/test", "{\"model_info\": {\"id\": \"" + id + "\"}, \"litellm_params\": {\"api_base\": \""
                + provider.openAiBase() + "\", \"api_key\": \"\", \"temperature\": 0.2}}");
        assertThat(TestGateway.json(same).path("ok").asBoolean()).as(same.body()).isTrue();

        // with its key given again, the move is fine: the new server gets the new key, never the stored one
        HttpResponse<String> moved = post("/model/update", "{" + newBase + ", \"api_key\": \"sk-given-for-the-new-base\"}}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        chat(gw, "rt-keyed");
        assertThat(attacker.requests().subList(attackerCalls, attacker.requests().size())).isNotEmpty()
                .allSatisfy(r -> assertThat(r.headers().get("authorization")).isEqualTo("Bearer sk-given-for-the-new-base"));
        for (String a : answers) assertThat(a).doesNotContain(STORED_KEY);
    }

    @Test
    void aTestCallReadsNoMoreThanALineOfWhatAnInternalServiceAnswers() throws IOException {
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("{\"error\": {\"message\": \"" + "internal-inventory-row ".repeat(5000) + "\"}}").getBytes(StandardCharsets.UTF_8);
        internal.createContext("/", ex -> {
            ex.sendResponseHeaders(500, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        internal.start();
        try {
            HttpResponse<String> r = post("/model/test", model("probe", "\"model\": \"openai/gpt-4o\", \"api_key\": \"sk-admin-own-key-123456\", "
                    + "\"api_base\": \"http://127.0.0.1:" + internal.getAddress().getPort() + "/v1\""));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode j = TestGateway.json(r);
            assertThat(j.path("ok").asBoolean()).isFalse();
            String message = j.at("/error/message").asText();
            assertThat(message).contains("internal-inventory-row").contains("more characters not shown");
            assertThat(message.length()).isLessThan(700);
        } finally {
            internal.stop(0);
        }
    }
}
