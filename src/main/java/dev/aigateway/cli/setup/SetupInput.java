package dev.aigateway.cli.setup;

import dev.aigateway.cli.BudgetProfile;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation of what {@code setup} is given, each method returning the normalised value or throwing an
 * {@link IllegalArgumentException} whose message says what is allowed (the LiteLLM setup scripts' "Invalid port range",
 * "Invalid budget profile" cases, caught before they reach .env).
 */
public final class SetupInput {
    public static final List<String> RESOURCE_PROFILES = List.of("small", "medium", "large");
    public static final String DEFAULT_DATABASE_URL = "sqlite:./data/gateway.db";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");

    private SetupInput() {}

    /** 1024-65535: lower ports need root, and LiteLLM's setup scripts refuse them too. */
    public static int port(String value) {
        try {
            int p = value == null ? 0 : Integer.parseInt(value.strip());
            if (p >= 1024 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // falls through to the message
        }
        throw new IllegalArgumentException("Invalid port range: the port must be a number from 1024 to 65535, not '" + value + "'.");
    }

    public static String host(String value) {
        String h = value == null ? "" : value.strip();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.isEmpty() || !HOST.matcher(h).matches()) {
            throw new IllegalArgumentException("Invalid host '" + value + "': give an address to listen on, e.g. 127.0.0.1 (this machine only) "
                    + "or 0.0.0.0 (every interface).");
        }
        return h;
    }

    public static String budgetProfile(String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(
                "Invalid budget profile: must be one of " + BudgetProfile.allowed() + ".");
        try {
            return BudgetProfile.parse(value).id();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid budget profile '" + value + "': must be one of " + BudgetProfile.allowed() + ".");
        }
    }

    public static String resourceProfile(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (!RESOURCE_PROFILES.contains(v)) {
            throw new IllegalArgumentException("Invalid resource profile '" + value + "': must be one of " + String.join(", ", RESOURCE_PROFILES)
                    + " (small: up to ~2 GB of RAM, medium: 4 GB, large: 8 GB and more).");
        }
        return v;
    }

    /** sqlite:PATH or postgresql://[user[:password]@]host[:port]/db (postgres:// is accepted as LiteLLM does). */
    public static String databaseUrl(String value) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("sqlite:") && v.length() > "sqlite:".length()) return v;
        if (v.startsWith("postgresql://") || v.startsWith("postgres://")) {
            URI u = parse(v.replaceFirst("^postgres(ql)?://", "http://"), v);
            if (u.getHost() != null && !u.getHost().isBlank()) return v;
        }
        throw new IllegalArgumentException("Invalid DATABASE_URL '" + redact(v) + "': use sqlite:PATH (e.g. " + DEFAULT_DATABASE_URL
                + ") or postgresql://user:password@host:5432/dbname.");
    }

    /** redis://[:password@]host[:port][/db] or rediss:// (TLS). */
    public static String redisUrl(String value) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("redis://") || v.startsWith("rediss://")) {
            URI u = parse(v.replaceFirst("^rediss?://", "http://"), v);
            if (u.getHost() != null && !u.getHost().isBlank()) return v;
        }
        throw new IllegalArgumentException("Invalid REDIS_URL '" + redact(v) + "': use redis://host:6379 (or rediss:// for TLS, "
                + "redis://:password@host:6379 with a password).");
    }

    /** A master key the user typed: LiteLLM's rule, sk- and something after it. */
    public static String masterKey(String value) {
        String v = value == null ? "" : value.strip();
        if (!v.startsWith("sk-") || v.length() < 8 || v.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("master key invalid: it must start with 'sk-' and have no spaces (leave it empty to generate one).");
        }
        return v;
    }

    /** The URL without its password, for messages. */
    public static String redact(String url) {
        return url == null ? "" : url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }

    private static URI parse(String candidate, String original) {
        try {
            return URI.create(candidate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid URL '" + redact(original) + "': " + e.getMessage()
                    + " (special characters in a password must be percent-encoded, e.g. @ as %40).");
        }
    }
}
