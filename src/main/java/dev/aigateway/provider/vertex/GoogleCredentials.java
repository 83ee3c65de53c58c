package dev.aigateway.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The Google credentials a deployment authenticates with: a service account's key file, a user's ADC file
 * ({@code gcloud auth application-default login}), or the metadata server of the machine it runs on. No record
 * prints its secrets.
 */
sealed interface GoogleCredentials {
    String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

    /** The project the credentials belong to, or null. */
    String projectId();

    /** A service account's key: its access tokens come from a JWT signed with {@code privateKey}. */
    record ServiceAccount(String clientEmail, PrivateKey privateKey, String privateKeyId, String tokenUri, String projectId)
            implements GoogleCredentials {
        @Override
        public String toString() {
            return "ServiceAccount[" + clientEmail + "]";
        }
    }

    /** A user's refresh token (gcloud's ADC file). */
    record AuthorizedUser(String clientId, String clientSecret, String refreshToken, String tokenUri, String projectId)
            implements GoogleCredentials {
        @Override
        public String toString() {
            return "AuthorizedUser[" + clientId + "]";
        }
    }

    /** The GCE / GKE / Cloud Run metadata server's token for the machine's service account. */
    record MetadataServer(String host) implements GoogleCredentials {
        @Override
        public String projectId() {
            return null;
        }
    }

    /**
     * A credentials JSON document (a key file's content). The messages name the fields, never their values.
     *
     * @param where how the document was given, for messages ("vertex_credentials", the file's path)
     */
    static GoogleCredentials parse(String json, String where) {
        JsonNode n;
        try {
            n = Json.parse(json);
        } catch (RuntimeException e) {
            throw invalid(where + " is not a JSON document (a service account key file or an ADC file).");
        }
        String type = n.path("type").asText("");
        String tokenUri = text(n, "token_uri", DEFAULT_TOKEN_URI);
        return switch (type) {
            case "service_account" -> new ServiceAccount(required(n, "client_email", where), privateKey(required(n, "private_key", where), where),
                    text(n, "private_key_id", null), tokenUri, text(n, "project_id", null));
            case "authorized_user" -> new AuthorizedUser(required(n, "client_id", where), required(n, "client_secret", where),
                    required(n, "refresh_token", where), tokenUri, text(n, "quota_project_id", null));
            default -> throw invalid(where + " has type '" + type + "'; the gateway reads 'service_account' and 'authorized_user' credentials.");
        };
    }

    /** A PKCS#8 PEM private key, as service account key files hold it. */
    private static PrivateKey privateKey(String pem, String where) {
        String b64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (Exception e) { // never the key's text in the message
            throw invalid(where + ": private_key is not a PKCS#8 RSA key in PEM form.");
        }
    }

    private static String required(JsonNode n, String field, String where) {
        String v = text(n, field, null);
        if (v == null || v.isBlank()) throw invalid(where + " has no '" + field + "'.");
        return v;
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? dflt : v.asText();
    }

    private static GatewayException invalid(String message) {
        return GatewayException.invalidKey("vertex_ai credentials: " + message);
    }
}
