package dev.aigateway.provider.vertex;

/**
 * An OAuth access token and when to stop using it: before it expires, by a margin of up to five minutes (half its
 * life for short-lived tokens), so no call leaves with a token that dies on the way.
 */
record AccessToken(String value, long refreshAtMillis) {
    private static final long MAX_MARGIN_MS = 300_000;

    static AccessToken issued(String value, long expiresInSeconds, long nowMillis) {
        long lifeMs = Math.max(0, expiresInSeconds) * 1000;
        return new AccessToken(value, nowMillis + lifeMs - Math.min(MAX_MARGIN_MS, lifeMs / 2));
    }

    boolean fresh(long nowMillis) {
        return nowMillis < refreshAtMillis;
    }

    @Override
    public String toString() {
        return "AccessToken[refreshAt=" + refreshAtMillis + "]"; // never the token
    }
}
