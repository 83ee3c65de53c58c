package dev.aigateway.provider.bedrock;

import dev.aigateway.core.Deployment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.net.URI;

/**
 * Where a deployment's AWS credentials come from, with LiteLLM's parameter names: static keys
 * ({@code aws_access_key_id}, {@code aws_secret_access_key}, {@code aws_session_token}), else the profile
 * {@code aws_profile_name}, else the SDK's default chain (environment, profile, web identity, container, instance role);
 * with {@code aws_role_name} those are the source of an STS AssumeRole ({@code aws_session_name},
 * {@code aws_sts_endpoint}). Building and calling these providers may block: only {@link CredentialsCache} does, on a
 * worker thread.
 */
final class CredentialSources {
    static final String DEFAULT_SESSION_NAME = "ai-gateway";

    private CredentialSources() {}

    /** A short key of what decides a deployment's credentials (for the cache), without any secret in it. */
    static String cacheKey(Deployment d) {
        return d.id() + "|" + d.param("aws_access_key_id") + "|" + Integer.toHexString(String.valueOf(d.param("aws_secret_access_key")).hashCode())
                + "|" + d.param("aws_profile_name") + "|" + d.param("aws_role_name") + "|" + d.param("aws_session_name")
                + "|" + d.param("aws_sts_endpoint") + "|" + BedrockEndpoint.region(d);
    }

    static AwsCredentialsProvider of(Deployment d) {
        AwsCredentialsProvider base = base(d);
        String role = d.param("aws_role_name");
        if (role == null || role.isBlank()) return base;
        var sts = StsClient.builder().region(Region.of(BedrockEndpoint.region(d))).credentialsProvider(base)
                .httpClient(new JdkSdkHttpClient());
        String stsEndpoint = d.param("aws_sts_endpoint");
        if (stsEndpoint != null && !stsEndpoint.isBlank()) sts.endpointOverride(URI.create(stsEndpoint.strip()));
        String session = d.param("aws_session_name");
        String sessionName = session == null || session.isBlank() ? DEFAULT_SESSION_NAME : session;
        StsClient client = sts.build();
        // Each call assumes the role anew: CredentialsCache decides when (the SDK's own provider would add a second
        // cache with its own timing in front of it).
        return () -> {
            Credentials c = client.assumeRole(r -> r.roleArn(role).roleSessionName(sessionName)).credentials();
            return AwsSessionCredentials.builder().accessKeyId(c.accessKeyId()).secretAccessKey(c.secretAccessKey())
                    .sessionToken(c.sessionToken()).expirationTime(c.expiration()).build();
        };
    }

    private static AwsCredentialsProvider base(Deployment d) {
        String id = d.param("aws_access_key_id");
        String secret = d.param("aws_secret_access_key");
        if (id != null && secret != null) {
            String token = d.param("aws_session_token");
            return StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token));
        }
        String profile = d.param("aws_profile_name");
        if (profile != null && !profile.isBlank()) return ProfileCredentialsProvider.create(profile);
        return DefaultCredentialsProvider.builder().build();
    }
}
