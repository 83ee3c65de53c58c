package dev.aigateway.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.SecretParams;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts provider credentials stored in the database (runtime models' {@code litellm_params.api_key} and
 * friends) with AES-256-GCM under a key derived from {@code GATEWAY_SALT_KEY}.
 *
 * <p>Format of a stored value: {@code enc:v1:<base64(nonce | ciphertext | tag)>} with a fresh random 12-byte nonce
 * per value and a 128-bit tag; the associated data binds values to this purpose and version. A wrong key fails the
 * tag check ({@link WrongKeyException}): the gateway never hands garbage to a provider.
 *
 * <p>Key derivation: PBKDF2-HMAC-SHA256, {@value #ITERATIONS} iterations, with a fixed application-specific salt.
 * {@code ./ai-gateway setup} generates a 48-character random salt key, for which HKDF would be enough; but operators
 * coming from LiteLLM bring their own {@code LITELLM_SALT_KEY}, often a short human-chosen string, and PBKDF2's work
 * factor makes guessing such a key from a stolen database expensive. The cost (a few hundred milliseconds) is paid
 * once per process at start-up. The salt is fixed rather than random because every instance sharing a database must
 * derive the same key from the same salt key with no state of its own; the salt key itself is the secret.
 * (HKDF is also not in the JDK before 24, and this code targets 21.)
 */
public final class CredentialCipher {
    public static final String PREFIX = SecretParams.ENCRYPTED_PREFIX;
    static final int ITERATIONS = 310_000;
    private static final byte[] KDF_SALT = "ai-gateway/credential-cipher/v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = "ai-gateway:credential:v1".getBytes(StandardCharsets.UTF_8);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private CredentialCipher(SecretKey key) {
        this.key = key;
    }

    /** The cipher for a salt key, or null when none is configured (credentials then cannot be stored). */
    public static CredentialCipher fromSaltKey(String saltKey) {
        if (saltKey == null || saltKey.isBlank()) return null;
        char[] password = saltKey.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(password, KDF_SALT, ITERATIONS, 256);
        try {
            byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            SecretKey k = new SecretKeySpec(raw, "AES");
            Arrays.fill(raw, (byte) 0);
            return new CredentialCipher(k);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(password, '\0');
        }
    }

    public static boolean isEncrypted(String value) {
        return SecretParams.isEncrypted(value);
    }

    public String encrypt(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(AAD);
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)); // ciphertext | tag
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The plaintext of an {@code enc:v1:} value; {@link WrongKeyException} when this key did not encrypt it. */
    public String decrypt(String stored) {
        if (!isEncrypted(stored)) throw new IllegalArgumentException("not an encrypted value");
        byte[] in;
        try {
            in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new WrongKeyException("an encrypted value is not valid base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) throw new WrongKeyException("an encrypted value is truncated");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(AAD);
            byte[] plain = c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new WrongKeyException("the salt key did not encrypt this value");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /** A stored value that this salt key cannot decrypt (the salt key changed, or the value was tampered with). */
    public static final class WrongKeyException extends RuntimeException {
        public WrongKeyException(String message) {
            super(message, null, false, false);
        }
    }

    /** A copy with every literal credential encrypted; {@link MissingSaltKeyException} when there is one and no cipher. */
    public static ObjectNode encryptSecrets(ObjectNode params, CredentialCipher cipher) {
        ObjectNode out = params.deepCopy();
        for (String field : SecretParams.literalSecrets(params)) {
            if (cipher == null) throw new MissingSaltKeyException(field);
            out.put(field, cipher.encrypt(params.get(field).asText()));
        }
        return out;
    }

    /** A copy with every encrypted value decrypted; {@link WrongKeyException} when that fails. */
    public static ObjectNode decryptSecrets(ObjectNode params, CredentialCipher cipher) {
        ObjectNode out = params.deepCopy();
        for (Map.Entry<String, JsonNode> f : params.properties()) {
            JsonNode v = f.getValue();
            if (v.isTextual() && SecretParams.isEncrypted(v.asText())) {
                if (cipher == null) {
                    throw new WrongKeyException("litellm_params." + f.getKey() + " is encrypted but no salt key is set");
                }
                out.put(f.getKey(), cipher.decrypt(v.asText()));
            }
        }
        return out;
    }

    /** A literal credential was to be stored but no GATEWAY_SALT_KEY is configured. */
    public static final class MissingSaltKeyException extends RuntimeException {
        private final String field;

        public MissingSaltKeyException(String field) {
            super("litellm_params." + field + " cannot be stored: GATEWAY_SALT_KEY is not set, and provider credentials are "
                    + "only stored encrypted. Run ./ai-gateway setup (it creates one) or set GATEWAY_SALT_KEY in .env and restart; "
                    + ("api_base".equals(field)
                        ? "or write api_base without user:password@ and query string (the key goes in api_key)."
                        : "or pass the credential as os.environ/NAME (a variable listed in general_settings.runtime_model_env_vars)."),
                    null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
