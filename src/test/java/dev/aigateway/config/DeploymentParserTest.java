package dev.aigateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One model_list entry into a Deployment: provider prefixes and inference, os.environ/ references (resolved for the
 * provider, never shown), timeouts with their router-level defaults, every bounded number, the id, and errors that
 * name the entry's path.
 */
class DeploymentParserTest {
    static final Map<String, String> ENV = Map.of("OPENAI_KEY", "sk-from-env-123456", "MY_TIMEOUT", "7", "MY_MODEL", "nosuch/model");
    final List<String> warnings = new ArrayList<>();

    Deployment parse(String entryJson) {
        return parse(entryJson, null);
    }

    Deployment parse(String entryJson, String defaultsJson) {
        ObjectNode defaults = defaultsJson == null ? null : (ObjectNode) Json.parse(defaultsJson);
        return DeploymentParser.parse(Json.parse(entryJson), "model_list[3]", EnvReferences.configFile(ENV::get), defaults, true, warnings);
    }

    static String entry(String params) {
        return "{\"model_name\":\"m\",\"litellm_params\":{" + params + "}}";
    }

    ConfigException refused(String entryJson) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(entryJson));
        assertThat(e).as("should be refused: " + entryJson).isNotNull();
        return e;
    }

    @Test
    void aPrefixNamesTheProviderAndTheRestIsTheProvidersModel() {
        Deployment d = parse(entry("\"model\":\"anthropic/claude-sonnet-4-5\",\"api_key\":\"k\""));
        assertThat(d.provider()).isEqualTo("anthropic");
        assertThat(d.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(d.modelName()).isEqualTo("m");
        assertThat(d.apiKey()).isEqualTo("k");
        assertThat(d.fromConfig()).isTrue();
        assertThat(parse(entry("\"model\":\"openai/org/fine-tune:x\"")).model()).as("only the first slash splits").isEqualTo("org/fine-tune:x");
    }

    @Test
    void withoutAPrefixTheProviderIsInferredLikeLiteLlm() {
        assertThat(parse(entry("\"model\":\"claude-3-haiku\"")).provider()).isEqualTo("anthropic");
        assertThat(parse(entry("\"model\":\"gemini-2.5-pro\"")).provider()).isEqualTo("gemini");
        assertThat(parse(entry("\"model\":\"gpt-4o\"")).provider()).isEqualTo("openai");
        Deployment custom = parse(entry("\"model\":\"azure/my-deploy\",\"custom_llm_provider\":\"azure\""));
        assertThat(custom.provider()).isEqualTo("azure");
        assertThat(custom.model()).isEqualTo("my-deploy");
        Deployment customNoPrefix = parse(entry("\"model\":\"my-deploy\",\"custom_llm_provider\":\"azure\""));
        assertThat(customNoPrefix.model()).isEqualTo("my-deploy");
    }

    @Test
    void anUnknownPrefixIsAnErrorNotAnOpenAiModelNamedWithASlash() {
        ConfigException e = refused(entry("\"model\":\"nosuch/model\""));
        assertThat(e.getMessage()).startsWith("model_list[3].litellm_params.model: unknown provider 'nosuch' in 'nosuch/model'")
                .contains("Known prefixes:").contains("anthropic");
        ConfigException viaEnv = refused(entry("\"model\":\"os.environ/MY_MODEL\""));
        assertThat(viaEnv.getMessage()).as("a referenced value is named by its reference").contains("in the value of os.environ/MY_MODEL");
    }

    @Test
    void environmentReferencesAreResolvedForTheProviderAndShownAsWritten() {
        Deployment d = parse(entry("\"model\":\"openai/gpt-4o\",\"api_key\":\"os.environ/OPENAI_KEY\",\"timeout\":\"os.environ/MY_TIMEOUT\""));
        assertThat(d.apiKey()).isEqualTo("sk-from-env-123456");
        assertThat(d.params().path("api_key").asText()).isEqualTo("sk-from-env-123456");
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(d.shownParams().toString()).doesNotContain("sk-from-env-123456");
        assertThatThrownBy(() -> parse(entry("\"model\":\"openai/gpt-4o\",\"api_key\":\"os.environ/UNSET_VAR\"")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("UNSET_VAR").hasMessageContaining("model_list[3].litellm_params.api_key");
    }

    @Test
    void requiredPartsAreNamedByTheEntrysPath() {
        assertThat(refused("[]").getMessage()).isEqualTo("model_list[3] must be a mapping with model_name and litellm_params.");
        assertThat(refused("{\"litellm_params\":{\"model\":\"gpt-4o\"}}").getMessage()).isEqualTo("model_list[3].model_name is missing.");
        assertThat(refused("{\"model_name\":\" \",\"litellm_params\":{\"model\":\"gpt-4o\"}}").getMessage()).isEqualTo("model_list[3].model_name is missing.");
        assertThat(refused("{\"model_name\":\"a\\nb\",\"litellm_params\":{\"model\":\"gpt-4o\"}}").getMessage()).contains("control characters");
        assertThat(refused("{\"model_name\":\"m\"}").getMessage()).startsWith("model_list[3].litellm_params is missing");
        assertThat(refused(entry("\"api_key\":\"k\"")).getMessage()).startsWith("model_list[3].litellm_params.model is missing");
    }

    @Test
    void unknownEntryKeysAreWarnedAboutNotFatal() {
        parse("{\"model_name\":\"m\",\"litellm_params\":{\"model\":\"gpt-4o\"},\"model_infos\":{}}");
        assertThat(warnings).containsExactly("model_list[3].model_infos is not a known key and was ignored.");
    }

    @Test
    void timeoutsComeFromTheEntryElseTheRouterDefaultsAndAreBounded() {
        assertThat(parse(entry("\"model\":\"gpt-4o\"")).timeout()).as("none: the provider's default applies").isNull();
        assertThat(parse(entry("\"model\":\"gpt-4o\",\"timeout\":1.5,\"stream_timeout\":\"30\"")).timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(parse(entry("\"model\":\"gpt-4o\",\"stream_timeout\":\"30\"")).streamTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse(entry("\"model\":\"gpt-4o\""), "{\"timeout\":12,\"stream_timeout\":4}").timeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(parse(entry("\"model\":\"gpt-4o\",\"timeout\":3"), "{\"timeout\":12}").timeout()).as("the entry wins").isEqualTo(Duration.ofSeconds(3));
        assertThat(parse(entry("\"model\":\"gpt-4o\",\"timeout\":86400")).timeout()).isEqualTo(Duration.ofDays(1));
        for (String bad : new String[] {"0", "-1", "86401", "\"soon\"", "\"NaN\"", "\"5d\"", "\"0x1p3\""}) {
            assertThat(refused(entry("\"model\":\"gpt-4o\",\"timeout\":" + bad)).getMessage()).as(bad)
                    .startsWith("model_list[3].litellm_params.timeout must be");
        }
        ConfigException fromDefaults = catchThrowableOfType(ConfigException.class, () -> parse(entry("\"model\":\"gpt-4o\""), "{\"stream_timeout\":0}"));
        assertThat(fromDefaults.getMessage()).startsWith("router_settings.stream_timeout must be a positive number of seconds");
    }

    /** key, where it is written, a value at the edge, one past it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "weight                 | litellm_params | 1000000000         | 1000000001",
            "weight                 | litellm_params | 0                  | -0.5",
            "order                  | litellm_params | -1000000           | -1000001",
            "order                  | litellm_params | 3                  | 2.5",
            "rpm                    | litellm_params | 1000000000000000   | 1000000000000001",
            "tpm                    | litellm_params | 0                  | -1",
            "max_input_tokens       | model_info     | 128000             | 128000.5",
            "max_tokens             | model_info     | 2147483647         | 2147483648",
            "input_cost_per_token   | model_info     | 1                  | 1.01",
            "output_cost_per_token  | litellm_params | 0.00001            | -0.00001",
            "mock_latency_ms        | litellm_params | 600000             | 600001",
            "mock_error_status      | litellm_params | 599                | 600",
            "mock_error_status      | litellm_params | 400                | 399",
            "rpm                    | litellm_params | \"60\"             | \"1e3\"",
            "weight                 | litellm_params | 2                  | \"NaN\"",
            "max_input_tokens       | model_info     | 5                  | \"many\"",
    })
    void everyNumberTheGatewayComputesWithIsBounded(String key, String section, String edge, String past) {
        parse(withNumber(section, key, edge));
        ConfigException e = refused(withNumber(section, key, past));
        assertThat(e.getMessage()).startsWith("model_list[3]." + section + "." + key + " must be a");
    }

    static String withNumber(String section, String key, String value) {
        return section.equals("model_info")
                ? "{\"model_name\":\"m\",\"litellm_params\":{\"model\":\"gpt-4o\"},\"model_info\":{\"" + key + "\":" + value + "}}"
                : entry("\"model\":\"gpt-4o\",\"" + key + "\":" + value);
    }

    @Test
    void weightAndOrderHaveDefaultsAndAreRead() {
        Deployment plain = parse(entry("\"model\":\"gpt-4o\""));
        assertThat(plain.weight()).isEqualTo(1.0);
        assertThat(plain.order()).isZero();
        Deployment set = parse(entry("\"model\":\"gpt-4o\",\"weight\":\"2.5\",\"order\":\"-3\""));
        assertThat(set.weight()).isEqualTo(2.5);
        assertThat(set.order()).isEqualTo(-3);
    }

    @Test
    void theIdIsGivenOrStableAndNeverDependsOnTheKey() {
        assertThat(parse("{\"model_name\":\"m\",\"litellm_params\":{\"model\":\"gpt-4o\"},\"model_info\":{\"id\":\"my id-1\"}}").id()).isEqualTo("my id-1");
        String a = parse(entry("\"model\":\"gpt-4o\",\"api_key\":\"k1\"")).id();
        assertThat(a).matches("[0-9a-f]{16}");
        assertThat(parse(entry("\"model\":\"gpt-4o\",\"api_key\":\"k2\"")).id()).as("a rotated key keeps the id").isEqualTo(a);
        assertThat(parse(entry("\"model\":\"gpt-4o\",\"api_base\":\"http://other\"")).id()).isNotEqualTo(a);
        assertThat(parse("{\"model_name\":\"other\",\"litellm_params\":{\"model\":\"gpt-4o\",\"api_key\":\"k1\"}}").id()).isNotEqualTo(a);
    }

    @Test
    void anIdMustBeAValidHeaderValue() {
        for (String bad : new String[] {"", " lead", "trail ", "line\\nbreak", "tab\\there", "caf\\u00e9", "x".repeat(129)}) {
            ConfigException e = refused("{\"model_name\":\"m\",\"litellm_params\":{\"model\":\"gpt-4o\"},\"model_info\":{\"id\":\"" + bad + "\"}}");
            assertThat(e.getMessage()).as(bad).startsWith("model_list[3].model_info.id must be 1 to 128 printable ASCII characters");
        }
        DeploymentParser.checkId("x".repeat(128), "p");
        DeploymentParser.checkId("inner space ~!", "p");
    }

    @Test
    void modelInfoIsKeptAsWrittenWithoutResolvingReferences() {
        Deployment d = parse("{\"model_name\":\"m\",\"litellm_params\":{\"model\":\"gpt-4o\"},\"model_info\":{\"note\":\"os.environ/OPENAI_KEY\"}}");
        JsonNode note = d.modelInfo().path("note");
        assertThat(note.asText()).isEqualTo("os.environ/OPENAI_KEY");
    }
}
