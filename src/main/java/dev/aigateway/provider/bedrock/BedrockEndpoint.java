package dev.aigateway.provider.bedrock;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Where a deployment's Bedrock runtime is: {@code aws_bedrock_runtime_endpoint} (else {@code api_base}), else
 * {@code https://bedrock-runtime.{aws_region_name}.amazonaws.com}. The config layer fills {@code aws_region_name} and
 * {@code aws_bedrock_runtime_endpoint} from the environment as LiteLLM reads it (AWS_REGION_NAME, then AWS_REGION;
 * AWS_BEDROCK_RUNTIME_ENDPOINT).
 */
final class BedrockEndpoint {
    static final String DEFAULT_REGION = "us-east-1";

    private BedrockEndpoint() {}

    static String region(Deployment d) {
        String r = d.param("aws_region_name");
        return r == null || r.isBlank() ? DEFAULT_REGION : r.strip();
    }

    static String base(Deployment d) {
        String custom = d.param("aws_bedrock_runtime_endpoint");
        if (custom == null || custom.isBlank()) custom = d.apiBase();
        String base = custom == null || custom.isBlank()
                ? "https://bedrock-runtime." + region(d) + ".amazonaws.com" : custom.strip();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return base;
    }

    /**
     * {@code {base}/model/{modelId}/{action}}, the model id (an id, an inference profile id or a whole ARN with its
     * {@code :} and {@code /}) percent-encoded as one path segment, as AWS's clients send it.
     */
    static String url(Deployment d, String action) {
        return base(d) + "/model/" + SdkHttpUtils.urlEncode(modelId(d)) + "/" + action;
    }

    /** The model id, without LiteLLM's route markers ({@code converse/}, {@code invoke/}). */
    static String modelId(Deployment d) {
        String m = d.model();
        if (m.startsWith("converse/")) m = m.substring("converse/".length());
        else if (m.startsWith("invoke/")) m = m.substring("invoke/".length());
        if (m.isBlank()) throw GatewayException.badRequest("The Bedrock deployment " + d.id() + " names no model id.", "model");
        return m;
    }
}
