package dev.aigateway.governance;

import dev.aigateway.error.GatewayException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks the caller's key without touching a database: the master key is compared by its SHA-256 hash
 * in constant time. With no master key configured the gateway runs open (as LiteLLM does) and every
 * caller is an admin: start-up warns about it.
 */
public final class Authenticator {
    private final byte[] masterKeyHash;

    public Authenticator(String masterKey) {
        this.masterKeyHash = masterKey == null ? null : sha256(masterKey);
    }

    public boolean enabled() {
        return masterKeyHash != null;
    }

    /** The principal for a presented key (null when none was sent); 401 when it is not valid. */
    public Principal authenticate(String presentedKey) {
        if (masterKeyHash == null) return Principal.ANONYMOUS_ADMIN;
        if (presentedKey == null || presentedKey.isBlank()) {
            throw GatewayException.invalidKey("No API key provided. Send it as 'Authorization: Bearer sk-...'.");
        }
        byte[] hash = sha256(presentedKey);
        if (MessageDigest.isEqual(hash, masterKeyHash)) {
            return new Principal(HexFormat.of().formatHex(hash), "master-key", true);
        }
        throw GatewayException.invalidKey("Invalid API key: it is not the master key or a known virtual key.");
    }

    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
