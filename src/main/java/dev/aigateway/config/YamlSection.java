package dev.aigateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Decimals;
import dev.aigateway.core.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of config.yaml ({@code general_settings}), read with one set of rules so that a key means the same
 * wherever the gateway uses it. Every reader returns the default for an absent or {@code null} key, and throws a
 * {@link ConfigException} naming {@code section.key} for a value it cannot read; none falls back silently.
 *
 * <p>Booleans: {@code true}/{@code false}, and {@code yes}/{@code no}, {@code on}/{@code off} (any case, quoted or
 * not). LiteLLM loads config.yaml with a YAML 1.1 parser, for which unquoted {@code yes} and {@code on} are booleans;
 * the YAML parser here reads them as text, so they are accepted by name rather than taken as false. Numbers
 * ({@code 1}, {@code 0}) and anything else are refused: Python's truthiness is not a rule to copy.
 */
final class YamlSection {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d|w|mo|y)");
    private static final Pattern DIGITS = Pattern.compile("-?\\d{1,18}");

    private final String name;
    private final ObjectNode node;

    YamlSection(String name, ObjectNode node) {
        this.name = name;
        this.node = node == null ? Json.object() : node;
    }

    String path(String key) {
        return name + "." + key;
    }

    private JsonNode value(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String key) {
        return value(key) != null;
    }

    boolean bool(String key, boolean dflt) {
        JsonNode v = value(key);
        if (v == null) return dflt;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isTextual()) {
            switch (v.textValue().strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> {
                    return true;
                }
                case "false", "no", "off" -> {
                    return false;
                }
                default -> { /* reported below */ }
            }
        }
        throw new ConfigException(path(key) + " must be true or false (yes/no and on/off are read the same), not " + v + ".");
    }

    /** A whole number from min to max; written as a YAML integer or as digits in quotes. */
    long wholeNumber(String key, long dflt, long min, long max) {
        JsonNode v = value(key);
        if (v == null) return dflt;
        Long n = null;
        if (v.isIntegralNumber() && v.canConvertToLong()) n = v.longValue();
        else if (v.isTextual() && DIGITS.matcher(v.textValue().strip()).matches()) n = Long.parseLong(v.textValue().strip());
        if (n == null || n < min || n > max) {
            throw new ConfigException(path(key) + " must be a whole number from " + min + " to " + max + ", not " + v + ".");
        }
        return n;
    }

    /** A number of {@code unit} from min to max; written as a YAML number or in quotes. */
    double number(String key, double dflt, double min, double max, String unit) {
        JsonNode v = value(key);
        if (v == null) return dflt;
        double d = Double.NaN;
        if (v.isNumber()) d = v.doubleValue();
        else if (v.isTextual()) {
            try {
                d = Decimals.parse(v.textValue());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        if (!(d >= min && d <= max)) { // NaN fails too
            throw new ConfigException(path(key) + " must be a number of " + unit + " from " + Settings.format(min) + " to "
                    + Settings.format(max) + ", not " + v + ".");
        }
        return d;
    }

    /**
     * LiteLLM's duration strings: 30s, 30m, 30h, 30d, 2w, 1mo (30 days), 1y (365 days); a bare number is seconds.
     * Null when absent; zero and negative durations are refused.
     */
    Duration duration(String key) {
        JsonNode v = value(key);
        if (v == null) return null;
        Duration d = v.isIntegralNumber() && v.canConvertToLong() ? Duration.ofSeconds(v.longValue())
                : v.isTextual() ? parseDuration(v.textValue()) : null;
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ConfigException(path(key) + " must be a duration such as \"30d\", \"12h\" or \"1mo\" "
                    + "(units s, m, h, d, w, mo, y), not " + v + ".");
        }
        return d;
    }

    static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            case "mo" -> Duration.ofDays(30 * n);
            default -> Duration.ofDays(365 * n);
        };
    }

    /** A list of strings; a single string is taken as a comma-separated list. Empty when absent. */
    List<String> strings(String key) {
        JsonNode v = value(key);
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        if (v.isTextual()) return Arrays.asList(v.textValue().split(","));
        if (!v.isArray()) throw new ConfigException(path(key) + " must be a list of strings.");
        for (JsonNode e : v) {
            if (!e.isTextual()) throw new ConfigException(path(key) + " must be a list of strings, not " + e + ".");
            out.add(e.textValue());
        }
        return out;
    }

    /** A scalar as text (a number is taken as written); null when absent. A list or mapping is refused. */
    String text(String key) {
        JsonNode v = value(key);
        if (v == null) return null;
        if (!v.isValueNode()) throw new ConfigException(path(key) + " must be a single value, not a list or mapping.");
        return v.asText();
    }
}
