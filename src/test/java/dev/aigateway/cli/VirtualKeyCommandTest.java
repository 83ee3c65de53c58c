package dev.aigateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.config.DotEnv;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./ai-gateway virtual-key} run in-process against a real gateway: it reads the master key, port and
 * BUDGET_PROFILE from a workspace's .env, makes a key with the profile's budget, and saves it there.
 */
class VirtualKeyCommandTest {
    static final String CONFIG = """
            model_list:
              - model_name: mock
                litellm_params:
                  model: mock/mock-gpt
                model_info:
                  input_cost_per_token: 0.000001
                  output_cost_per_token: 0.000002
            """;

    @TempDir
    Path home;
    TestGateway gw;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut;
    PrintStream originalErr;

    @BeforeEach
    void start() {
        gw = TestGateway.start(CONFIG);
        VirtualKeyCommand.environment = () -> Map.of("GATEWAY_HOME", home.toString());
        originalOut = System.out;
        originalErr = System.err;
    }

    @AfterEach
    void stop() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        VirtualKeyCommand.environment = System::getenv;
        gw.close();
    }

    /** A workspace .env pointing at the test gateway, as setup would have written it. */
    void dotEnv(String... extra) throws Exception {
        StringBuilder sb = new StringBuilder("# written by the test\nGATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY + "\nGATEWAY_PORT="
                + gw.server().port() + "\n");
        for (String line : extra) sb.append(line).append('\n');
        Files.writeString(home.resolve(".env"), sb.toString());
    }

    int run(String... args) {
        out.reset();
        err.reset();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "virtual-key";
            System.arraycopy(args, 0, all, 1, args.length);
            return Main.execute(all);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    String savedKey() {
        return DotEnv.read(home.resolve(".env")).get("VIRTUAL_KEY");
    }

    JsonNode ownInfo(String key) {
        return TestGateway.json(gw.get("/key/info", key)).path("info");
    }

    @Test
    void testProfileKeyIsSavedPrivatelyAndWorks() throws Exception {
        dotEnv();
        assertThat(run()).as(err.toString()).isZero();
        String key = savedKey();
        assertThat(key).matches("sk-[0-9A-Za-z]{48}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".env")))).isEqualTo("rw-------");
        assertThat(Files.readString(home.resolve(".env"))).contains("# written by the test").contains("GATEWAY_PORT=");
        assertThat(out.toString()).contains(key).contains("VIRTUAL_KEY").contains("test").contains("5.00 USD per 30d");
        assertThat(out.toString().indexOf(key)).isEqualTo(out.toString().lastIndexOf(key)); // shown once

        HttpResponseAssert.ok(gw.post("/v1/chat/completions", "{\"model\": \"mock\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", key));
        JsonNode info = ownInfo(key);
        assertThat(info.path("key_alias").asText()).isEqualTo("open-webui");
        assertThat(info.path("max_budget").asDouble()).isEqualTo(5.0);
        assertThat(info.path("budget_duration").asText()).isEqualTo("30d");
        assertThat(info.path("budget_reset_at").isNull()).isFalse();
        assertThat(info.path("rpm_limit").asLong()).isEqualTo(60);
        assertThat(info.path("tpm_limit").asLong()).isEqualTo(100_000);
        assertThat(info.path("metadata").path("budget_profile").asText()).isEqualTo("test");

        // a second run: the alias is taken, so open-webui-2; .env now holds the new key
        assertThat(run()).as(err.toString()).isZero();
        String second = savedKey();
        assertThat(second).isNotEqualTo(key);
        assertThat(ownInfo(second).path("key_alias").asText()).isEqualTo("open-webui-2");
        assertThat(run()).isZero();
        assertThat(ownInfo(savedKey()).path("key_alias").asText()).isEqualTo("open-webui-3");
    }

    @Test
    void prodAndUnlimitedProfilesFromDotEnvAndFlag() throws Exception {
        dotEnv("BUDGET_PROFILE=prod");
        assertThat(run()).as(err.toString()).isZero();
        JsonNode prod = ownInfo(savedKey());
        assertThat(prod.path("max_budget").asDouble()).isEqualTo(100.0);
        assertThat(prod.path("budget_duration").asText()).isEqualTo("30d");
        assertThat(prod.path("rpm_limit").asLong()).isEqualTo(600);
        assertThat(prod.path("tpm_limit").asLong()).isEqualTo(1_000_000);

        assertThat(run("--profile", "unlimited", "--alias", "scripts")).as(err.toString()).isZero();
        JsonNode unlimited = ownInfo(savedKey());
        assertThat(unlimited.path("key_alias").asText()).isEqualTo("scripts");
        assertThat(unlimited.path("max_budget").isNull()).isTrue();
        assertThat(unlimited.path("budget_duration").isNull()).isTrue();
        assertThat(unlimited.path("rpm_limit").isNull()).isTrue();
        assertThat(unlimited.path("tpm_limit").isNull()).isTrue();
        assertThat(out.toString()).contains("no budget and no rate limits");
    }

    @Test
    void environmentOverridesDotEnv() throws Exception {
        dotEnv("BUDGET_PROFILE=prod");
        VirtualKeyCommand.environment = () -> Map.of("GATEWAY_HOME", home.toString(), "BUDGET_PROFILE", "test");
        assertThat(run()).as(err.toString()).isZero();
        assertThat(ownInfo(savedKey()).path("max_budget").asDouble()).isEqualTo(5.0);
    }

    @Test
    void unknownProfileNamesTheVariableAndTheAllowedValues() throws Exception {
        dotEnv("BUDGET_PROFILE=gold");
        assertThat(run()).isEqualTo(1);
        assertThat(err.toString()).contains("BUDGET_PROFILE").contains("test, prod, unlimited").contains("gold");
        assertThat(savedKey()).isNull();
    }

    @Test
    void aStoppedGatewayIsExplained() throws Exception {
        Files.writeString(home.resolve(".env"), "GATEWAY_MASTER_KEY=" + TestGateway.MASTER_KEY + "\nGATEWAY_PORT=" + TestGateway.freePort() + "\n");
        assertThat(run()).isEqualTo(1);
        assertThat(err.toString()).contains("not running").contains("./ai-gateway start");
        assertThat(savedKey()).isNull();
    }

    @Test
    void aWrongMasterKeyIsExplained() throws Exception {
        Files.writeString(home.resolve(".env"), "GATEWAY_MASTER_KEY=sk-wrong-master-key\nGATEWAY_PORT=" + gw.server().port() + "\n");
        assertThat(run()).isEqualTo(1);
        assertThat(err.toString()).contains("refused the master key").contains("GATEWAY_MASTER_KEY");
        assertThat(savedKey()).isNull();
    }

    /** Tiny assertion helper for HTTP answers. */
    static final class HttpResponseAssert {
        static void ok(java.net.http.HttpResponse<String> r) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }
}
