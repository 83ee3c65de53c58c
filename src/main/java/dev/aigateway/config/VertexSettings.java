package dev.aigateway.config;

import dev.aigateway.provider.vertex.VertexEnvironment;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** The environment variables Vertex AI deployments fall back on, as LiteLLM and Google's libraries name them. */
public final class VertexSettings {
    private static final String ADC_FILE = "application_default_credentials.json";

    private VertexSettings() {}

    public static VertexEnvironment read(UnaryOperator<String> env) {
        String project = first(env.apply("VERTEXAI_PROJECT"), env.apply("GOOGLE_CLOUD_PROJECT"));
        String metadata = first(env.apply("GCE_METADATA_HOST"), VertexEnvironment.DEFAULT_METADATA_HOST);
        return new VertexEnvironment(project, first(env.apply("VERTEXAI_LOCATION")), first(env.apply("GOOGLE_APPLICATION_CREDENTIALS")),
                gcloudFile(env), metadata);
    }

    /** Where {@code gcloud auth application-default login} writes: $CLOUDSDK_CONFIG, else ~/.config/gcloud (%APPDATA%\gcloud). */
    private static String gcloudFile(UnaryOperator<String> env) {
        String dir = first(env.apply("CLOUDSDK_CONFIG"));
        if (dir == null && env.apply("APPDATA") != null) dir = Path.of(env.apply("APPDATA"), "gcloud").toString();
        if (dir == null && env.apply("HOME") != null) dir = Path.of(env.apply("HOME"), ".config", "gcloud").toString();
        return dir == null ? null : Path.of(dir, ADC_FILE).toString();
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v.strip();
        return null;
    }
}
