package dev.aigateway.provider.bedrock;

import dev.aigateway.provider.http.HttpCall;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Signs an upstream call with the AWS SDK's SigV4 signer, configured as Bedrock's own clients are: service
 * {@code bedrock}, the path encoded twice (a model id's {@code :} travels as {@code %3A} and is signed as
 * {@code %253A}: with single encoding every model id with a version suffix is refused), the payload hashed.
 * Pure computation (HMACs over the request): safe on an event loop.
 */
final class SigV4 {
    static final String SERVICE = "bedrock";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private SigV4() {}

    static HttpCall sign(HttpCall call, AwsCredentialsIdentity credentials, String region, Clock clock) {
        return sign(call, credentials, region, SERVICE, clock);
    }

    static HttpCall sign(HttpCall call, AwsCredentialsIdentity credentials, String region, String service, Clock clock) {
        SdkHttpFullRequest.Builder req = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(call.method().name()))
                .uri(URI.create(call.url()));
        call.headers().forEach(h -> req.appendHeader(h.getKey(), h.getValue()));
        byte[] body = call.body() == null ? new byte[0] : call.body().getBytes();
        SignedRequest signed = SIGNER.sign(r -> r.identity(credentials).request(req.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, true)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, true)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            // Vert.x writes Host (or HTTP/2's :authority) from the URL, as the signer computed it: not sent twice.
            if (h.getKey().equalsIgnoreCase("host")) continue;
            call.headers().remove(h.getKey());
            for (String v : h.getValue()) call.headers().add(h.getKey(), v);
        }
        return call;
    }
}
