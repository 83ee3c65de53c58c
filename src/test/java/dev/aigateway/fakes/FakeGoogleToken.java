package dev.aigateway.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import io.vertx.core.http.HttpServerRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's OAuth token endpoint as a service account meets it: {@code POST /token} with
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>}. It checks what Google checks: the
 * JWT's RS256 signature against the account's public key (generated here, with the key file handed to the gateway),
 * {@code iss}, {@code aud} (this token URI), the cloud-platform scope and the times; then issues a token with
 * {@code expires_in}. Refusals are Google's {@code {"error": "invalid_grant", "error_description": ...}}.
 */
public final class FakeGoogleToken extends FakeUpstream {
    public static final String CLIENT_EMAIL = "gateway-test@test-project.iam.gserviceaccount.com";
    public static final String PROJECT = "test-project";
    /** The user an {@code authorized_user} ADC file (gcloud's) is for. */
    public static final String CLIENT_ID = "764086051850-test.apps.googleusercontent.com", CLIENT_SECRET = "d-FL95Q19q7MQmFpd7hHD0Ty",
            REFRESH_TOKEN = "1//0test-refresh-token";
    private static final String METADATA_TOKEN = "/computeMetadata/v1/instance/service-accounts/default/token";
    private final KeyPair account = rsa();
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();
    /** Issued tokens and when they expire (epoch millis). */
    private final Map<String, Long> valid = new ConcurrentHashMap<>();
    private volatile long expiresInSeconds = 3600;
    private volatile long delayMs;

    @Override
    protected void handle(HttpServerRequest req, Recorded rec, Scenario scenario) {
        if ("GET".equals(rec.method()) && METADATA_TOKEN.equals(rec.path())) {
            // The metadata server answers only requests that say they mean it (no header: 403, as GCE does).
            if (!"Google".equals(rec.headers().get("Metadata-Flavor"))) {
                req.response().setStatusCode(403).end("Missing Metadata-Flavor:Google header.");
                return;
            }
            exchanges.incrementAndGet();
            issue(req);
            return;
        }
        if (!"POST".equals(rec.method()) || !"/token".equals(rec.path())) {
            req.response().setStatusCode(404).end();
            return;
        }
        exchanges.incrementAndGet();
        Map<String, String> form = form(rec.body().toString());
        String refusal = refusal(form);
        if (refusal != null) {
            ObjectNode err = Json.object().put("error", "invalid_grant").put("error_description", refusal);
            req.response().setStatusCode(400).putHeader("content-type", "application/json").end(err.toString());
            return;
        }
        issue(req);
    }

    private void issue(HttpServerRequest req) {
        String token = "ya29.fake-" + issued.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
        valid.put(token, System.currentTimeMillis() + expiresInSeconds * 1000);
        ObjectNode ok = Json.object().put("access_token", token).put("expires_in", expiresInSeconds).put("token_type", "Bearer");
        if (delayMs > 0) vertx.setTimer(delayMs, t -> req.response().putHeader("content-type", "application/json").end(ok.toString()));
        else req.response().putHeader("content-type", "application/json").end(ok.toString());
    }

    /** Why Google would refuse the grant, or null. */
    private String refusal(Map<String, String> form) {
        if ("refresh_token".equals(form.get("grant_type"))) {
            boolean known = CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret"))
                    && REFRESH_TOKEN.equals(form.get("refresh_token"));
            return known ? null : "Bad Request";
        }
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) return "Invalid grant_type.";
        String jwt = form.getOrDefault("assertion", "");
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) return "Invalid JWT.";
        JsonNode header = Json.parse(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        JsonNode claims = Json.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        if (!"RS256".equals(header.path("alg").asText())) return "Invalid JWT: alg must be RS256.";
        if (!verifies(account.getPublic(), parts[0] + "." + parts[1], parts[2])) return "Invalid JWT Signature.";
        if (!CLIENT_EMAIL.equals(claims.path("iss").asText())) return "Invalid issuer.";
        if (!tokenUri().equals(claims.path("aud").asText())) return "Invalid JWT: audience must be the token URI.";
        if (!claims.path("scope").asText().contains("https://www.googleapis.com/auth/cloud-platform")) return "Invalid scope.";
        long now = System.currentTimeMillis() / 1000;
        long iat = claims.path("iat").asLong(), exp = claims.path("exp").asLong();
        if (iat > now + 60 || exp <= now || exp - iat > 3600) return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
        return null;
    }

    private static boolean verifies(PublicKey key, String signed, String signatureB64) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(Base64.getUrlDecoder().decode(signatureB64));
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether Vertex would take this bearer token now. */
    public boolean accepts(String token) {
        Long until = token == null ? null : valid.get(token);
        return until != null && System.currentTimeMillis() < until;
    }

    /** gcloud's ADC file for a user ({@code gcloud auth application-default login}). */
    public String authorizedUserJson() {
        return Json.object().put("type", "authorized_user").put("client_id", CLIENT_ID).put("client_secret", CLIENT_SECRET)
                .put("refresh_token", REFRESH_TOKEN).put("token_uri", tokenUri()).put("quota_project_id", PROJECT).toString();
    }

    /** The metadata server's address as GCE_METADATA_HOST names it. */
    public String metadataHost() {
        return "127.0.0.1:" + port();
    }

    public String tokenUri() {
        return host() + "/token";
    }

    /** The key file of the account this endpoint knows (its private key included, as Google's downloads are). */
    public String serviceAccountJson() {
        return serviceAccountJson(account);
    }

    /** A key file naming the same account but holding another key: its JWTs fail the signature check. */
    public String serviceAccountJsonWithForeignKey() {
        return serviceAccountJson(rsa());
    }

    private String serviceAccountJson(KeyPair keys) {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        return Json.object().put("type", "service_account").put("project_id", PROJECT).put("private_key_id", "0123abcd")
                .put("private_key", pem).put("client_email", CLIENT_EMAIL).put("client_id", "1234567890")
                .put("token_uri", tokenUri()).toString();
    }

    public int exchanges() {
        return exchanges.get();
    }

    /** Every token issued so far stops working (as a revoked key or a rotated account does). */
    public void revokeAll() {
        valid.clear();
    }

    public void expiresIn(long seconds) {
        this.expiresInSeconds = seconds;
    }

    /** Holds each answer this long, so concurrent calls overlap their wait for a token. */
    public void delay(long ms) {
        this.delayMs = ms;
    }

    @Override
    public void reset() {
        super.reset();
        exchanges.set(0);
        valid.clear();
        expiresInSeconds = 3600;
        delayMs = 0;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
