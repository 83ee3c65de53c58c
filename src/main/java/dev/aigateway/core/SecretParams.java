package dev.aigateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which {@code litellm_params} fields are credentials, and what of a model's parameters may be shown (the runtime-model
 * store encrypts the credentials it names).
 *
 * <p>A field is a credential when its name is {@code api_key}, ends in {@code _key}, {@code secret} or {@code token},
 * or is one of a few known cloud credentials ({@code aws_access_key_id}, {@code vertex_credentials}). Credentials are
 * never shown. {@code api_base} is shown, but a credential written into it ({@code user:pass@}, a query string, see
 * {@link UrlCredentials}) makes it a credential at rest: encrypted like {@code api_key}, and masked wherever it is
 * shown. Only literal text values are encrypted: an {@code os.environ/NAME} reference is not a secret (the secret
 * stays in the environment), so it is stored as given and needs no salt key.
 */
public final class SecretParams {
    /** What starts a credential encrypted at rest (the runtime-model store writes and reads that format). */
    public static final String ENCRYPTED_PREFIX = "enc:v1:";
    private static final Set<String> NAMED = Set.of("api_key", "aws_secret_access_key", "aws_access_key_id", "vertex_credentials");
    /** The one URL field: shown masked, encrypted at rest when it holds a credential. */
    public static final String API_BASE = "api_base";

    private SecretParams() {}

    public static boolean isSecret(String field) {
        String f = field.toLowerCase(java.util.Locale.ROOT);
        return NAMED.contains(f) || f.endsWith("_key") || f.endsWith("secret") || f.endsWith("token");
    }

    /**
     * The fields holding a literal credential (these need a salt key to be stored): credential fields, and an
     * {@code api_base} with a credential written into it.
     */
    public static List<String> literalSecrets(ObjectNode params) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : params.properties()) {
            if (!needsEncryption(f.getValue())) continue;
            if (isSecret(f.getKey()) || API_BASE.equals(f.getKey()) && UrlCredentials.holdsCredential(f.getValue().asText())) {
                out.add(f.getKey());
            }
        }
        return out;
    }

    /**
     * What may be shown of a model's parameters (admin API, UI, metrics): the parameters as written, so an
     * {@code os.environ/NAME} reference stays a reference and is never replaced by its value, without any credential
     * field, and with the credentials of {@code api_base} masked.
     *
     * @param asWritten litellm_params before {@code os.environ/} references were resolved
     */
    public static ObjectNode shown(ObjectNode asWritten) {
        ObjectNode out = asWritten.deepCopy();
        List<String> secret = new ArrayList<>();
        out.fieldNames().forEachRemaining(n -> {
            if (isSecret(n)) secret.add(n);
        });
        out.remove(secret);
        JsonNode base = out.get(API_BASE);
        if (base != null && base.isTextual()) out.put(API_BASE, UrlCredentials.masked(base.asText()));
        return out;
    }

    private static boolean needsEncryption(JsonNode v) {
        if (v == null || !v.isTextual()) return false;
        String s = v.asText();
        return !s.isEmpty() && !s.startsWith("os.environ/") && !isEncrypted(s);
    }

    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(ENCRYPTED_PREFIX);
    }
}
