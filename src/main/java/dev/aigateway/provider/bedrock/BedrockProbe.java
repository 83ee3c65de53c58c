package dev.aigateway.provider.bedrock;

import dev.aigateway.core.Deployment;
import dev.aigateway.provider.http.HttpCall;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.time.Clock;

/**
 * The doctor's check of a deployment's AWS credentials: ListFoundationModels (free, no tokens) on Bedrock's control
 * plane, signed as the gateway signs its calls, with the credentials the gateway would use. A custom runtime
 * endpoint (a proxy, a test fake) is asked instead of AWS.
 */
public final class BedrockProbe {
    public static final String PERMISSION = "bedrock:ListFoundationModels";

    private BedrockProbe() {}

    /**
     * The signed GET. Blocking: resolving credentials may read files or call STS and instance metadata, so only
     * for a caller off any event loop (the doctor's own process). Throws what the credential chain throws.
     */
    public static HttpCall listModels(Deployment d) {
        String custom = d.param("aws_bedrock_runtime_endpoint");
        if (custom == null || custom.isBlank()) custom = d.apiBase();
        String base = custom == null || custom.isBlank()
                ? "https://bedrock." + BedrockEndpoint.region(d) + ".amazonaws.com" : BedrockEndpoint.base(d);
        AwsCredentialsIdentity credentials = CredentialSources.of(d).resolveIdentity().join();
        return SigV4.sign(HttpCall.get(base + "/foundation-models?byOutputModality=TEXT"), credentials,
                BedrockEndpoint.region(d), Clock.systemUTC());
    }
}
