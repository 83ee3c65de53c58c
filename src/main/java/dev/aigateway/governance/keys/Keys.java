package dev.aigateway.governance.keys;

import dev.aigateway.governance.Authenticator;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Making and naming virtual keys. A key is {@code sk-} followed by 48 characters drawn uniformly from
 * the 62 letters and digits by a CSPRNG (about 285 bits), so it cannot be guessed; only its SHA-256 is
 * stored. The display name ({@code sk-...abcd}, LiteLLM's {@code key_name}) keeps the last four
 * characters so people can tell keys apart without the key being recoverable.
 */
public final class Keys {
    public static final String PREFIX = "sk-";
    public static final int RANDOM_CHARS = 48;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    /** A new random key. */
    public static String generate() {
        StringBuilder sb = new StringBuilder(PREFIX.length() + RANDOM_CHARS).append(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) sb.append(BASE62[RANDOM.nextInt(BASE62.length)]); // nextInt(n) is unbiased
        return sb.toString();
    }

    /** {@code sk-...abcd}: safe to show and log. */
    public static String displayName(String key) {
        return PREFIX + "..." + key.substring(Math.max(0, key.length() - 4));
    }

    /** How a key is stored and looked up. */
    public static String hash(String key) {
        return Authenticator.hash(key);
    }

    /** Whether a string is a stored key hash (64 lower-case hex digits) rather than a key. */
    public static boolean isHash(String s) {
        return s != null && HASH.matcher(s).matches();
    }
}
