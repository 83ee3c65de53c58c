package dev.aigateway.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The environment variables a Bedrock deployment falls back to, as LiteLLM reads them: the region from
 * AWS_REGION_NAME, then AWS_REGION; the runtime endpoint from AWS_BEDROCK_RUNTIME_ENDPOINT; a Bedrock API key from
 * AWS_BEARER_TOKEN_BEDROCK. AWS credentials themselves are not copied here: the AWS SDK's default chain reads them
 * (environment, profiles, web identity, container and instance roles) when the deployment names none.
 */
final class BedrockEnvironment {
    private BedrockEnvironment() {}

    static void fill(ObjectNode params, EnvReferences env) {
        fillFrom(params, env, "aws_region_name", "AWS_REGION_NAME", "AWS_REGION");
        fillFrom(params, env, "aws_bedrock_runtime_endpoint", "AWS_BEDROCK_RUNTIME_ENDPOINT");
        fillFrom(params, env, "api_key", "AWS_BEARER_TOKEN_BEDROCK");
    }

    private static void fillFrom(ObjectNode params, EnvReferences env, String field, String... variables) {
        if (params.hasNonNull(field) && !params.get(field).asText().isBlank()) return;
        for (String v : variables) {
            String value = env.providerDefault(v);
            if (value != null) {
                params.put(field, value);
                return;
            }
        }
    }
}
