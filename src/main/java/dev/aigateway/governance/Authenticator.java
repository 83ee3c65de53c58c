package dev.aigateway.governance;

import dev.aigateway.core.GatewayException;
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
 *
 * <p>Wrong keys are throttled per client address ({@code general_settings.invalid_key_attempts_per_minute}): past the
 * limit, every request with a key from that address gets 429 until the minute ends, checked before the key is, so a
 * right guess does not get through either. The hot path pays one volatile read while no address is over its limit.
 */
public final class Authenticator {
    private final String masterKeyHash;
    private final KeyRegistry keys;
    private final Clock clock;
    private final AddressThrottle invalidKeys;
    private final UserRoles roles;

    public Authenticator(String masterKey, KeyRegistry keys, Clock clock) {
        this(masterKey, keys, clock, 0, UserRoles.NONE);
    }

    /**
     * @param invalidKeysPerMinute wrong keys a client address may send a minute; 0 turns the throttle off
     * @param roles                the roles of the users keys belong to
     */
    public Authenticator(String masterKey, KeyRegistry keys, Clock clock, int invalidKeysPerMinute, UserRoles roles) {
        this.masterKeyHash = masterKey == null ? null : hash(masterKey);
        this.keys = keys;
        this.clock = clock;
        this.invalidKeys = new AddressThrottle(invalidKeysPerMinute, clock::millis);
        this.roles = roles;
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
        String role = k.userId() == null ? null : roles.roleOf(k.userId());
        return new Principal(h, k.label(), k.isAdmin() || UserRoles.PROXY_ADMIN.equals(role), k, UserRoles.PROXY_ADMIN_VIEWER.equals(role));
    }

    /** Whether some client address may be over its limit of wrong keys now (cheap: callers skip the rest when not). */
    public boolean throttling() {
        return invalidKeys.anyWaiting();
    }

    /** 429 when {@code client} sent too many wrong keys this minute. */
    public void checkThrottle(String client) {
        long wait = invalidKeys.waiting(client);
        if (wait > 0) throw tooManyInvalidKeys(wait);
    }

    /** Whether wrong keys are counted at all. */
    public boolean countsInvalidKeys() {
        return invalidKeys.enabled();
    }

    /**
     * Counts a refused key ({@code refusal}, a 401) from {@code client}; returns what to answer: the refusal, or the 429
     * once the address is over its limit.
     */
    public GatewayException invalidKeyFrom(String client, GatewayException refusal) {
        long wait = invalidKeys.count(client);
        return wait > 0 ? tooManyInvalidKeys(wait) : refusal;
    }

    private static GatewayException tooManyInvalidKeys(long wait) {
        return GatewayException.rateLimited("Too many requests with an invalid API key from your address. Try again in " + wait
                + " s, with a valid key.", wait);
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
