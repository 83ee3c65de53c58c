package dev.aigateway.config;

import dev.aigateway.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    GatewayConfig load(Map<String, String> flags, Map<String, String> env) {
        return ConfigLoader.load(flags, env, dir);
    }

    void yaml(String text) throws IOException {
        Files.writeString(dir.resolve("config.yaml"), text);
    }

    @Test
    void precedenceIsFlagsThenEnvironmentThenDotEnvThenYamlThenDefaults() throws IOException {
        yaml("general_settings:\n  master_key: sk-from-yaml\n");
        assertThat(load(Map.of(), Map.of()).port()).isEqualTo(4000);
        assertThat(load(Map.of(), Map.of()).masterKey()).isEqualTo("sk-from-yaml");
        DotEnv.put(dir.resolve(".env"), Map.of("GATEWAY_PORT", "4001", "GATEWAY_MASTER_KEY", "sk-from-dotenv"));
        assertThat(load(Map.of(), Map.of()).port()).isEqualTo(4001);
        assertThat(load(Map.of(), Map.of()).masterKey()).isEqualTo("sk-from-dotenv");
        assertThat(load(Map.of(), Map.of("GATEWAY_PORT", "4002", "LITELLM_MASTER_KEY", "sk-from-env")).port()).isEqualTo(4002);
        assertThat(load(Map.of(), Map.of("LITELLM_MASTER_KEY", "sk-from-env")).masterKey()).isEqualTo("sk-from-env");
        assertThat(load(Map.of("GATEWAY_PORT", "4003"), Map.of("GATEWAY_PORT", "4002")).port()).isEqualTo(4003);
    }

    @Test
    void dotEnvIsWrittenWithMode600AndKeepsOtherLines() throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, "# comment\nOTHER=1\nGATEWAY_PORT=5\n");
        DotEnv.put(env, Map.of("GATEWAY_PORT", "4005", "NEW", "x"));
        assertThat(Files.readString(env)).isEqualTo("# comment\nOTHER=1\nGATEWAY_PORT=4005\nNEW=x\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
        assertThat(DotEnv.read(env)).containsEntry("OTHER", "1").containsEntry("NEW", "x");
    }

    @Test
    void masterKeyMustStartWithSk() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("GATEWAY_MASTER_KEY", "1234567890")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("master key invalid").hasMessageContaining("sk-");
    }

    @Test
    void modelListWithEnvironmentReferences() throws IOException {
        yaml("""
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: os.environ/OPENAI_API_KEY
                      timeout: 12.5
                      weight: 3
                  - model_name: claude
                    litellm_params:
                      model: claude-sonnet-4-5
                      api_key: os.environ/ANTHROPIC_API_KEY
                    model_info:
                      id: my-claude
                router_settings:
                  stream_timeout: 7
                """);
        DotEnv.put(dir.resolve(".env"), Map.of("ANTHROPIC_API_KEY", "sk-ant-dotenv"));
        GatewayConfig c = load(Map.of(), Map.of("OPENAI_API_KEY", "sk-openai-env"));
        assertThat(c.deployments()).hasSize(2);
        var gpt = c.deployments().get(0);
        assertThat(gpt.provider()).isEqualTo("openai");
        assertThat(gpt.model()).isEqualTo("gpt-4o");
        assertThat(gpt.apiKey()).isEqualTo("sk-openai-env");
        assertThat(gpt.timeout()).isEqualTo(Duration.ofMillis(12_500));
        assertThat(gpt.streamTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(gpt.weight()).isEqualTo(3.0);
        var claude = c.deployments().get(1);
        assertThat(claude.provider()).isEqualTo("anthropic");
        assertThat(claude.apiKey()).isEqualTo("sk-ant-dotenv");
        assertThat(claude.id()).isEqualTo("my-claude");
        assertThat(claude.toString()).doesNotContain("sk-ant-dotenv");
    }

    @Test
    void missingEnvironmentReferenceNamesTheKey() throws IOException {
        yaml("model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/x\n      api_key: os.environ/NOT_SET_ANYWHERE\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_list[0].litellm_params.api_key").hasMessageContaining("NOT_SET_ANYWHERE");
    }

    /**
     * Every number a deployment sets is finite and in range. YAML reads NaN and Infinity as text, which Java parses as the
     * non-finite doubles (a NaN weight was accepted); whole numbers must be whole, and absurd values are refused.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "litellm_params|weight|NaN",
            "litellm_params|weight|'\"NaN\"'",
            "litellm_params|weight|Infinity",
            "litellm_params|weight|1e999",
            "litellm_params|weight|-1",
            "litellm_params|order|1e20",
            "litellm_params|order|1.5",
            "litellm_params|order|NaN",
            "litellm_params|rpm|-5",
            "litellm_params|rpm|Infinity",
            "litellm_params|rpm|'\"1e3\"'",
            "litellm_params|rpm|2.5",
            "litellm_params|tpm|1e300",
            "litellm_params|timeout|-Infinity",
            "litellm_params|timeout|NaN",
            "litellm_params|timeout|1e12",
            "litellm_params|stream_timeout|-1",
            "litellm_params|max_tokens|1e12",
            "litellm_params|mock_latency_ms|1e12",
            "litellm_params|mock_error_status|99999",
            "litellm_params|mock_tokens_per_second|-1",
            "model_info|max_input_tokens|Infinity",
            "model_info|input_cost_per_token|NaN",
            "model_info|output_cost_per_token|-0.1",
            "model_info|cache_read_input_token_cost|1e300",
    })
    void deploymentNumbersMustBeFiniteAndInRange(String section, String key, String value) throws IOException {
        String params = section.equals("litellm_params") ? "      " + key + ": " + value + "\n" : "";
        String info = section.equals("model_info") ? "    model_info:\n      " + key + ": " + value + "\n" : "";
        yaml("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/x\n" + params + info);
        assertThatThrownBy(() -> load(Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("model_list[0]." + section + "." + key);
    }

    @Test
    void deploymentNumbersAtTheirLimitsLoad() throws IOException {
        yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: mock/x, weight: 0, order: 1000000, rpm: 1e15, tpm: 0, timeout: 86400, stream_timeout: 0.5,
                                     mock_latency_ms: 600000, mock_error_status: 599, mock_tokens_per_second: 1000000}
                    model_info: {max_input_tokens: 1000000, input_cost_per_token: 1, output_cost_per_token: 0}
                """);
        var d = load(Map.of(), Map.of()).deployments().get(0);
        assertThat(d.weight()).isZero();
        assertThat(d.order()).isEqualTo(1_000_000);
        assertThat(d.timeout()).isEqualTo(Duration.ofDays(1));
    }

    /** An id goes into the x-gateway-model-id header: a line break in it made every request to the model hang. */
    @Test
    void deploymentIdsArePrintableAsciiOfBoundedLength() throws IOException {
        for (String id : new String[]{"\"a\\r\\nX-Evil: 1\"", "\"tab\\there\"", "\"nul\\0\"", "\"" + "x".repeat(129) + "\"", "\" padded\"",
                "\"caf\u00e9\""}) {
            yaml("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/x\n    model_info:\n      id: " + id + "\n");
            assertThatThrownBy(() -> load(Map.of(), Map.of())).as(id).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("model_list[0].model_info.id");
        }
        yaml("model_list:\n  - model_name: \"a\\r\\nb\"\n    litellm_params:\n      model: mock/x\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("model_list[0].model_name");
        yaml("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/x\n    model_info:\n      id: \"" + "x".repeat(128) + "\"\n");
        assertThat(load(Map.of(), Map.of()).deployments().get(0).id()).hasSize(128);
        yaml("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/x\n    model_info:\n      id: \"my model #1 (eu-west)\"\n");
        assertThat(load(Map.of(), Map.of()).deployments().get(0).id()).isEqualTo("my model #1 (eu-west)");
    }

    /** Bedrock reads LiteLLM's variables: AWS_REGION_NAME before AWS_REGION, the endpoint, a Bedrock API key. */
    @Test
    void bedrockDeploymentsFallBackToTheAwsEnvironment() throws IOException {
        yaml("model_list:\n  - model_name: a\n    litellm_params:\n      model: bedrock/anthropic.claude-v2\n"
                + "  - model_name: b\n    litellm_params:\n      model: bedrock/x\n      aws_region_name: us-west-2\n");
        GatewayConfig c = load(Map.of(), Map.of("AWS_REGION_NAME", "eu-west-3", "AWS_REGION", "ap-south-1",
                "AWS_BEDROCK_RUNTIME_ENDPOINT", "https://vpce.example", "AWS_BEARER_TOKEN_BEDROCK", "ABSK-from-env-123"));
        var a = c.deployments().get(0);
        assertThat(a.provider()).isEqualTo("bedrock");
        assertThat(a.model()).isEqualTo("anthropic.claude-v2");
        assertThat(a.param("aws_region_name")).isEqualTo("eu-west-3");
        assertThat(a.param("aws_bedrock_runtime_endpoint")).isEqualTo("https://vpce.example");
        assertThat(a.apiKey()).isEqualTo("ABSK-from-env-123");
        assertThat(c.deployments().get(1).param("aws_region_name")).isEqualTo("us-west-2");
        assertThat(load(Map.of(), Map.of("AWS_REGION", "ap-south-1")).deployments().get(0).param("aws_region_name")).isEqualTo("ap-south-1");
    }

    @Test
    void invalidValuesFailNamingTheKey() throws IOException {
        yaml("model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/x\n      timeout: soon\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).hasMessageContaining("model_list[0].litellm_params.timeout");
        yaml("model_list:\n  - model_name: a\n    litellm_params:\n      model: nosuch/x\n      custom_llm_provider: nosuch\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).hasMessageContaining("unknown provider 'nosuch'");
        yaml("model_list:\n  - litellm_params:\n      model: openai/x\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).hasMessageContaining("model_list[0].model_name");
        yaml("model_list: [\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).hasMessageContaining("line 1");
        Files.delete(dir.resolve("config.yaml"));
        assertThatThrownBy(() -> load(Map.of("GATEWAY_PORT", "http"), Map.of())).hasMessageContaining("GATEWAY_PORT");
    }

    @Test
    void unknownKeysAreIgnoredWithAWarning() throws IOException {
        yaml("""
                model_list:
                  - model_name: a
                    litellm_params: {model: mock/x}
                    colour: blue
                mystery_section: {}
                general_settings:
                  alerting: [slack]
                router_settings:
                  timeout: 30
                  routing_strategy: least-busy
                  mystery_knob: 7
                """);
        GatewayConfig c = load(Map.of(), Map.of());
        assertThat(c.deployments()).hasSize(1);
        assertThat(c.warnings()).anyMatch(w -> w.contains("mystery_section"))
                .anyMatch(w -> w.contains("model_list[0].colour"))
                .anyMatch(w -> w.contains("general_settings.alerting"))
                .anyMatch(w -> w.contains("router_settings.mystery_knob"))
                .noneMatch(w -> w.contains("router_settings.routing_strategy"))
                .noneMatch(w -> w.contains("router_settings.timeout"));
    }

    @Test
    void duplicateEntriesAreSeparateDeployments() throws IOException {
        yaml("model_list:\n  - model_name: a\n    litellm_params: {model: mock/x}\n  - model_name: a\n    litellm_params: {model: mock/x}\n");
        GatewayConfig c = load(Map.of(), Map.of());
        assertThat(c.deployments()).extracting(d -> d.id()).doesNotHaveDuplicates();
    }

    @Test
    void withoutConfigFileTheMockModelIsServed() {
        GatewayConfig c = load(Map.of(), Map.of());
        assertThat(c.configFile()).isNull();
        assertThat(c.deployments()).singleElement().satisfies(d -> {
            assertThat(d.modelName()).isEqualTo("mock");
            assertThat(d.provider()).isEqualTo("mock");
        });
        assertThat(c.databaseUrl()).isEqualTo("sqlite:" + dir.resolve("data").resolve("gateway.db"));
    }
}
