package dev.aigateway.provider.azure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ProviderRequest;
import dev.aigateway.provider.http.HttpCall;
import dev.aigateway.provider.http.Upstream;
import dev.aigateway.provider.openai.OpenAiProvider;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Azure OpenAI: OpenAI's wire format at {@code {api_base}/openai/deployments/{deployment}/{path}?api-version=...}
 * with the key in an {@code api-key} header. The deployment name is the part after {@code azure/}.
 */
public final class AzureProvider extends OpenAiProvider {
    public static final String DEFAULT_API_VERSION = "2024-10-21";

    public AzureProvider(Upstream upstream) {
        super(upstream, "azure", null);
    }

    @Override
    protected HttpCall call(ProviderRequest request, String path, ObjectNode body) {
        body.remove("model"); // the deployment in the URL selects the model; body is already our copy
        return post(request, path, Json.toBuffer(body), "application/json");
    }

    @Override
    protected HttpCall post(ProviderRequest request, String path, Buffer body, String contentType) {
        Deployment d = request.deployment();
        if (d.apiBase() == null) {
            throw GatewayException.badRequest("Deployment " + d.id() + " (azure/" + d.model()
                    + ") has no api_base: set litellm_params.api_base to https://<resource>.openai.azure.com", "model");
        }
        String base = d.apiBase().endsWith("/") ? d.apiBase().substring(0, d.apiBase().length() - 1) : d.apiBase();
        String url = base + "/openai/deployments/" + d.model() + path + "?api-version=" + apiVersion(d);
        return authorized(HttpCall.post(url, body, contentType), d);
    }

    /** Azure OpenAI has no moderations endpoint (its content filters run on every call instead). */
    @Override
    public Future<ObjectNode> moderation(ProviderRequest request) {
        return unsupported("moderations");
    }

    /**
     * Azure's Responses API is not under the deployment: {@code {api_base}/openai/v1/responses} (the v1 API, no
     * api-version) by default, or {@code {api_base}/openai/responses?api-version=} for a dated api_version; the body's
     * {@code model} names the deployment. Compaction ({@code sub} {@code /compact}) lies under the same path.
     */
    @Override
    protected HttpCall responsesCall(ProviderRequest request, String sub, ObjectNode body) {
        Deployment d = request.deployment();
        if (d.apiBase() == null) {
            throw GatewayException.badRequest("Deployment " + d.id() + " (azure/" + d.model()
                    + ") has no api_base: set litellm_params.api_base to https://<resource>.openai.azure.com", "model");
        }
        String base = trimmed(d.apiBase());
        String v = d.apiVersion();
        String url = v == null || v.equals("v1") || v.equals("latest") || v.equals("preview")
                ? base + "/openai/v1/responses" + sub
                : base + "/openai/responses" + sub + "?api-version=" + v;
        return authorized(HttpCall.postJson(url, Json.toBuffer(body)), d);
    }

    /** {@code GET {api_base}/openai/models?api-version=}: the resource's models; null without api_base (nothing to ask). */
    @Override
    public HttpCall probe(Deployment d) {
        if (d.apiBase() == null || d.apiBase().isBlank()) return null;
        return authorized(HttpCall.get(trimmed(d.apiBase()) + "/openai/models?api-version=" + apiVersion(d)), d);
    }

    private static String apiVersion(Deployment d) {
        return d.apiVersion() != null ? d.apiVersion() : DEFAULT_API_VERSION;
    }

    private static HttpCall authorized(HttpCall call, Deployment d) {
        if (d.apiKey() != null) call.header("api-key", d.apiKey());
        return call;
    }
}
