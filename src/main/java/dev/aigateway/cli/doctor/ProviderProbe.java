package dev.aigateway.cli.doctor;

import dev.aigateway.core.Deployment;
import dev.aigateway.provider.Providers;
import dev.aigateway.provider.anthropic.AnthropicProvider;
import dev.aigateway.provider.azure.AzureProvider;
import dev.aigateway.provider.gemini.GeminiProvider;
import dev.aigateway.provider.ollama.OllamaProvider;
import dev.aigateway.provider.openai.OpenAiProvider;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cheapest authenticated call each provider has: listing its models (free, no tokens). OpenAI-compatible
 * services {@code GET {api_base}/models} with a bearer key; Azure {@code GET {api_base}/openai/models?api-version=}
 * with {@code api-key}; Anthropic {@code GET {base}/v1/models} with {@code x-api-key} and {@code anthropic-version};
 * Gemini {@code GET {base}/v1beta/models} with {@code x-goog-api-key}; Ollama {@code GET {base}/api/tags}.
 *
 * @param url     null when the provider needs no check (mock) or has no such call
 * @param headers the credentials, as the provider expects them
 * @param keyed   the provider authenticates with a key (Ollama does not)
 */
record ProviderProbe(String url, Map<String, String> headers, boolean keyed) {
    static final String ANTHROPIC_VERSION = "2023-06-01";

    static ProviderProbe of(Deployment d) {
        String key = d.apiKey();
        Map<String, String> h = new LinkedHashMap<>();
        String provider = d.provider();
        switch (provider) {
            case "mock" -> {
                return new ProviderProbe(null, Map.of(), false);
            }
            case "azure" -> {
                if (d.apiBase() == null || d.apiBase().isBlank()) return new ProviderProbe(null, Map.of(), true);
                if (key != null) h.put("api-key", key);
                String version = d.apiVersion() != null ? d.apiVersion() : AzureProvider.DEFAULT_API_VERSION;
                return new ProviderProbe(trim(d.apiBase()) + "/openai/models?api-version=" + version, h, true);
            }
            case "anthropic" -> {
                if (key != null) h.put("x-api-key", key);
                h.put("anthropic-version", ANTHROPIC_VERSION);
                return new ProviderProbe(base(d, AnthropicProvider.DEFAULT_BASE) + "/v1/models", h, true);
            }
            case "gemini" -> {
                if (key != null) h.put("x-goog-api-key", key);
                return new ProviderProbe(base(d, GeminiProvider.DEFAULT_BASE) + "/v1beta/models", h, true);
            }
            case "ollama" -> {
                return new ProviderProbe(base(d, OllamaProvider.DEFAULT_BASE) + "/api/tags", h, false);
            }
            default -> {
                String known = "openai".equals(provider) ? OpenAiProvider.DEFAULT_BASE : Providers.openAiCompatibleBase(provider);
                if (known == null && (d.apiBase() == null || d.apiBase().isBlank())) return new ProviderProbe(null, Map.of(), true);
                if (key != null) h.put("Authorization", "Bearer " + key);
                return new ProviderProbe(base(d, known) + "/models", h, true);
            }
        }
    }

    /** Only a check of the provider's answer: mock needs none, and some (Azure without api_base) cannot be asked. */
    boolean checkable() {
        return url != null;
    }

    private static String base(Deployment d, String fallback) {
        return trim(d.apiBase() != null && !d.apiBase().isBlank() ? d.apiBase() : fallback);
    }

    private static String trim(String base) {
        String b = base.strip();
        while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
        return b;
    }
}
