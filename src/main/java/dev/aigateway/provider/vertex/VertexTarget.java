package dev.aigateway.provider.vertex;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;

import java.util.Locale;

/**
 * Where a deployment's model lives on Vertex AI: its project, location and publisher, and so its URL,
 * {@code https://{location}-aiplatform.googleapis.com/v1/projects/{p}/locations/{l}/publishers/{pub}/models/{model}}
 * ({@code global} has the bare host). {@code api_base}, as in LiteLLM, replaces that whole model URL.
 */
record VertexTarget(String project, String location, String publisher, String modelUrl) {

    /** @param credentialsProject the project the credentials name, after vertex_project and the environment */
    static VertexTarget of(Deployment d, VertexEnvironment env, String credentialsProject) {
        String location = first(d.param("vertex_location"), d.param("vertex_ai_location"), env.location(), VertexEnvironment.DEFAULT_LOCATION);
        String project = first(d.param("vertex_project"), d.param("vertex_ai_project"), env.project(), credentialsProject);
        String publisher = publisherOf(d.model());
        String base = d.apiBase();
        if (base != null && !base.isBlank()) {
            base = base.strip();
            while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
            return new VertexTarget(project, location, publisher, base);
        }
        if (project == null) {
            throw GatewayException.upstream("vertex_ai deployment " + d.id() + " has no Google Cloud project: set vertex_project, "
                    + "VERTEXAI_PROJECT or GOOGLE_CLOUD_PROJECT, or use credentials that name one.");
        }
        String host = location.equals("global") ? "aiplatform.googleapis.com" : location + "-aiplatform.googleapis.com";
        return new VertexTarget(project, location, publisher, "https://" + host + "/v1/projects/" + project + "/locations/" + location
                + "/publishers/" + publisher + "/models/" + d.model());
    }

    /** Claude models are Anthropic's on Vertex's Model Garden; the rest here are Google's own. */
    static String publisherOf(String model) {
        return model.toLowerCase(Locale.ROOT).startsWith("claude") ? "anthropic" : "google";
    }

    boolean anthropic() {
        return publisher.equals("anthropic");
    }

    String url(String method) {
        return modelUrl + ":" + method;
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v.strip();
        return null;
    }
}
