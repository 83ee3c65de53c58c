package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * The assertion a service account trades for an access token (RFC 7523, as Google's OAuth server takes it): a JWT
 * signed RS256 with the account's key, {@code iss} the account, {@code aud} its token URI, valid for an hour.
 * The JDK signs it: Google's auth library (1.58.0) would add 21 jars, 6 MB (Guava, Gson, Apache HttpClient, gRPC API,
 * OpenCensus) and a blocking HTTP transport, for these few lines.
 */
final class ServiceAccountJwt {
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    private static final long LIFETIME_SECONDS = 3600;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private ServiceAccountJwt() {}

    static String assertion(GoogleCredentials.ServiceAccount sa, Instant now) {
        ObjectNode header = Json.object().put("alg", "RS256").put("typ", "JWT");
        if (sa.privateKeyId() != null) header.put("kid", sa.privateKeyId());
        long iat = now.getEpochSecond();
        ObjectNode claims = Json.object().put("iss", sa.clientEmail()).put("scope", SCOPE).put("aud", sa.tokenUri())
                .put("iat", iat).put("exp", iat + LIFETIME_SECONDS);
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(sa.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RS256 signing failed for " + sa, e);
        }
    }

    private static String encode(ObjectNode json) {
        return B64.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
