package dev.aigateway.provider;

import dev.aigateway.provider.anthropic.AnthropicProvider;
import dev.aigateway.provider.azure.AzureProvider;
import dev.aigateway.provider.bedrock.BedrockProvider;
import dev.aigateway.provider.cohere.CohereProvider;
import dev.aigateway.provider.gemini.GeminiProvider;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.provider.mock.MockProvider;
import dev.aigateway.provider.ollama.OllamaProvider;
import dev.aigateway.provider.openai.OpenAiProvider;
import dev.aigateway.provider.vertex.VertexEnvironment;
import dev.aigateway.provider.vertex.VertexProvider;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The providers by the prefix of {@code litellm_params.model}. OpenAI-compatible services known by their
 * own prefix (as LiteLLM names them) are the OpenAI provider with that service's default base URL.
 */
public final class Providers {
    /** LiteLLM's prefixes for OpenAI-compatible services, with their public base URLs. */
    private static final Map<String, String> OPENAI_COMPATIBLE = Map.ofEntries(
            Map.entry("groq", "https://api.groq.com/openai/v1"),
            Map.entry("mistral", "https://api.mistral.ai/v1"),
            Map.entry("deepseek", "https://api.deepseek.com/v1"),
            Map.entry("openrouter", "https://openrouter.ai/api/v1"),
            Map.entry("together_ai", "https://api.together.xyz/v1"),
            Map.entry("xai", "https://api.x.ai/v1"),
            Map.entry("fireworks_ai", "https://api.fireworks.ai/inference/v1"),
            Map.entry("perplexity", "https://api.perplexity.ai"),
            Map.entry("hosted_vllm", "http://localhost:8000/v1"),
            Map.entry("lm_studio", "http://localhost:1234/v1"),
            Map.entry("jina_ai", "https://api.jina.ai/v1"));

    private final Map<String, Provider> byName = new TreeMap<>();

    public Providers(Vertx vertx, Upstream upstream) {
        this(vertx, upstream, VertexEnvironment.none());
    }

    /** @param vertex the Google Cloud environment vertex_ai deployments fall back on */
    public Providers(Vertx vertx, Upstream upstream, VertexEnvironment vertex) {
        add(new OpenAiProvider(upstream));
        add(new AzureProvider(upstream));
        add(new AnthropicProvider(upstream));
        add(new GeminiProvider(upstream));
        add(new OllamaProvider(upstream));
        add(new MockProvider(vertx));
        add(new CohereProvider(upstream));
        add(new BedrockProvider(vertx, upstream));
        add(new VertexProvider(vertx, upstream, vertex));
        OPENAI_COMPATIBLE.forEach((name, base) -> add(new OpenAiProvider(upstream, name, base)));
    }

    /**
     * The providers with no transport, for what only builds their requests ({@link Provider#probe}, sent by the doctor
     * with its own client): calling chat or embeddings on them fails.
     */
    public static Providers withoutTransport() {
        return new Providers(null, null);
    }

    private void add(Provider p) {
        byName.put(p.name(), p);
    }

    /** The provider for a prefix, or null when there is none. */
    public Provider get(String name) {
        return byName.get(name);
    }

    /** The public base URL of an OpenAI-compatible service known by its prefix ("groq"), or null. */
    public static String openAiCompatibleBase(String prefix) {
        return OPENAI_COMPATIBLE.get(prefix);
    }

    public static Set<String> knownPrefixes() {
        var s = new java.util.TreeSet<>(OPENAI_COMPATIBLE.keySet());
        s.addAll(Set.of("openai", "azure", "anthropic", "gemini", "ollama", "mock", "cohere", "bedrock", VertexProvider.NAME));
        return s;
    }
}
