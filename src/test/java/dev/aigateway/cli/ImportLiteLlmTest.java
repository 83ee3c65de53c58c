package dev.aigateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.keys.KeyStore;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.SpendTestDatabases;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code import-litellm} from a LiteLLM database (Prisma's schema, real PostgreSQL) into the gateway's, on SQLite and
 * on PostgreSQL: a dry run writes nothing; --apply imports keys, models, tenancy and spend history; a gateway on the
 * imported database takes the old keys (official OpenAI SDK), shows their spend, and calls the imported model's
 * upstream with the decrypted credential; a model encrypted under another salt key is skipped with the reason; a
 * second --apply imports nothing; no output shows a secret.
 */
class ImportLiteLlmTest {
    static final String GATEWAY_SALT = "gateway-salt-key-for-import-tests-0123456789";
    static final String CONFIG = """
            model_list:
              - model_name: mock
                litellm_params:
                  model: mock/mock-gpt
                  mock_response: hello from mock
                model_info:
                  input_cost_per_token: 0.001
                  output_cost_per_token: 0.002
            """;

    @TempDir
    Path home;

    private String targetDatabase;

    record Run(int exit, String out) {}

    @AfterEach
    void dropTarget() {
        SpendTestDatabases.drop(targetDatabase);
        ImportLiteLlmCommand.environment = System::getenv;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void importsALiteLlmDatabaseSoThatOldKeysAndModelsKeepWorking(String kind) throws Exception {
        String target = kind.equals("sqlite") ? "sqlite:" + home.resolve("gateway.db")
                : SpendTestDatabases.gatewayUrl(targetDatabase = SpendTestDatabases.createOrSkip("import_target"));
        try (FakeOpenAi upstream = new FakeOpenAi(LiteLlmFixture.UPSTREAM_KEY);
             LiteLlmFixture litellm = LiteLlmFixture.create(upstream.openAiBase())) {
            Map<String, String> env = new HashMap<>();
            env.put("GATEWAY_HOME", home.toString());
            env.put("DATABASE_URL", target);
            env.put("GATEWAY_SALT_KEY", GATEWAY_SALT);
            env.put("LITELLM_SALT_KEY", LiteLlmFixture.SALT_KEY);
            ImportLiteLlmCommand.environment = () -> env;

            // dry run: the report, nothing written
            Run dry = run("import-litellm", "--from", litellm.url());
            assertThat(dry.out()).contains("Dry run", "nothing was written");
            assertThat(row(dry.out(), "virtual_keys")).isEqualTo("3 0 0");
            assertThat(row(dry.out(), "proxy_models")).isEqualTo("1 0 1");
            assertThat(row(dry.out(), "spend_logs")).isEqualTo("3 0 0");
            assertThat(count(target, "virtual_keys") + count(target, "teams") + count(target, "spend_logs") + count(target, "proxy_models")).isZero();
            assertNoSecrets(dry.out());

            // --apply: everything but the model encrypted under another salt key, which is named with the reason
            Run applied = run("import-litellm", "--from", litellm.url(), "--apply", "--page-size", "2");
            assertThat(applied.exit()).as(applied.out()).isEqualTo(2);
            assertThat(row(applied.out(), "budgets")).isEqualTo("2 0 0");
            assertThat(row(applied.out(), "organizations")).isEqualTo("1 0 0");
            assertThat(row(applied.out(), "teams")).isEqualTo("1 0 0");
            assertThat(row(applied.out(), "team_members")).isEqualTo("3 0 1");
            assertThat(row(applied.out(), "users")).isEqualTo("2 0 0");
            assertThat(row(applied.out(), "organization_members")).isEqualTo("1 0 0");
            assertThat(row(applied.out(), "end_users")).isEqualTo("1 0 0");
            assertThat(row(applied.out(), "virtual_keys")).isEqualTo("3 0 0");
            assertThat(row(applied.out(), "proxy_models")).isEqualTo("1 0 1");
            assertThat(row(applied.out(), "spend_logs")).isEqualTo("3 0 0");
            assertThat(applied.out()).contains("model 'broken-model' (id model-wrong-salt): litellm_params.model, litellm_params.api_key do not decrypt "
                    + "with the LiteLLM salt key given");
            assertNoSecrets(applied.out());
            checkRows(target);

            // a gateway on the imported database
            try (TestGateway gw = TestGateway.start(CONFIG, Map.of("DATABASE_URL", target, "GATEWAY_SALT_KEY", GATEWAY_SALT))) {
                String aliceHash = Authenticator.hash(LiteLlmFixture.ALICE_KEY);
                JsonNode before = TestGateway.json(gw.get("/key/info?key=" + aliceHash, TestGateway.MASTER_KEY));
                assertThat(before.path("info").path("spend").asDouble()).isEqualTo(1.5); // LiteLLM's, not added to again
                assertThat(before.path("info").path("key_alias").asText()).isEqualTo("alice-key");

                OpenAIClient alice = gw.openAi(LiteLlmFixture.ALICE_KEY);
                var answer = alice.chat().completions().create(ChatCompletionCreateParams.builder().model("mock").addUserMessage("hi").build());
                assertThat(answer.choices().get(0).message().content()).contains("hello from mock");

                alice.chat().completions().create(ChatCompletionCreateParams.builder().model("imported-gpt").addUserMessage("hi").build());
                assertThat(upstream.lastCall().header("authorization")).isEqualTo("Bearer " + LiteLlmFixture.UPSTREAM_KEY);
                assertThat(upstream.lastCall().json().path("model").asText()).isEqualTo("gpt-4o-mini");

                gw.server().governance().spendLog().flush();
                JsonNode after = TestGateway.json(gw.get("/key/info?key=" + aliceHash, TestGateway.MASTER_KEY));
                assertThat(after.path("info").path("spend").asDouble()).isGreaterThan(1.5);
                JsonNode logs = TestGateway.json(gw.get("/spend/logs?api_key=" + aliceHash + "&start_date=2026-01-01&end_date=2026-01-31",
                        TestGateway.MASTER_KEY));
                assertThat(logs.toString()).contains("chatcmpl-litellm-1", "chatcmpl-litellm-2");

                // the blocked key stays blocked
                int status = TestGateway.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.baseUrl() + "/v1/chat/completions"))
                        .header("authorization", "Bearer " + LiteLlmFixture.BOB_KEY).header("content-type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build()).statusCode();
                assertThat(status).isEqualTo(401);
            }

            // a second --apply imports nothing new
            Run again = run("import-litellm", "--from", litellm.url(), "--apply");
            assertThat(row(again.out(), "virtual_keys")).isEqualTo("0 3 0");
            assertThat(row(again.out(), "team_members")).isEqualTo("0 3 1");
            assertThat(row(again.out(), "proxy_models")).isEqualTo("0 1 1");
            assertThat(row(again.out(), "spend_logs")).isEqualTo("0 3 0");
            assertThat(sum(target, "SELECT spend FROM virtual_keys WHERE key_alias = 'alice-key'")).isGreaterThan(1.5);
            assertThat(count(target, "spend_logs")).isEqualTo(5); // three imported, two made by the gateway
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong", "none"})
    void withoutTheRightSaltKeyTheEncryptedModelsAreSkippedAndSaySo(String saltKey) throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi(LiteLlmFixture.UPSTREAM_KEY);
             LiteLlmFixture litellm = LiteLlmFixture.create(upstream.openAiBase())) {
            Map<String, String> env = new HashMap<>(Map.of("GATEWAY_HOME", home.toString(), "DATABASE_URL", "sqlite:" + home.resolve("gw.db"),
                    "GATEWAY_SALT_KEY", GATEWAY_SALT));
            if (saltKey.equals("wrong")) env.put("LITELLM_SALT_KEY", "not-the-salt-key");
            ImportLiteLlmCommand.environment = () -> env;
            try (Database db = Database.open(env.get("DATABASE_URL"))) { // a key of the gateway's own has the alias bob-key
                new KeyStore(db).insert(SpendTestDatabases.key(Authenticator.hash("sk-gateway-own-key-0123456789"), "bob-key", null));
            }
            Run r = run("import-litellm", "--from", litellm.url(), "--apply");
            assertThat(row(r.out(), "proxy_models")).isEqualTo("0 0 2");
            assertThat(row(r.out(), "virtual_keys")).isEqualTo("2 0 1");
            assertThat(r.out()).contains("key 'bob-key' ...", "its key_alias is taken by another key here");
            assertThat(r.out()).contains(saltKey.equals("wrong") ? "do not decrypt with the LiteLLM salt key given"
                    : "are encrypted: give LiteLLM's salt key");
            assertNoSecrets(r.out());
        }
    }

    @org.junit.jupiter.api.Test
    void anOlderLiteLlmSchemaWithFewerTablesAndColumnsImportsWhatItHas() throws Exception {
        try (FakeOpenAi upstream = new FakeOpenAi(LiteLlmFixture.UPSTREAM_KEY);
             LiteLlmFixture litellm = LiteLlmFixture.create(upstream.openAiBase())) {
            try (Connection c = litellm.jdbc(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE \"LiteLLM_EndUserTable\"");
                s.execute("DROP TABLE \"LiteLLM_OrganizationMembership\"");
                s.execute("ALTER TABLE \"LiteLLM_VerificationToken\" DROP COLUMN organization_id, DROP COLUMN budget_id, DROP COLUMN allowed_routes");
                s.execute("ALTER TABLE \"LiteLLM_SpendLogs\" DROP COLUMN organization_id, DROP COLUMN session_id, DROP COLUMN status");
            }
            String target = "sqlite:" + home.resolve("old.db");
            ImportLiteLlmCommand.environment = () -> Map.of("GATEWAY_HOME", home.toString(), "DATABASE_URL", target,
                    "GATEWAY_SALT_KEY", GATEWAY_SALT, "LITELLM_SALT_KEY", LiteLlmFixture.SALT_KEY);
            Run r = run("import-litellm", "--from", litellm.url(), "--apply");
            assertThat(row(r.out(), "virtual_keys")).isEqualTo("3 0 0");
            assertThat(row(r.out(), "spend_logs")).isEqualTo("3 0 0");
            assertThat(r.out()).contains("LiteLLM's database has no table \"LiteLLM_EndUserTable\"")
                    .doesNotContain("end_users ");
            assertThat(sum(target, "SELECT soft_budget FROM virtual_keys WHERE key_alias = 'alice-key'")).isZero(); // no budget_id: none
            assertThat(sum(target, "SELECT COUNT(*) FROM spend_logs WHERE status = 'success'")).isEqualTo(3.0);
        }
    }

    private static void checkRows(String target) throws SQLException {
        try (Connection c = connect(target); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT * FROM virtual_keys WHERE key_alias = 'alice-key'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("token_hash")).isEqualTo(Authenticator.hash(LiteLlmFixture.ALICE_KEY));
                assertThat(rs.getDouble("spend")).isEqualTo(1.5);
                assertThat(rs.getDouble("soft_budget")).isEqualTo(80.0); // from its budget_id
                assertThat(rs.getString("budget_duration")).isEqualTo("30d");
                assertThat(Json.parse(rs.getString("model_rpm_limit")).path("mock").asLong()).isEqualTo(100);
                assertThat(Json.parse(rs.getString("model_tpm_limit")).path("mock").asLong()).isEqualTo(100000);
                assertThat(Json.parse(rs.getString("model_max_budget")).path("mock").path("budget_limit").asDouble()).isEqualTo(50.0);
                assertThat(Json.parse(rs.getString("aliases")).path("fast").asText()).isEqualTo("mock");
                assertThat(Json.parse(rs.getString("metadata")).path("owner").asText()).isEqualTo("platform");
                assertThat(rs.getLong("created_at")).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli());
                assertThat(rs.getLong("budget_reset_at")).isEqualTo(Instant.parse("2099-01-01T00:00:00Z").toEpochMilli());
                assertThat(rs.getString("organization_id")).isEqualTo("org-acme");
                assertThat(rs.getString("budget_id")).isEqualTo("budget-basic");
                assertThat(rs.getLong("rpm_limit")).isEqualTo(1000);
                assertThat(rs.getLong("max_parallel_requests")).isEqualTo(10);
            }
            try (ResultSet rs = s.executeQuery("SELECT blocked, allowed_routes, models, expires_at FROM virtual_keys WHERE key_alias = 'bob-key'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
                assertThat(rs.getString(2)).isEqualTo("[\"llm_api_routes\"]");
                assertThat(rs.getString(3)).isEqualTo("[\"mock\"]");
                assertThat(rs.getLong(4)).isEqualTo(Instant.parse("2099-06-30T12:00:00Z").toEpochMilli());
            }
            try (ResultSet rs = s.executeQuery("SELECT user_id, role, budget_id, spend FROM team_members WHERE team_id = 'team-eng' ORDER BY user_id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getDouble(4)).isEqualTo("alice admin budget-member 0.75");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("bob user");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("carol user");
            }
            try (ResultSet rs = s.executeQuery("SELECT member_budget_id, organization_id, models, spend FROM teams WHERE team_id = 'team-eng'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getDouble(4))
                        .isEqualTo("budget-member org-acme [\"mock\",\"imported-gpt\"] 1.25");
            }
            try (ResultSet rs = s.executeQuery("SELECT user_role, user_email, organization_id FROM users WHERE user_id = 'alice'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)).isEqualTo("proxy_admin alice@example.com org-acme");
            }
            try (ResultSet rs = s.executeQuery("SELECT cached_tokens, organization_id, call_type, deployment_id, provider, end_user, session_id, "
                    + "first_token_ms, key_alias FROM spend_logs WHERE request_id = 'chatcmpl-litellm-1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(4);
                assertThat(rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5) + " " + rs.getString(6)
                        + " " + rs.getString(7) + " " + rs.getLong(8) + " " + rs.getString(9))
                        .isEqualTo("org-acme chat dep-1 openai customer-1 sess-1 1000 alice-key");
            }
            try (ResultSet rs = s.executeQuery("SELECT status, http_status, error_type FROM spend_logs WHERE request_id = 'chatcmpl-litellm-2'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3)).isEqualTo("failure 429 RateLimitError");
            }
            try (ResultSet rs = s.executeQuery("SELECT requests, failures, prompt_tokens, cost FROM daily_spend WHERE day = '2026-01-05' "
                    + "AND key_hash = '" + Authenticator.hash(LiteLlmFixture.ALICE_KEY) + "' AND model_group = 'mock'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getDouble(4)).isEqualTo("2 1 10 0.5");
            }
            try (ResultSet rs = s.executeQuery("SELECT litellm_params, model_info FROM proxy_models WHERE model_id = 'model-good'")) {
                assertThat(rs.next()).isTrue();
                JsonNode params = Json.parse(rs.getString(1));
                assertThat(params.path("api_key").asText()).startsWith("enc:v1:"); // ours, under the gateway's salt key
                assertThat(params.path("model").asText()).isEqualTo("openai/gpt-4o-mini");
                assertThat(params.path("rpm").asInt()).isEqualTo(100);
                assertThat(Json.parse(rs.getString(2)).path("description").asText()).isEqualTo("from LiteLLM");
                assertThat(Json.parse(rs.getString(2)).has("db_model")).isFalse();
            }
            assertThat(count(c, "end_users")).isEqualTo(1);
            assertThat(count(c, "organization_members")).isEqualTo(1);
        }
    }

    private static void assertNoSecrets(String out) {
        assertThat(out).doesNotContain(LiteLlmFixture.PASSWORD, LiteLlmFixture.SALT_KEY, LiteLlmFixture.UPSTREAM_KEY, LiteLlmFixture.ALICE_KEY,
                GATEWAY_SALT, Authenticator.hash(LiteLlmFixture.ALICE_KEY));
    }

    /** The imported / already there / failed counts of one table in the report, as "n n n". */
    static String row(String out, String table) {
        for (String line : out.split("\n")) {
            String t = line.strip();
            if (t.startsWith(table + " ")) return t.substring(table.length()).strip().replaceAll("\\s+", " ");
        }
        throw new AssertionError("no line for " + table + " in:\n" + out);
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int exit = Main.execute(args);
            return new Run(exit, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Connection connect(String url) throws SQLException {
        if (url.startsWith("sqlite:")) return DriverManager.getConnection("jdbc:sqlite:" + url.substring("sqlite:".length()));
        return SpendTestDatabases.jdbc(url.substring(url.lastIndexOf('/') + 1));
    }

    private static long count(String url, String table) throws SQLException {
        try (Connection c = connect(url)) {
            return count(c, table);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double sum(String url, String sql) throws SQLException {
        try (Connection c = connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
