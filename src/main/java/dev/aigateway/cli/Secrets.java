package dev.aigateway.cli;

import java.security.SecureRandom;

/** Random secrets for .env: keys are {@code sk-} + base62 characters from a CSPRNG. */
public final class Secrets {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    public static String randomBase62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
        return new String(out);
    }

    public static String newKey() {
        return "sk-" + randomBase62(48);
    }
}
