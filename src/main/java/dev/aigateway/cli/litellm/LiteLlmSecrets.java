package dev.aigateway.cli.litellm;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Opens the values LiteLLM stored encrypted under its salt key ({@code LITELLM_SALT_KEY}, or its master key when
 * none was set), in the three forms its releases wrote:
 * <ul>
 *   <li>no prefix: urlsafe base64 of PyNaCl's {@code nonce(24) | tag | ciphertext} (XSalsa20-Poly1305, {@link SecretBox}),
 *       key = SHA-256 of the salt key;</li>
 *   <li>{@code v2:gcm:}: urlsafe base64 of {@code nonce(12) | ciphertext | tag} (AES-256-GCM), key = SHA-256 of the salt key;</li>
 *   <li>{@code v3:gcm:}: the same with the key from HKDF-SHA256 (no salt, info {@code litellm-at-rest-v3}).</li>
 * </ul>
 */
public final class LiteLlmSecrets {
    private static final String V2 = "v2:gcm:";
    private static final String V3 = "v3:gcm:";
    private static final byte[] HKDF_INFO = "litellm-at-rest-v3".getBytes(StandardCharsets.UTF_8);
    /** nonce(24) + tag(16): the shortest PyNaCl box. */
    private static final int MIN_NACL_BYTES = SecretBox.NONCE_BYTES + SecretBox.TAG_BYTES;
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9_\\-+/]+={0,2}");

    private final SecretBox nacl;
    private final byte[] sha256Key;
    private final byte[] hkdfKey;

    public LiteLlmSecrets(String saltKey) {
        this.sha256Key = sha256(saltKey.getBytes(StandardCharsets.UTF_8));
        this.nacl = new SecretBox(sha256Key);
        this.hkdfKey = hkdf(saltKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The outcome of opening one stored value. */
    public sealed interface Opened {
        /** It was encrypted, and this key opened it. */
        record Plain(String value) implements Opened {}

        /** It is not in any of LiteLLM's encrypted forms: a literal, used as it is (as LiteLLM does). */
        record Literal(String value) implements Opened {}

        /** It is in an encrypted form, but this key does not open it (a different salt key, or a damaged value). */
        record WrongKey() implements Opened {}
    }

    public Opened open(String stored) {
        if (stored.startsWith(V3) || stored.startsWith(V2)) {
            byte[] raw = decode(stored.substring(V3.length()));
            String plain = raw == null ? null : gcm(stored.startsWith(V3) ? hkdfKey : sha256Key, raw);
            return plain == null ? new Opened.WrongKey() : new Opened.Plain(plain);
        }
        if (!BASE64.matcher(stored).matches()) return new Opened.Literal(stored);
        byte[] raw = decode(stored);
        if (raw == null || raw.length < MIN_NACL_BYTES) return new Opened.Literal(stored);
        byte[] plain = nacl.openCombined(raw);
        return plain == null ? new Opened.WrongKey() : new Opened.Plain(new String(plain, StandardCharsets.UTF_8));
    }

    /** PyNaCl's form of {@code plaintext} under this key (tests and fixtures write LiteLLM rows with it). */
    public String encryptLegacy(String plaintext, byte[] nonce) {
        byte[] boxed = nacl.seal(nonce, plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[nonce.length + boxed.length];
        System.arraycopy(nonce, 0, out, 0, nonce.length);
        System.arraycopy(boxed, 0, out, nonce.length, boxed.length);
        return Base64.getUrlEncoder().encodeToString(out);
    }

    /** LiteLLM's current {@code v3:gcm:} form of {@code plaintext} (for tests and fixtures). */
    public String encryptV3(String plaintext, byte[] nonce12) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hkdfKey, "AES"), new GCMParameterSpec(128, nonce12));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[12 + sealed.length];
            System.arraycopy(nonce12, 0, out, 0, 12);
            System.arraycopy(sealed, 0, out, 12, sealed.length);
            return V3 + Base64.getUrlEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static String gcm(byte[] key, byte[] raw) {
        if (raw.length < 12 + 16) return null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, raw, 0, 12));
            return new String(c.doFinal(raw, 12, raw.length - 12), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** urlsafe base64 (what LiteLLM writes), else the standard alphabet (what its oldest releases wrote); null when neither. */
    private static byte[] decode(String text) {
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HKDF-SHA256 (RFC 5869) with no salt (32 zero bytes) and one 32-byte block of output. */
    private static byte[] hkdf(byte[] ikm) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(HKDF_INFO);
            mac.update((byte) 1);
            byte[] okm = mac.doFinal();
            Arrays.fill(prk, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
