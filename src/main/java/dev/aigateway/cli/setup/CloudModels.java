package dev.aigateway.cli.setup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The cloud deployments {@code setup} can add to a new config.yaml: their validation and their YAML. Secrets never
 * appear in the YAML, only {@code os.environ/} references to the .env entries setup writes beside it.
 */
public final class CloudModels {
    public static final String BEDROCK_MODEL = "bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0";
    public static final String VERTEX_MODEL = "vertex_ai/gemini-2.5-flash";
    public static final String DEFAULT_LOCATION = "us-central1";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d");
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern LOCATION = Pattern.compile("global|[a-z]+-[a-z]+\\d+");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final long MAX_KEY_FILE_BYTES = 64 * 1024;

    private CloudModels() {}

    /** Bedrock with named keys ({@code keys}) or the machine's default chain (role, profile, environment). */
    public record Bedrock(String region, boolean keys) {}

    /** Vertex AI with a service account key file (its path in .env) or Application Default Credentials. */
    public record Vertex(String project, String location, boolean keyFile) {}

    public static String region(String value) {
        String v = value == null ? "" : value.strip();
        if (!REGION.matcher(v).matches()) {
            throw new IllegalArgumentException("Invalid AWS region '" + v + "': use a region id such as us-east-1 or eu-west-3.");
        }
        return v;
    }

    public static String project(String value) {
        String v = value == null ? "" : value.strip();
        if (!PROJECT.matcher(v).matches()) {
            throw new IllegalArgumentException("Invalid Google Cloud project id '" + v
                    + "': 6-30 lowercase letters, digits and hyphens, starting with a letter (the id, not the display name).");
        }
        return v;
    }

    public static String location(String value) {
        String v = value == null ? "" : value.strip();
        if (!LOCATION.matcher(v).matches()) {
            throw new IllegalArgumentException("Invalid Vertex AI location '" + v + "': use a region such as us-central1, europe-west4, or global.");
        }
        return v;
    }

    /** An access key id is not a secret, but its shape catches a secret pasted in the wrong question. */
    public static String accessKeyId(String value) {
        String v = value == null ? "" : value.strip();
        if (!ACCESS_KEY_ID.matcher(v).matches()) {
            throw new IllegalArgumentException("Invalid AWS access key id: 16+ uppercase letters and digits, such as AKIA... (the secret comes next, hidden).");
        }
        return v;
    }

    /** A readable service account key: JSON with client_email and private_key (what Vertex AI signs its token request with). */
    public static String keyFile(String value) {
        String v = value == null ? "" : value.strip();
        Path p = Path.of(v).toAbsolutePath().normalize();
        if (v.isEmpty() || !Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException("Cannot read the key file '" + v + "': give the path of the service account's JSON key.");
        }
        JsonNode key;
        try {
            key = Files.size(p) > MAX_KEY_FILE_BYTES ? null : Json.tryParse(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the key file '" + v + "': " + e.getMessage());
        }
        if (key == null || !key.path("client_email").isTextual() || !key.path("private_key").isTextual()) {
            throw new IllegalArgumentException("'" + v + "' is not a service account key: a JSON file with client_email and private_key "
                    + "(IAM > Service accounts > Keys > Add key > JSON).");
        }
        return p.toString();
    }

    /** The model_list entries, indented as the template's mock entry. */
    public static String yaml(Bedrock bedrock, Vertex vertex) {
        StringBuilder y = new StringBuilder();
        if (bedrock != null) {
            y.append("\n  # Added by ./ai-gateway setup.\n  - model_name: claude-sonnet-bedrock\n    litellm_params:\n")
                    .append("      model: ").append(BEDROCK_MODEL).append('\n')
                    .append("      aws_region_name: ").append(bedrock.region()).append('\n');
            if (bedrock.keys()) {
                y.append("      aws_access_key_id: os.environ/AWS_ACCESS_KEY_ID\n")
                        .append("      aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY\n");
            } else {
                y.append("      # credentials: the machine's default chain (instance or task role, AWS_PROFILE, environment)\n");
            }
        }
        if (vertex != null) {
            y.append("\n  # Added by ./ai-gateway setup.\n  - model_name: gemini-flash-vertex\n    litellm_params:\n")
                    .append("      model: ").append(VERTEX_MODEL).append('\n')
                    .append("      vertex_project: ").append(vertex.project()).append('\n')
                    .append("      vertex_location: ").append(vertex.location()).append('\n');
            if (vertex.keyFile()) {
                y.append("      vertex_credentials: os.environ/VERTEX_CREDENTIALS_FILE\n");
            } else {
                y.append("      # credentials: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata server)\n");
            }
        }
        return y.toString();
    }
}
