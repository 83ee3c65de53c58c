package dev.aigateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.config.DeploymentParser;
import dev.aigateway.config.EnvReferences;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.provider.http.HttpCall;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Provider#probe}: each provider's model listing, with the auth headers and API version of its real calls.
 * The doctor sends these (cli/doctor/ProviderKeysCheckTest sends them to fakes of each provider).
 */
class ProviderProbeCallTest {
    static final Providers PROVIDERS = Providers.withoutTransport();

    static HttpCall probe(String params) {
        ObjectNode entry = Json.object();
        entry.put("model_name", "m");
        entry.set("litellm_params", Json.parse(params));
        Deployment d = DeploymentParser.parse(entry, "model_list[0]", EnvReferences.configFile(n -> null), Json.object(), true, new ArrayList<>());
        return PROVIDERS.get(d.provider()).probe(d);
    }

    @Test
    void openAiAndCompatibleServicesListModelsWithABearerKey() {
        HttpCall openAi = probe("{\"model\": \"openai/gpt-4o\", \"api_key\": \"sk-a\", \"organization\": \"org-1\"}");
        assertThat(openAi.method()).isEqualTo(HttpMethod.GET);
        assertThat(openAi.url()).isEqualTo("https://api.openai.com/v1/models");
        assertThat(openAi.headers().get("authorization")).isEqualTo("Bearer sk-a");
        assertThat(openAi.headers().get("openai-organization")).isEqualTo("org-1");
        assertThat(openAi.body()).isNull();

        assertThat(probe("{\"model\": \"groq/llama\", \"api_key\": \"k\"}").url()).isEqualTo("https://api.groq.com/openai/v1/models");
        assertThat(probe("{\"model\": \"openai/x\", \"api_base\": \" http://vllm:8000/v1// \"}").url()).isEqualTo("http://vllm:8000/v1/models");
        assertThat(probe("{\"model\": \"openai/x\"}").headers().contains("authorization")).isFalse();
    }

    @Test
    void azureAnthropicGeminiAndOllamaAreAskedTheirOwnWay() {
        HttpCall azure = probe("{\"model\": \"azure/dep\", \"api_base\": \"https://r.openai.azure.com/\", \"api_key\": \"az\", \"api_version\": \"2025-01-01\"}");
        assertThat(azure.url()).isEqualTo("https://r.openai.azure.com/openai/models?api-version=2025-01-01");
        assertThat(azure.headers().get("api-key")).isEqualTo("az");
        assertThat(probe("{\"model\": \"azure/dep\", \"api_base\": \"https://r.openai.azure.com\"}").url()).endsWith("?api-version=2024-10-21");
        assertThat(probe("{\"model\": \"azure/dep\"}")).as("no api_base: nothing to ask").isNull();

        HttpCall anthropic = probe("{\"model\": \"anthropic/claude\", \"api_key\": \"ak\"}");
        assertThat(anthropic.url()).isEqualTo("https://api.anthropic.com/v1/models");
        assertThat(anthropic.headers().get("x-api-key")).isEqualTo("ak");
        assertThat(anthropic.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(probe("{\"model\": \"anthropic/claude\", \"api_base\": \"http://proxy/v1/\"}").url()).isEqualTo("http://proxy/v1/models");

        HttpCall gemini = probe("{\"model\": \"gemini/gemini-2.5-flash\", \"api_key\": \"gk\"}");
        assertThat(gemini.url()).isEqualTo("https://generativelanguage.googleapis.com/v1beta/models");
        assertThat(gemini.headers().get("x-goog-api-key")).isEqualTo("gk");
        assertThat(gemini.url()).doesNotContain("gk");

        assertThat(probe("{\"model\": \"ollama/llama3.2\"}").url()).isEqualTo("http://localhost:11434/api/tags");
        assertThat(PROVIDERS.get("ollama").usesApiKey()).isFalse();
        assertThat(PROVIDERS.get("openai").usesApiKey()).isTrue();
    }

    @Test
    void mockNeedsNoCheck() {
        assertThat(probe("{\"model\": \"mock/m\"}")).isNull();
        assertThat(PROVIDERS.get("mock").usesApiKey()).isFalse();
    }
}
