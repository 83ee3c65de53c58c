package dev.aigateway.router;

import dev.aigateway.config.DeploymentParser;
import dev.aigateway.config.EnvReferences;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wildcard model names: matching, precedence among patterns and exact names, and the upstream model substituted. */
class ModelPatternTest {
    static final List<String> WARNINGS = new ArrayList<>();

    static Deployment entry(String modelName, String model) {
        return entry(modelName, model, modelName + "->" + model);
    }

    static Deployment entry(String modelName, String model, String id) {
        String json = """
                {"model_name": "%s", "litellm_params": {"model": "%s"}, "model_info": {"id": "%s"}}""".formatted(modelName, model, id);
        return DeploymentParser.parse(Json.parse(json), "model_list[0]", EnvReferences.configFile(Map.<String, String>of()::get),
                null, true, WARNINGS);
    }

    static String[] caps(String pattern, String name) {
        return ModelPattern.compile(pattern).captures(name);
    }

    @Test
    void aStarIsAGreedyRunOfAtLeastOneCharacterAndTheWholeNameMustMatch() {
        assertThat(caps("anthropic/*", "anthropic/claude-sonnet-4-5")).containsExactly("claude-sonnet-4-5");
        assertThat(caps("*", "gpt-4o")).containsExactly("gpt-4o");
        assertThat(caps("claude-*", "claude-opus-4-1")).containsExactly("opus-4-1");
        assertThat(caps("a/*/b/*", "a/x/b/y/b/z")).as("the first * takes all it can").containsExactly("x/b/y", "z");
        assertThat(caps("*-preview", "gpt-5-preview")).containsExactly("gpt-5");
        assertThat(caps("*-preview", "gpt-5-preview-2")).as("anchored at both ends, unlike re.match").isNull();
        assertThat(caps("anthropic/*", "anthropic/")).as("a * stands for something").isNull();
        assertThat(caps("a*a", "aa")).isNull();
        assertThat(caps("a*a", "aXa")).containsExactly("X");
        assertThat(caps("ab*ba", "aba")).as("prefix and suffix may not overlap").isNull();
        assertThat(caps("x*y*z", "xyz")).isNull();
        assertThat(caps("x*y*z", "xAyBz")).containsExactly("A", "B");
        assertThat(caps("claude-*", "gpt-4o")).isNull();
    }

    @Test
    void unsafeOrOverlongNamesNeverMatch() {
        ModelPattern any = ModelPattern.compile("*");
        assertThat(any.matches("x".repeat(ModelPattern.MAX_NAME_LENGTH))).isTrue();
        assertThat(any.matches("x".repeat(ModelPattern.MAX_NAME_LENGTH + 1))).isFalse();
        assertThat(any.matches("gpt\n4o")).isFalse();
        assertThat(any.matches("gpt\u00004o")).isFalse();
        assertThat(any.matches("anthropic/*")).as("a name with its own * is not a model").isFalse();
        assertThat(any.matches("")).isFalse();
        assertThat(any.matches(null)).isFalse();
    }

    @Test
    void substitutionFollowsLiteLlm() {
        assertThat(ModelPattern.substitute("*", new String[]{"gpt-4o"}, "gpt-4o")).isEqualTo("gpt-4o");
        assertThat(ModelPattern.substitute("claude-*", new String[]{"opus-4-1"}, "claude-opus-4-1")).isEqualTo("claude-opus-4-1");
        assertThat(ModelPattern.substitute("fo::*::static::*", new String[]{"o", "baz"}, "x")).isEqualTo("fo::o::static::baz");
        assertThat(ModelPattern.substitute("fixed-model", new String[]{"x"}, "anything-x")).as("no * : the model as written").isEqualTo("fixed-model");
        assertThat(ModelPattern.substitute("llama3*", new String[]{"hello-", "-70b"}, "hello-meta.llama3-70b"))
                .as("more captures than *: the requested name").isEqualTo("hello-meta.llama3-70b");
    }

