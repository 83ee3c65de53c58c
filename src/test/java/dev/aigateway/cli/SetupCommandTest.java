package dev.aigateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.aigateway.cli.setup.Prompter;
import dev.aigateway.cli.setup.RandomPort;
import dev.aigateway.config.DotEnv;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code setup} in-process on a temporary workspace: non-interactive flags, piped answers, validation, kept secrets. */
class SetupCommandTest {
    @TempDir
    Path home;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final ByteArrayOutputStream prompts = new ByteArrayOutputStream();
    PrintStream originalOut;
    PrintStream originalErr;

    @BeforeEach
    void redirect() {
        originalOut = System.out;
        originalErr = System.err;
        SetupCommand.workspace = () -> new Workspace(home);
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        SetupCommand.workspace = Workspace::current;
        SetupCommand.prompter = Prompter::forStandardStreams;
    }

    int setup(String answers, String... args) {
        out.reset();
        err.reset();
        prompts.reset();
        SetupCommand.prompter = () -> Prompter.onStreams(new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(prompts, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "setup";
            System.arraycopy(args, 0, all, 1, args.length);
            return Main.execute(all);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    Map<String, String> env() {
        return DotEnv.read(home.resolve(".env"));
    }

    @Test
    void nonInteractiveWritesEveryValueWithPrivateModesAndKeepsSecretsOnTheSecondRun() throws Exception {
        int port = TestGateway.freePort();
        assertThat(setup("", "--non-interactive", "--port", Integer.toString(port), "--budget-profile", "prod",
                "--resource-profile", "medium", "--redis-url", "redis://127.0.0.1:6379")).as(err.toString()).isZero();
        Map<String, String> env = env();
        assertThat(env.get("GATEWAY_MASTER_KEY")).startsWith("sk-").hasSize(51).matches("sk-[0-9A-Za-z]{48}");
        assertThat(env.get("GATEWAY_SALT_KEY")).hasSize(48);
        assertThat(env).containsEntry("GATEWAY_PORT", Integer.toString(port)).containsEntry("GATEWAY_HOST", "127.0.0.1")
                .containsEntry("BUDGET_PROFILE", "prod").containsEntry("RESOURCE_PROFILE", "medium")
                .containsEntry("DATABASE_URL", "sqlite:./data/gateway.db").containsEntry("REDIS_URL", "redis://127.0.0.1:6379");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".env")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("config.yaml")))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(home.resolve("config.yaml"))).contains("model: mock/mock-gpt").contains("#     model: anthropic/");
        assertThat(out.toString()).doesNotContain(env.get("GATEWAY_MASTER_KEY")).doesNotContain(env.get("GATEWAY_SALT_KEY"))
                .contains("./ai-gateway start").contains("./ai-gateway virtual-key");

