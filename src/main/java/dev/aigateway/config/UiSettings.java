package dev.aigateway.config;

import dev.aigateway.core.ConfigException;

import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin UI's settings, read at start-up through the same resolver as {@code os.environ/NAME} references (process
 * environment, then {@code .env}, then config.yaml's {@code environment_variables}); a bad value stops start-up
 * naming the variable:
 * <ul>
 *   <li>{@code UI_USERNAME} / {@code UI_PASSWORD}: a login besides the master key (both must be set)</li>
 *   <li>{@code UI_SESSION_IDLE_TIMEOUT}: how long a session lives without use, e.g. {@code 12h}, {@code 30m},
 *       {@code 3600} (seconds); default 12 h</li>
 *   <li>{@code UI_LOGIN_ATTEMPTS_PER_MINUTE}: login attempts allowed per client address and minute; default 10</li>
 * </ul>
 */
public record UiSettings(String masterKey, String username, String password, Duration idleTimeout, int loginAttemptsPerMinute) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(12);
    public static final int DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE = 10;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|min|h|d)?");

    static UiSettings parse(String masterKey, UnaryOperator<String> env) {
        String user = blankToNull(env.apply("UI_USERNAME"));
        String pass = blankToNull(env.apply("UI_PASSWORD"));
        if (user == null || pass == null) {
            user = null;
            pass = null;
        }
        return new UiSettings(masterKey, user, pass, duration(env.apply("UI_SESSION_IDLE_TIMEOUT")),
                attempts(env.apply("UI_LOGIN_ATTEMPTS_PER_MINUTE")));
    }

    /** Whether a username/password login is configured (besides the master key). */
    public boolean passwordLogin() {
        return username != null;
    }

    /** Without a master key the gateway is open (every caller is an admin) and the UI needs no login. */
    public boolean open() {
        return masterKey == null;
    }

    static Duration duration(String text) {
        String t = blankToNull(text);
        if (t == null) return DEFAULT_IDLE_TIMEOUT;
        Matcher m = DURATION.matcher(t.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw new ConfigException("UI_SESSION_IDLE_TIMEOUT must be a positive number of seconds or a number with a unit "
                    + "(30m, 12h, 1d), not '" + text + "'.");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static int attempts(String text) {
        String t = blankToNull(text);
        if (t == null) return DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE;
        try {
            int n = Integer.parseInt(t.strip());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("UI_LOGIN_ATTEMPTS_PER_MINUTE must be a positive whole number, not '" + text + "'.");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "UiSettings[passwordLogin=" + passwordLogin() + ", idleTimeout=" + idleTimeout + "]"; // never the secrets
    }
}
