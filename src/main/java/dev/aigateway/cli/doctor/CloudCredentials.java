package dev.aigateway.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What a {@code bedrock/} or {@code vertex_ai/} deployment will sign in with, found the way the gateway looks for it
 * (LiteLLM's parameters, then the environment, then the cloud's own files), without calling the cloud: a region and a
 * credential source for Bedrock, a project and a credentials file for Vertex AI. A missing region or project, a broken
 * credentials file or half a key pair fails; no credentials at all warns (an instance, pod or metadata-server identity
 * may still exist where the gateway runs). Nothing secret is printed: only where the credentials come from.
 */
final class CloudCredentials {
    private CloudCredentials() {}

    static boolean handles(Deployment d) {
        return "bedrock".equals(d.provider()) || "vertex_ai".equals(d.provider());
    }

    static Finding check(DoctorContext ctx, Deployment d, String label) {
        // the variables as the gateway would see them: its environment, then .env
        Function<String, String> env = ctx.settings()::env;
        return "bedrock".equals(d.provider()) ? bedrock(env, d, label) : vertex(env, d, label);
    }

    // --- AWS Bedrock

    private static Finding bedrock(Function<String, String> env, Deployment d, String label) {
        String region = first(d.param("aws_region_name"), env.apply("AWS_REGION_NAME"), env.apply("AWS_REGION"));
        String endpoint = first(d.param("aws_bedrock_runtime_endpoint"), env.apply("AWS_BEDROCK_RUNTIME_ENDPOINT"));
        if (region == null && endpoint == null) {
            return Finding.fail(ProviderKeysCheck.NAME, label + ": no AWS region", "set litellm_params.aws_region_name of " + d.modelName()
                    + " in config.yaml (or AWS_REGION=us-east-1 in .env)");
        }
        boolean id = d.param("aws_access_key_id") != null;
        boolean secret = d.param("aws_secret_access_key") != null;
        if (id != secret) {
            return Finding.fail(ProviderKeysCheck.NAME, label + ": " + (id ? "aws_access_key_id without aws_secret_access_key"
                    : "aws_secret_access_key without aws_access_key_id"), "give both keys of " + d.modelName() + " (os.environ/ references to .env)");
        }
        String source;
        if (id) {
            source = "the keys in config.yaml";
        } else if (d.param("aws_profile_name") != null) {
            String profile = d.param("aws_profile_name");
            if (!profileExists(env, profile)) {
                return Finding.fail(ProviderKeysCheck.NAME, label + ": AWS profile '" + profile + "' is not in ~/.aws/credentials or ~/.aws/config",
                        "aws configure --profile " + profile + " (as the user the gateway runs as)");
            }
            source = "the AWS profile '" + profile + "'";
        } else if (d.apiKey() != null || env.apply("AWS_BEARER_TOKEN_BEDROCK") != null) {
            source = "a Bedrock API key";
        } else if (env.apply("AWS_ACCESS_KEY_ID") != null && env.apply("AWS_SECRET_ACCESS_KEY") != null) {
            source = "AWS_ACCESS_KEY_ID in the environment";
        } else if (env.apply("AWS_WEB_IDENTITY_TOKEN_FILE") != null && env.apply("AWS_ROLE_ARN") != null) {
            if (!Files.isReadable(Path.of(env.apply("AWS_WEB_IDENTITY_TOKEN_FILE")))) {
                return Finding.fail(ProviderKeysCheck.NAME, label + ": AWS_WEB_IDENTITY_TOKEN_FILE cannot be read",
                        "check the pod's service account token mount (IRSA)");
            }
            source = "the pod's web identity (" + env.apply("AWS_ROLE_ARN") + ")";
        } else if (env.apply("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null || env.apply("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
            source = "the container's credentials (ECS/EKS pod identity)";
        } else if (profileExists(env, "default")) {
            source = "the default AWS profile";
        } else {
            return Finding.warn(ProviderKeysCheck.NAME, label + ": no AWS credentials in config.yaml, the environment or ~/.aws; "
                    + "only an instance role can sign here", "set aws_access_key_id/aws_secret_access_key (os.environ/ in .env), "
                    + "aws_profile_name, or run where an instance or pod role is attached");
        }
        String role = d.param("aws_role_name");
        return Finding.pass(ProviderKeysCheck.NAME, label + ": " + (region != null ? "region " + region : "endpoint " + endpoint)
                + ", credentials from " + source + (role != null ? ", then role " + role : "") + " (not tried against AWS)");
    }

    private static boolean profileExists(Function<String, String> env, String profile) {
        String home = first(env.apply("HOME"), System.getProperty("user.home"));
        Path credentials = Path.of(first(env.apply("AWS_SHARED_CREDENTIALS_FILE"), home + "/.aws/credentials"));
        Path config = Path.of(first(env.apply("AWS_CONFIG_FILE"), home + "/.aws/config"));
        return contains(credentials, "[" + profile + "]") || contains(config, profile.equals("default") ? "[default]" : "[profile " + profile + "]");
    }

    private static boolean contains(Path file, String section) {
        try {
            return Files.isReadable(file) && Files.readAllLines(file).stream().anyMatch(l -> l.strip().equals(section));
        } catch (IOException e) {
            return false;
        }
    }

    // --- Google Vertex AI

    private static Finding vertex(Function<String, String> env, Deployment d, String label) {
        JsonNode inline = d.params() == null ? null : d.params().get("vertex_credentials");
        JsonNode credentials;
        String source;
        if (inline != null && !inline.isNull()) {
            source = "vertex_credentials";
            credentials = inline.isObject() ? inline : parse(inline.asText());
            if (credentials == null) {
                return Finding.fail(ProviderKeysCheck.NAME, label + ": vertex_credentials is neither a readable file nor service-account JSON",
                        "point vertex_credentials of " + d.modelName() + " at the key file (or os.environ/ holding its JSON)");
            }
        } else if (env.apply("GOOGLE_APPLICATION_CREDENTIALS") != null) {
            source = "GOOGLE_APPLICATION_CREDENTIALS";
            credentials = read(Path.of(env.apply("GOOGLE_APPLICATION_CREDENTIALS")));
            if (credentials == null) {
                return Finding.fail(ProviderKeysCheck.NAME, label + ": GOOGLE_APPLICATION_CREDENTIALS names a file that cannot be read as JSON",
                        "check the path in .env or the environment, and that the gateway's user may read it");
            }
        } else {
            String home = first(env.apply("HOME"), System.getProperty("user.home"));
            credentials = read(Path.of(home, ".config", "gcloud", "application_default_credentials.json"));
            source = credentials == null ? null : "gcloud's application default credentials";
        }
        String type = credentials == null ? null : credentials.path("type").asText(null);
        if ("service_account".equals(type) && (credentials.path("client_email").asText("").isEmpty() || credentials.path("private_key").asText("").isEmpty())) {
            return Finding.fail(ProviderKeysCheck.NAME, label + ": the service-account credentials from " + source + " lack client_email or private_key",
                    "download a new JSON key for the service account (IAM > Service accounts > Keys)");
        }
        String project = first(d.param("vertex_project"), d.param("vertex_ai_project"), env.apply("VERTEXAI_PROJECT"), env.apply("GOOGLE_CLOUD_PROJECT"),
                credentials == null ? null : credentials.path("project_id").asText(null));
        if (project == null) {
            return Finding.fail(ProviderKeysCheck.NAME, label + ": no Google Cloud project", "set litellm_params.vertex_project of "
                    + d.modelName() + " in config.yaml (or VERTEXAI_PROJECT in .env)");
        }
        if (credentials == null) {
            return Finding.warn(ProviderKeysCheck.NAME, label + ": project " + project + ", no credentials file; only a metadata server "
                    + "(GCE, GKE, Cloud Run) can give a token here", "set vertex_credentials (a service-account key file) or GOOGLE_APPLICATION_CREDENTIALS");
        }
        return Finding.pass(ProviderKeysCheck.NAME, label + ": project " + project + ", credentials from " + source
                + (type != null ? " (" + type + ")" : "") + " (not tried against Google)");
    }

    /** A path to a JSON file, or the JSON itself. */
    private static JsonNode parse(String text) {
        String t = text.strip();
        if (t.startsWith("{")) {
            try {
                return Json.parse(t);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return read(Path.of(t));
    }

    private static JsonNode read(Path file) {
        try {
            return Files.isReadable(file) ? Json.parse(Files.readString(file)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v.strip();
        return null;
    }
}