    @Test
    void anExactNameWinsThenTheMostSpecificPattern() {
        ModelCatalog c = new ModelCatalog(List.of(
                entry("*", "openai/*"),
                entry("anthropic/*", "anthropic/*"),
                entry("claude-*", "anthropic/claude-*"),
                entry("claude-opus-*", "anthropic/claude-opus-*", "opus-entry"),
                entry("claude-sonnet-4-5", "anthropic/claude-sonnet-4-5-20250929", "exact"),
                entry("groq/*", "groq/*")));

        assertThat(only(c, "claude-sonnet-4-5").id()).isEqualTo("exact");
        assertThat(only(c, "claude-sonnet-4-5").model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(only(c, "claude-opus-4-1").id()).as("longer literal part").isEqualTo("opus-entry");
        assertThat(only(c, "claude-haiku-4-5").id()).isEqualTo("claude-*->anthropic/claude-*");
        Deployment a = only(c, "anthropic/claude-sonnet-4-5");
        assertThat(a.provider()).isEqualTo("anthropic");
        assertThat(a.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(a.modelName()).isEqualTo("anthropic/claude-sonnet-4-5");
        Deployment g = only(c, "groq/llama-3.3-70b-versatile");
        assertThat(g.provider()).isEqualTo("groq");
        assertThat(g.model()).isEqualTo("llama-3.3-70b-versatile");
        Deployment any = only(c, "gpt-4o");
        assertThat(any.provider()).isEqualTo("openai");
        assertThat(any.model()).isEqualTo("gpt-4o");
        assertThat(any.id()).as("the entry's id: its limits and cooldowns apply").isEqualTo("*->openai/*");

        assertThat(c.patternFor("claude-opus-4-1")).isEqualTo("claude-opus-*");
        assertThat(c.patternFor("claude-sonnet-4-5")).as("an exact name is no pattern's").isNull();
        assertThat(c.contains("anything-at-all")).isTrue();
        assertThat(c.deployments("anthropic/*")).as("the pattern itself is not a model").isEmpty();
        assertThat(c.modelNames()).contains("claude-sonnet-4-5", "*", "anthropic/*");
    }

    @Test
    void amongPatternsOfEqualLiteralLengthFewerStarsWinThenConfigOrder() {
        ModelCatalog c = new ModelCatalog(List.of(
                entry("x-*-*", "openai/*-*", "two"),
                entry("x-a*", "openai/x-a*", "one"),
                entry("q*", "openai/q*", "first-of-equal"),
                entry("*q", "openai/*q", "second-of-equal")));
        assertThat(only(c, "x-ab-c").id()).as("3 literal characters and one * beat 3 and two").isEqualTo("one");
        assertThat(only(c, "qzq").id()).isEqualTo("first-of-equal");
    }

    @Test
    void withoutPatternsAnUnknownNameIsUnknown() {
        ModelCatalog c = new ModelCatalog(List.of(entry("gpt", "openai/gpt-4o")));
        assertThat(c.deployments("gpt-4o")).isEmpty();
        assertThat(c.contains("gpt-4o")).isFalse();
        assertThat(c.deployments("gpt")).hasSize(1);
    }

    @Test
    void aPatternWithSeveralDeploymentsServesThroughEach() {
        ModelCatalog c = new ModelCatalog(List.of(entry("claude-*", "anthropic/claude-*", "a"), entry("claude-*", "anthropic/claude-*", "b")));
        assertThat(c.deployments("claude-opus-4-1")).extracting(Deployment::id).containsExactly("a", "b");
        assertThat(c.deployments("claude-opus-4-1")).extracting(Deployment::model).containsOnly("claude-opus-4-1");
    }

    @Test
    void aRequestedNameNamingTheEntrysProviderIsNotPrefixedTwice() {
        ModelCatalog c = new ModelCatalog(List.of(entry("*", "openai/*")));
        assertThat(only(c, "openai/gpt-4o").model()).as("LiteLLM's get_llm_provider strips it the same way").isEqualTo("openai/gpt-4o");
        // more captures than the template's *: LiteLLM sends the requested name, our parser drops the provider prefix
        ModelCatalog two = new ModelCatalog(List.of(entry("*/*", "anthropic/*")));
        assertThat(only(two, "anthropic/claude-x").model()).isEqualTo("claude-x");
        assertThat(only(two, "vendor/claude-x").model()).isEqualTo("vendor/claude-x");
    }

    @Test
    void theConfigRejectsAModelWithMoreStarsThanItsNameAndWarnsOfAStrayOne() {
        assertThatThrownBy(() -> entry("claude-*", "anthropic/*-*")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("litellm_params.model has 2 `*`");
        WARNINGS.clear();
        entry("claude", "anthropic/claude-*");
        assertThat(WARNINGS).singleElement().asString().contains("sent to the provider as written");
    }

    @Test
    void aListingShowsTheKnownModelsEachPatternServesBounded() {
        ModelCatalog c = new ModelCatalog(List.of(
                entry("gpt", "openai/gpt-4o"),
                entry("anthropic/*", "anthropic/*"),
                entry("claude-*", "anthropic/claude-*"),
                entry("mistral/*", "mistral/*"),
                entry("fixed-*", "openai/gpt-4o")));
        Map<String, List<String>> known = Map.of(
                "anthropic", List.of("claude-opus-4-1", "claude-sonnet-4-5", "old-model"),
                "openai", List.of("gpt-4o"));
        List<String> listed = c.listedNames(p -> known.getOrDefault(p, List.of()));
        assertThat(listed).containsExactly("gpt",
                "anthropic/claude-opus-4-1", "anthropic/claude-sonnet-4-5", "anthropic/old-model",
                "mistral/*",
                "claude-opus-4-1", "claude-sonnet-4-5",
                "fixed-*");

        List<String> many = new ArrayList<>();
        for (int i = 0; i < ModelCatalog.MAX_LISTED_PER_PATTERN + 50; i++) many.add("m" + i);
        assertThat(new ModelCatalog(List.of(entry("*", "openai/*"))).listedNames(p -> many)).hasSize(ModelCatalog.MAX_LISTED_PER_PATTERN);
    }

    @Test
    void theCatalogPrecomputesPatternsSoALookupAllocatesNoMatcher() {
        // a guard against a regular expression creeping back in: the sorted patterns are built once
        ModelCatalog c = new ModelCatalog(List.of(entry("b-*", "openai/b-*"), entry("*", "openai/*"), entry("b-c-*", "openai/b-c-*")));
        assertThat(Arrays.asList(c.patternFor("b-c-d"), c.patternFor("b-x"), c.patternFor("zz"))).containsExactly("b-c-*", "b-*", "*");
    }

    static Deployment only(ModelCatalog c, String name) {
        List<Deployment> ds = c.deployments(name);
        assertThat(ds).as(name).hasSize(1);
        return ds.get(0);
    }
}
