package dev.aigateway.server;

import dev.aigateway.core.GatewayException;
import io.vertx.core.http.HttpServerRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Azure OpenAI's paths for the OpenAI routes, as LiteLLM serves them: {@code POST /openai/deployments/{model}/chat/completions},
 * {@code .../completions} and {@code .../embeddings}. The path's deployment name is the model asked for (it replaces
 * the body's; {@code /engines/{model}/...} is the same); the {@code api-version} query parameter Azure clients send is accepted and ignored; Azure clients'
 * {@code api-key} header authenticates like a bearer key ({@link RequestAuth}). Everything else is the route's own.
 */
public final class AzureDeploymentRoutes {
    /** Where the routes live, under {@link Routes}' prefix matching. */
    public static final String PREFIX = "/openai/deployments/";
    /** The older OpenAI form of the same paths ({@code /engines/{model}/chat/completions}), which LiteLLM serves too. */
    public static final String ENGINES_PREFIX = "/engines/";

    private final RequestPipeline pipeline;
    /** The operations, by the path's tail after the model ({@code /chat/completions}...). */
    private final Map<String, LlmRoute> operations;

    public AzureDeploymentRoutes(RequestPipeline pipeline, LlmRoute chat, LlmRoute completions, LlmRoute embeddings) {
        this.pipeline = pipeline;
        this.operations = Map.of("/chat/completions", chat, "/completions", completions, "/embeddings", embeddings);
    }

    /** {@code rest}: the path after {@link #PREFIX} (or {@link #ENGINES_PREFIX}), {@code {model}/chat/completions}. */
    public void handle(HttpServerRequest req, String rest) {
        // "/chat/completions" before "/completions": the longer tail wins
        String tail = rest.endsWith("/chat/completions") ? "/chat/completions" : rest.endsWith("/completions") ? "/completions"
                : rest.endsWith("/embeddings") ? "/embeddings" : null;
        String model = tail == null ? null : model(rest.substring(0, rest.length() - tail.length()));
        if (tail == null || model == null) {
            Responses.error(pipeline.begin(req), GatewayException.notFound("Unknown route " + req.method()
                    + ". Azure OpenAI paths are /openai/deployments/{model}/chat/completions, /completions and /embeddings."));
            return;
        }
        pipeline.serve(req, operations.get(tail), model);
    }

    /** The deployment segment, percent-decoded ('+' is a plus in a path), or null when it is empty or not decodable. */
    private static String model(String segment) {
        if (segment.isEmpty()) return null;
        try {
            String m = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            return m.isBlank() ? null : m;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
