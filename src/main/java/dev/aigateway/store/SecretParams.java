package dev.aigateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which {@code litellm_params} fields are credentials, and applying the {@link CredentialCipher} to them.
 *
 * <p>A field is a credential when its name is {@code api_key}, ends in {@code _key}, {@code secret} or {@code token},
 * or is one of a few known cloud credentials ({@code aws_access_key_id}, {@code vertex_credentials}). Only literal
 * text values are encrypted: an {@code os.environ/NAME} reference is not a secret (the secret stays in the
 * environment), so it is stored as given and needs no salt key.
 */
public final class SecretParams {
    private static final Set<String> NAMED = Set.of("api_key", "aws_secret_access_key", "aws_access_key_id", "vertex_credentials");

    private SecretParams() {}

    public static boolean isSecret(String field) {
        String f = field.toLowerCase(java.util.Locale.ROOT);
        return NAMED.contains(f) || f.endsWith("_key") || f.endsWith("secret") || f.endsWith("token");
    }

    /** The credential fields holding a literal value (these need a salt key to be stored). */
    public static List<String> literalSecrets(ObjectNode params) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : params.properties()) {
            if (isSecret(f.getKey()) && needsEncryption(f.getValue())) out.add(f.getKey());
        }
        return out;
    }

    /** A copy with every literal credential encrypted; {@link MissingSaltKeyException} when there is one and no cipher. */
    public static ObjectNode encrypt(ObjectNode params, CredentialCipher cipher) {
        ObjectNode out = params.deepCopy();
        for (String field : literalSecrets(params)) {
            if (cipher == null) throw new MissingSaltKeyException(field);
            out.put(field, cipher.encrypt(params.get(field).asText()));
        }
        return out;
    }

    /** A copy with every encrypted value decrypted; {@link CredentialCipher.WrongKeyException} when that fails. */
    public static ObjectNode decrypt(ObjectNode params, CredentialCipher cipher) {
        ObjectNode out = params.deepCopy();
        for (Map.Entry<String, JsonNode> f : params.properties()) {
            JsonNode v = f.getValue();
            if (v.isTextual() && CredentialCipher.isEncrypted(v.asText())) {
                if (cipher == null) {
                    throw new CredentialCipher.WrongKeyException("litellm_params." + f.getKey() + " is encrypted but no salt key is set");
                }
                out.put(f.getKey(), cipher.decrypt(v.asText()));
            }
        }
        return out;
    }

    /** A copy without any credential field: what the admin API shows. */
    public static ObjectNode withoutSecrets(ObjectNode params) {
        ObjectNode out = params.deepCopy();
        List<String> secret = new ArrayList<>();
        out.fieldNames().forEachRemaining(n -> {
            if (isSecret(n)) secret.add(n);
        });
        out.remove(secret);
        return out;
    }

    private static boolean needsEncryption(JsonNode v) {
        if (v == null || !v.isTextual()) return false;
        String s = v.asText();
        return !s.isEmpty() && !s.startsWith("os.environ/") && !CredentialCipher.isEncrypted(s);
    }

    /** A literal credential was to be stored but no GATEWAY_SALT_KEY is configured. */
    public static final class MissingSaltKeyException extends RuntimeException {
        private final String field;

        public MissingSaltKeyException(String field) {
            super("litellm_params." + field + " cannot be stored: GATEWAY_SALT_KEY is not set, and provider credentials are "
                    + "only stored encrypted. Run ./ai-gateway setup (it creates one) or set GATEWAY_SALT_KEY in .env and restart; "
                    + "or pass the credential as os.environ/NAME.", null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
