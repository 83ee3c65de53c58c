package dev.aigateway.provider.bedrock;

import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;

final class BedrockTestDeployments {
    private BedrockTestDeployments() {}

    static Deployment of(String model) {
        return new Deployment("b1", "claude", "bedrock", model, null, null, null, null, null, 1, 0,
                Json.object().put("aws_region_name", "us-east-1"), Json.object(), true);
    }
}
