package dev.aigateway.provider.vertex;

/**
 * What the environment says about Google Cloud, read once by the configuration (as LiteLLM and Google's own
 * libraries read it); a deployment's {@code vertex_*} parameters win over it.
 *
 * @param project         VERTEXAI_PROJECT, else GOOGLE_CLOUD_PROJECT; null when neither is set
 * @param location        VERTEXAI_LOCATION; null when unset (then us-central1)
 * @param credentialsFile GOOGLE_APPLICATION_CREDENTIALS: Application Default Credentials' file; null when unset
 * @param gcloudFile      gcloud's own ADC file ({@code gcloud auth application-default login}), used when it exists
 * @param metadataHost    the GCE metadata server (GCE_METADATA_HOST, else metadata.google.internal): the last resort
 */
public record VertexEnvironment(String project, String location, String credentialsFile, String gcloudFile, String metadataHost) {
    public static final String DEFAULT_LOCATION = "us-central1";
    public static final String DEFAULT_METADATA_HOST = "metadata.google.internal";

    /** Nothing set: every deployment says what it needs. */
    public static VertexEnvironment none() {
        return new VertexEnvironment(null, null, null, null, DEFAULT_METADATA_HOST);
    }
}
