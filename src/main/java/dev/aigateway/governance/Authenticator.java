package dev.aigateway.governance;

import dev.aigateway.error.GatewayException;
import dev.aigateway.governance.keys.KeyRegistry;
import dev.aigateway.governance.keys.VirtualKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Checks the caller's key without touching a database: the key is hashed (SHA-256) and looked up among
 * the master key and the virtual keys held in memory. With no master key configured the gateway runs
 * open (as LiteLLM does) and every caller is an admin: start-up warns about it.
 */
public final class Authenticator {
    private final String masterKeyHash;
    private final KeyRegistry keys;
    private final Clock clock;

    public Authenticator(String masterKey, KeyRegistry keys, Clock clock) {
        this.masterKeyHash = masterKey == null ? null : hash(masterKey);
        this.keys = keys;
        this.clock = clock;
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
        String h = hash(presentedKey);
        if (MessageDigest.isEqual(h.getBytes(StandardCharsets.US_ASCII), masterKeyHash.getBytes(StandardCharsets.US_ASCII))) {
            return new Principal(h, "master-key", true, null);
        }
        VirtualKey k = keys == null ? null : keys.find(h);
        if (k == null) throw GatewayException.invalidKey("Invalid API key: it is not the master key or a known virtual key.");
        if (k.blocked()) throw GatewayException.invalidKey("This key (" + k.label() + ") is blocked. An admin can unblock it with /key/unblock.");
        if (k.expired(clock.instant())) throw GatewayException.invalidKey("This key (" + k.label() + ") expired at " + k.expiresAt() + ".");
        return new Principal(h, k.label(), k.isAdmin(), k);
    }

    /** SHA-256 of a key, lower-case hex: how keys are stored and looked up. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