        Files.writeString(home.resolve("config.yaml"), "model_list: []\n");
        assertThat(setup("", "--non-interactive")).isZero();
        assertThat(env()).containsEntry("GATEWAY_MASTER_KEY", env.get("GATEWAY_MASTER_KEY"))
                .containsEntry("GATEWAY_SALT_KEY", env.get("GATEWAY_SALT_KEY"))
                .containsEntry("GATEWAY_PORT", Integer.toString(port)).containsEntry("BUDGET_PROFILE", "prod");
        assertThat(out.toString()).contains("kept the existing GATEWAY_MASTER_KEY (--non-interactive never replaces secrets)");
        assertThat(Files.readString(home.resolve("config.yaml"))).isEqualTo("model_list: []\n"); // an existing config.yaml is kept
    }

    @Test
    void nonInteractiveReplacesATakenPortWithARandomHighPortAndSaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(setup("", "--non-interactive", "--port", Integer.toString(taken.getLocalPort()))).isZero();
            int chosen = Integer.parseInt(env().get("GATEWAY_PORT"));
            assertThat(chosen).isBetween(RandomPort.LOW, RandomPort.HIGH).isNotEqualTo(taken.getLocalPort());
            assertThat(out.toString()).contains("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; using the free port " + chosen);
        }
    }

    @Test
    void invalidFlagsAreRefusedWithWhatIsAllowedAndNothingIsWritten() {
        assertThat(setup("", "--non-interactive", "--port", "80")).isEqualTo(1);
        assertThat(err.toString()).contains("Invalid port range").contains("1024 to 65535");
        assertThat(setup("", "--non-interactive", "--port", "http")).isEqualTo(1);
        assertThat(setup("", "--non-interactive", "--budget-profile", "gold")).isEqualTo(1);
        assertThat(err.toString()).contains("Invalid budget profile 'gold'").contains("test, prod, unlimited");
        assertThat(setup("", "--non-interactive", "--resource-profile", "huge")).isEqualTo(1);
        assertThat(err.toString()).contains("small, medium, large");
        assertThat(setup("", "--non-interactive", "--database-url", "mysql://root:secret@db/gw")).isEqualTo(1);
        assertThat(err.toString()).contains("Invalid DATABASE_URL").contains("mysql://root:***@db/gw").doesNotContain("secret");
        assertThat(setup("", "--non-interactive", "--redis-url", "localhost:6379")).isEqualTo(1);
        assertThat(err.toString()).contains("Invalid REDIS_URL");
        assertThat(setup("", "--non-interactive", "--host", "my host")).isEqualTo(1);
        assertThat(home.resolve(".env")).doesNotExist();
    }

    @Test
    void interactiveAnswersFromPipedInputAreValidatedAndAskedAgain() throws Exception {
        int port = TestGateway.freePort();
        String answers = String.join("\n",
                "",                      // master key: generate
                "",                      // salt key: generate
                "",                      // host: 127.0.0.1
                "99999",                 // invalid port: asked again
                Integer.toString(port),
                "gold",                  // invalid budget profile: asked again
                "unlimited",
                "large",
                "postgresql://gateway@127.0.0.1:5432/gateway",
                "p@ss word",             // the PostgreSQL password, hidden on a terminal
                "none") + "\n";
        assertThat(setup(answers)).as(err.toString()).isZero();
        Map<String, String> env = env();
        assertThat(env.get("GATEWAY_MASTER_KEY")).matches("sk-[0-9A-Za-z]{48}");
        assertThat(env).containsEntry("GATEWAY_PORT", Integer.toString(port)).containsEntry("BUDGET_PROFILE", "unlimited")
                .containsEntry("RESOURCE_PROFILE", "large")
                .containsEntry("DATABASE_URL", "postgresql://gateway:p%40ss%20word@127.0.0.1:5432/gateway")
                .doesNotContainKey("REDIS_URL");
        assertThat(prompts.toString()).contains("Invalid port range").contains("Invalid budget profile 'gold'")
                .contains("Port (1024-65535) [4000]: ").contains("Password of the PostgreSQL user");
        assertThat(out.toString()).contains("DATABASE_URL=postgresql://gateway:***@127.0.0.1:5432/gateway").doesNotContain("p%40ss");
    }

    @Test
    void interactiveKeepsSecretsUnlessTheAnswerIsAnExplicitYes() {
        assertThat(setup("", "--non-interactive", "--port", Integer.toString(freePort()))).isZero();
        String master = env().get("GATEWAY_MASTER_KEY");
        String salt = env().get("GATEWAY_SALT_KEY");

        assertThat(setup("\n\n\n\n\n\n\n\n\n")).isZero(); // Enter everywhere: the default is "no"
        assertThat(env()).containsEntry("GATEWAY_MASTER_KEY", master).containsEntry("GATEWAY_SALT_KEY", salt);
        assertThat(prompts.toString()).contains("A master key already exists in .env. Replace it?").contains("[y/N]");

        assertThat(setup("yes\nsk-my-own-master-key-0123456789abcdefghijklmnopqrstuv\nn\n")).isZero();
        assertThat(env()).containsEntry("GATEWAY_MASTER_KEY", "sk-my-own-master-key-0123456789abcdefghijklmnopqrstuv")
                .containsEntry("GATEWAY_SALT_KEY", salt);
        assertThat(out.toString()).contains("Master key: replaced").doesNotContain("sk-my-own-master-key");

        assertThat(setup("y\nnot-a-key\n\n")).isZero(); // a typed key without sk- is refused and asked again
        assertThat(prompts.toString()).contains("master key invalid: it must start with 'sk-'");
        assertThat(env().get("GATEWAY_MASTER_KEY")).matches("sk-[0-9A-Za-z]{48}");
    }

    @Test
    void nonInteractiveNeverReplacesAnInvalidMasterKeyButSaysHowToFixIt() throws Exception {
        Files.writeString(home.resolve(".env"), "GATEWAY_MASTER_KEY=1234567890abcdef\n");
        assertThat(setup("", "--non-interactive", "--port", Integer.toString(freePort()))).isEqualTo(1);
        assertThat(env()).containsEntry("GATEWAY_MASTER_KEY", "1234567890abcdef");
        assertThat(err.toString()).contains("does not start with sk-").contains("./ai-gateway setup (interactive)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".env")))).isEqualTo("rw-------");
    }

    @Test
    void aLiteLlmMasterKeyIsKeptUnderItsOwnName() throws Exception {
        Files.writeString(home.resolve(".env"), "LITELLM_MASTER_KEY=sk-from-litellm-0123456789abcdefghijklmnopqrstuvwxyz\n");
        assertThat(setup("", "--non-interactive", "--port", Integer.toString(freePort()))).isZero();
        assertThat(env()).containsEntry("LITELLM_MASTER_KEY", "sk-from-litellm-0123456789abcdefghijklmnopqrstuvwxyz")
                .doesNotContainKey("GATEWAY_MASTER_KEY");
    }

    // --- cloud providers

    JsonNode configModels() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(home.resolve("config.yaml").toFile()).path("model_list");
    }

    static JsonNode params(JsonNode models, String prefix) {
        for (JsonNode m : models) {
            if (m.path("litellm_params").path("model").asText().startsWith(prefix)) return m.path("litellm_params");
        }
        throw new AssertionError("no " + prefix + " model in " + models);
    }

    @Test
    void interactiveBedrockKeysAndVertexKeyFileWriteReferencesWithTheSecretsOnlyInDotEnv() throws Exception {
        Path notJson = Files.writeString(home.resolve("notes.txt"), "hello");
        Path key = Files.writeString(home.resolve("sa.json"),
                "{\"type\":\"service_account\",\"client_email\":\"gw@my-project-123.iam.gserviceaccount.com\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nx\\n-----END PRIVATE KEY-----\\n\"}");
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String answers = String.join("\n",
                "", "", "", Integer.toString(freePort()), "", "", "", "none",
                "y",                     // add Bedrock
                "mars-1",                // invalid region: asked again
                "eu-west-3",
                "AKIAIOSFODNN7EXAMPLE",
                secret,                  // hidden on a terminal
                "y",                     // add Vertex AI
                "My Project",            // a display name, not an id: asked again
                "my-project-123",
                "",                      // location: us-central1
                home.resolve("missing.json").toString(),
                notJson.toString(),      // not a key: asked again
                key.toString()) + "\n";
        assertThat(setup(answers)).as(err.toString()).isZero();
        assertThat(env()).containsEntry("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE").containsEntry("AWS_SECRET_ACCESS_KEY", secret)
                .containsEntry("VERTEX_CREDENTIALS_FILE", key.toAbsolutePath().toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".env")))).isEqualTo("rw-------");
        JsonNode models = configModels();
        assertThat(params(models, "mock/").path("model").asText()).isEqualTo("mock/mock-gpt");
        JsonNode bedrock = params(models, "bedrock/");
        assertThat(bedrock.path("model").asText()).isEqualTo("bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0");
        assertThat(bedrock.path("aws_region_name").asText()).isEqualTo("eu-west-3");
        assertThat(bedrock.path("aws_access_key_id").asText()).isEqualTo("os.environ/AWS_ACCESS_KEY_ID");
        assertThat(bedrock.path("aws_secret_access_key").asText()).isEqualTo("os.environ/AWS_SECRET_ACCESS_KEY");
        JsonNode vertex = params(models, "vertex_ai/");
        assertThat(vertex.path("model").asText()).isEqualTo("vertex_ai/gemini-2.5-flash");
        assertThat(vertex.path("vertex_project").asText()).isEqualTo("my-project-123");
        assertThat(vertex.path("vertex_location").asText()).isEqualTo("us-central1");
        assertThat(vertex.path("vertex_credentials").asText()).isEqualTo("os.environ/VERTEX_CREDENTIALS_FILE");
        assertThat(Files.readString(home.resolve("config.yaml"))).doesNotContain(secret).doesNotContain("AKIA");
        assertThat(prompts.toString()).contains("Invalid AWS region 'mars-1'").contains("Invalid Google Cloud project id 'My Project'")
                .contains("Cannot read the key file").contains("is not a service account key").doesNotContain(secret);
        assertThat(out.toString()).contains("AWS_SECRET_ACCESS_KEY (new)").contains("AWS_ACCESS_KEY_ID (new)")
                .doesNotContain(secret).doesNotContain("AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void interactiveBedrockWithTheMachinesRoleAndVertexWithAdcWriteNoCredentials() throws Exception {
        String answers = String.join("\n", "", "", "", Integer.toString(freePort()), "", "", "", "none",
                "y", "", "role", "y", "my-project-123", "europe-west4", "adc") + "\n";
        assertThat(setup(answers)).as(err.toString()).isZero();
        JsonNode models = configModels();
        assertThat(params(models, "bedrock/").path("aws_region_name").asText()).isEqualTo("us-east-1");
        assertThat(params(models, "bedrock/").has("aws_access_key_id")).isFalse();
        assertThat(params(models, "vertex_ai/").path("vertex_location").asText()).isEqualTo("europe-west4");
        assertThat(params(models, "vertex_ai/").has("vertex_credentials")).isFalse();
        assertThat(env()).doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "VERTEX_CREDENTIALS_FILE");
        assertThat(prompts.toString()).contains("Add an AWS Bedrock model").contains("Add a Google Vertex AI model")
                .contains("Vertex AI location [us-central1]: ");
    }

    @Test
    void nonInteractiveCloudFlagsAddModelsAndAKeptConfigGetsTheEntriesToPaste() throws Exception {
        assertThat(setup("", "--non-interactive", "--port", Integer.toString(freePort()),
                "--bedrock-region", "us-west-2", "--vertex-project", "my-project-123")).as(err.toString()).isZero();
        JsonNode models = configModels();
        assertThat(params(models, "bedrock/").path("aws_region_name").asText()).isEqualTo("us-west-2");
        assertThat(params(models, "vertex_ai/").path("vertex_location").asText()).isEqualTo("us-central1");
        assertThat(params(models, "vertex_ai/").has("vertex_credentials")).isFalse();

        Files.writeString(home.resolve("config.yaml"), "model_list: []\n");
        assertThat(setup("", "--non-interactive", "--bedrock-region", "us-west-2")).isZero();
        assertThat(Files.readString(home.resolve("config.yaml"))).isEqualTo("model_list: []\n");
        assertThat(out.toString()).contains("Add these entries under its model_list:").contains("aws_region_name: us-west-2");

        assertThat(setup("", "--non-interactive", "--vertex-project", "my-project-123", "--vertex-credentials-file", "/nonexistent/sa.json"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("Cannot read the key file '/nonexistent/sa.json'");
        assertThat(setup("", "--non-interactive", "--bedrock-region", "Virginia")).isEqualTo(1);
        assertThat(err.toString()).contains("Invalid AWS region 'Virginia'");
    }

    static int freePort() {
        try {
            return TestGateway.freePort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
