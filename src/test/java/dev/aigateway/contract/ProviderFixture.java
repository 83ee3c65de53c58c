package dev.aigateway.contract;

import dev.aigateway.fakes.FakeBedrock;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.FakeVertex;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.gemini.FakeGemini;
import dev.aigateway.provider.ollama.FakeOllama;
import dev.aigateway.provider.openai.FakeOpenAi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One provider behind the gateway for the contract suite: its fake, and the config.yaml entries that
 * route the model {@code <name>} (and {@code <name>-badkey}, with a key the fake refuses) to it.
 */
record ProviderFixture(String name, FakeUpstream fake, Function<FakeUpstream, String> entries, int overloadedStatus) {
    static final String KEY = "test-key";

    static List<ProviderFixture> all() {
        return List.of(
                new ProviderFixture("openai", new FakeOpenAi(KEY), f -> entry("openai", "openai/gpt-4o", ((FakeOpenAi) f).openAiBase(), ""), 503),
                new ProviderFixture("azure", new FakeOpenAi(KEY), f -> entry("azure", "azure/my-gpt4o-deployment", f.host(), "api_version: \"2024-10-21\""), 503),
                new ProviderFixture("anthropic", new FakeAnthropic(), f -> entry("anthropic", "anthropic/claude-sonnet-4-5", f.host(), ""), 529),
                new ProviderFixture("gemini", new FakeGemini(), f -> entry("gemini", "gemini/gemini-2.5-flash", f.host(), ""), 503),
                new ProviderFixture("ollama", new FakeOllama(KEY), f -> entry("ollama", "ollama/llama3.2", f.host(), ""), 503),
                // Claude on Vertex AI: Google's tokens, Vertex's URLs and body variant, Anthropic's answers (and pass-through)
                new ProviderFixture("vertex_ai", new FakeVertex(), f -> vertexEntry((FakeVertex) f), 529),
                // A Bedrock model through Converse: SigV4-signed calls, event-stream frames, Bedrock's error types
                new ProviderFixture("bedrock", new FakeBedrock(), f -> bedrockEntry((FakeBedrock) f), 503));
    }

    static final String VERTEX_CLAUDE = "claude-sonnet-4-5@20250929";

    /** Its credentials as key files; the -badkey one holds a key Google does not know. */
    private static String vertexEntry(FakeVertex f) {
        StringBuilder y = new StringBuilder();
        for (String suffix : new String[]{"", "-badkey"}) {
            String json = suffix.isEmpty() ? f.tokens().serviceAccountJson() : f.tokens().serviceAccountJsonWithForeignKey();
            Path file;
            try {
                file = Files.createTempFile("contract-sa", ".json");
                Files.writeString(file, json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            y.append("  - model_name: vertex_ai").append(suffix).append('\n')
                    .append("    litellm_params:\n")
                    .append("      model: vertex_ai/").append(VERTEX_CLAUDE).append('\n')
                    .append("      api_base: ").append(f.modelUrl("anthropic", VERTEX_CLAUDE)).append('\n')
                    .append("      vertex_credentials: ").append(file).append('\n')
                    .append("      timeout: 2\n");
        }
        return y.toString();
    }

    /** Static AWS keys; the -badkey one names an access key AWS does not know. */
    private static String bedrockEntry(FakeBedrock f) {
        StringBuilder y = new StringBuilder();
        for (String suffix : new String[]{"", "-badkey"}) {
            y.append("  - model_name: bedrock").append(suffix).append('\n')
                    .append("    litellm_params:\n")
                    .append("      model: bedrock/amazon.nova-lite-v1:0\n")
                    .append("      aws_access_key_id: ").append(suffix.isEmpty() ? FakeBedrock.ACCESS_KEY : "AKIDUNKNOWNKEY000001").append('\n')
                    .append("      aws_secret_access_key: ").append(FakeBedrock.SECRET).append('\n')
                    .append("      aws_region_name: us-east-1\n")
                    .append("      aws_bedrock_runtime_endpoint: ").append(f.host()).append('\n')
                    .append("      timeout: 2\n");
        }
        return y.toString();
    }

    private static String entry(String name, String model, String base, String extra) {
        StringBuilder y = new StringBuilder();
        for (String suffix : new String[]{"", "-badkey"}) {
            y.append("  - model_name: ").append(name).append(suffix).append('\n')
                    .append("    litellm_params:\n")
                    .append("      model: ").append(model).append('\n')
                    .append("      api_base: ").append(base).append('\n')
                    .append("      api_key: ").append(suffix.isEmpty() ? KEY : "wrong-key").append('\n')
                    .append("      timeout: 2\n");
            if (!extra.isEmpty()) y.append("      ").append(extra).append('\n');
        }
        return y.toString();
    }

    String configEntries() {
        return entries.apply(fake);
    }

    @Override
    public String toString() {
        return name;
    }
}
