package dev.aigateway.provider.bedrock;

import dev.aigateway.fakes.SigV4Verifier;
import dev.aigateway.provider.http.HttpCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The signing the gateway does, against AWS's published examples and an independent implementation. */
class SigV4Test {
    private static final AwsBasicCredentials EXAMPLE = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    /** aws-sig-v4-test-suite "get-vanilla": GET / on example.amazonaws.com, service "service", 20150830T123600Z. */
    @Test
    void verifierMatchesTheGetVanillaVector() {
        Map<String, String> h = Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z");
        String sig = SigV4Verifier.signature("GET", "/", "", h, List.of("host", "x-amz-date"), new byte[0], "20150830T123600Z",
                "us-east-1", "service", EXAMPLE.secretAccessKey(), true);
        assertThat(sig).isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    /**
     * The SDK's signer as configured, on the get-vanilla request: it also signs x-amz-content-sha256 (a header AWS
     * accepts signed), so its signature is checked against the vector-tested verifier over the headers it signed.
     */
    @Test
    void sdkSignerAsConfiguredAgreesWithTheVerifierOnGetVanilla() {
        HttpCall call = new HttpCall(HttpMethod.GET, "https://example.amazonaws.com/", MultiMap.caseInsensitiveMultiMap(), null);
        Clock at = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
        SigV4.sign(call, EXAMPLE, "us-east-1", "service", at);
        assertThat(call.headers().get("x-amz-date")).isEqualTo("20150830T123600Z");
        SigV4Verifier.Authorization a = SigV4Verifier.Authorization.parse(call.headers().get("authorization"));
        assertThat(a.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(a.signedHeaders()).contains("host", "x-amz-date");
        Map<String, String> headers = new HashMap<>();
        for (String name : a.signedHeaders()) headers.put(name, call.headers().get(name));
        headers.put("host", "example.amazonaws.com");
        assertThat(a.signature()).isEqualTo(SigV4Verifier.signature("GET", "/", "", headers, a.signedHeaders(), new byte[0],
                "20150830T123600Z", "us-east-1", "service", EXAMPLE.secretAccessKey(), true));
    }

    /** The independent verifier the fakes use, on AWS's documented S3 GetObject example (S3 encodes the path once). */
    @Test
    void verifierMatchesAwsDocumentedExample() {
        Map<String, String> h = Map.of("host", "examplebucket.s3.amazonaws.com", "range", "bytes=0-9",
                "x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "x-amz-date", "20130524T000000Z");
        String sig = SigV4Verifier.signature("GET", "/test.txt", "", h, List.of("host", "range", "x-amz-content-sha256", "x-amz-date"),
                new byte[0], "20130524T000000Z", "us-east-1", "s3", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false);
        assertThat(sig).isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    /** A model id's ':' goes out as %3A and is signed as %253A: what Bedrock computes, so the call is accepted. */
    @Test
    void modelIdPathIsSignedDoubleEncoded() {
        String url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
        byte[] body = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        HttpCall call = HttpCall.postJson(url, Buffer.buffer(body));
        Clock at = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        SigV4.sign(call, EXAMPLE, "us-east-1", at);
        SigV4Verifier.Authorization a = SigV4Verifier.Authorization.parse(call.headers().get("authorization"));
        assertThat(a.service()).isEqualTo("bedrock");
        Map<String, String> headers = new HashMap<>();
        for (String name : a.signedHeaders()) headers.put(name, call.headers().get(name));
        headers.put("host", "bedrock-runtime.us-east-1.amazonaws.com");
        String path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
        String twice = SigV4Verifier.signature("POST", path, "", headers, a.signedHeaders(), body, "20260102T030405Z", "us-east-1",
                "bedrock", EXAMPLE.secretAccessKey(), true);
        String once = SigV4Verifier.signature("POST", path, "", headers, a.signedHeaders(), body, "20260102T030405Z", "us-east-1",
                "bedrock", EXAMPLE.secretAccessKey(), false);
        assertThat(a.signature()).isEqualTo(twice).isNotEqualTo(once);
        assertThat(call.headers().contains("host")).isFalse(); // Vert.x writes it from the URL
    }

    @Test
    void modelIdIsOnePercentEncodedSegment() {
        var d = BedrockTestDeployments.of("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0");
        assertThat(BedrockEndpoint.url(d, "converse")).isEqualTo("https://bedrock-runtime.us-east-1.amazonaws.com/model/"
                + "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse");
    }
}
