package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.ConfigException;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.aigateway.server.admin.ModelTestSupport.chat;
import static dev.aigateway.server.admin.ModelTestSupport.modelIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GATEWAY_SALT_KEY rules: a changed or missing key stops start-up clearly; without one, credentials cannot be stored. */
class SaltKeyTest {
    static final String CONFIG = "model_list:\n  - model_name: cfg\n    litellm_params: {model: mock/c}\n";
    static FakeOpenAi openAi;

    @BeforeAll
    static void fake() {
        openAi = new FakeOpenAi("sk-secret");
    }

    @AfterAll
    static void stopFake() {
        openAi.close();
    }

    static Map<String, String> env(Path db, String saltKey) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "sqlite:" + db);
        if (saltKey != null) env.put("GATEWAY_SALT_KEY", saltKey);
        return env;
    }

    @Test
    void aChangedSaltKeyStopsStartUpWithAClearMessage() throws Exception {
        Path dir = Files.createTempDirectory("gw-salt");
        Path db = dir.resolve("gateway.db");
        try (TestGateway gw = TestGateway.start(CONFIG, env(db, "the-original-salt-key-1234"))) {
            var r = gw.post("/model/new", """
                    {"model_name": "keyed", "litellm_params": {"model": "openai/gpt-4o-mini", "api_key": "sk-secret", "api_base": "%s"}}"""
                    .formatted(openAi.openAiBase()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        assertThatThrownBy(() -> TestGateway.start(CONFIG, env(db, "a-different-salt-key-5678")).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEWAY_SALT_KEY differs from the one that encrypted the stored model credentials")
                .hasMessageContaining("restore the old value in .env");
        assertThatThrownBy(() -> TestGateway.start(CONFIG, env(db, null)).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("GATEWAY_SALT_KEY is not set")
                .hasMessageContaining("Restore the old value in .env");
        // the right key again: the model loads at start-up and its credential works
        try (TestGateway gw = TestGateway.start(CONFIG, env(db, "the-original-salt-key-1234"))) {
            assertThat(modelIds(gw, TestGateway.MASTER_KEY)).contains("keyed", "cfg");
            JsonNode reply = chat(gw, "keyed");
            assertThat(reply.path("_status").asInt()).as(reply.toString()).isEqualTo(200);
        }
    }

    @Test
    void theSaltKeyIsCheckedEvenBeforeAnyCredentialIsStored() throws Exception {
        Path db = Files.createTempDirectory("gw-salt").resolve("gateway.db");
        TestGateway.start(CONFIG, env(db, "first-salt-key-abcdef")).close();
        assertThatThrownBy(() -> TestGateway.start(CONFIG, env(db, "second-salt-key-abcdef")).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEWAY_SALT_KEY differs");
    }

    @Test
    void withoutASaltKeyCredentialsAreRefusedButOtherModelsWork() throws Exception {
        Path db = Files.createTempDirectory("gw-salt").resolve("gateway.db");
        Map<String, String> env = env(db, null);
        env.put("FAKE_OPENAI_KEY", "sk-secret");
        // the operator lets runtime models read this one variable (docs/security.md)
        try (TestGateway gw = TestGateway.start(CONFIG + "general_settings:\n  runtime_model_env_vars: [FAKE_OPENAI_KEY]\n", env)) {
            var refused = gw.post("/model/new", """
                    {"model_name": "keyed", "litellm_params": {"model": "openai/x", "api_key": "sk-secret"}}""");
            assertThat(refused.statusCode()).isEqualTo(400);
            JsonNode err = TestGateway.json(refused).path("error");
            assertThat(err.path("param").asText()).isEqualTo("litellm_params.api_key");
            assertThat(err.path("message").asText()).contains("GATEWAY_SALT_KEY").contains("setup");
            assertThat(modelIds(gw, TestGateway.MASTER_KEY)).doesNotContain("keyed");

            var plain = gw.post("/model/new", "{\"model_name\": \"plain\", \"litellm_params\": {\"model\": \"mock/p\", \"mock_response\": \"ok\"}}");
            assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
            assertThat(ModelTestSupport.content(chat(gw, "plain"))).isEqualTo("ok");

            // an os.environ/ reference (to a variable the operator listed) is not a secret: stored as given, resolved when loaded
            var ref = gw.post("/model/new", """
                    {"model_name": "by-env", "litellm_params": {"model": "openai/gpt-4o-mini", "api_key": "os.environ/FAKE_OPENAI_KEY",
                     "api_base": "%s"}}""".formatted(openAi.openAiBase()));
            assertThat(ref.statusCode()).as(ref.body()).isEqualTo(200);
            String id = TestGateway.json(ref).path("model_info").path("id").asText();
            assertThat(ModelTestSupport.rawParams(gw, id)).contains("os.environ/FAKE_OPENAI_KEY");
            JsonNode reply = chat(gw, "by-env");
            assertThat(reply.path("_status").asInt()).as(reply.toString()).isEqualTo(200);
        }
    }
}
