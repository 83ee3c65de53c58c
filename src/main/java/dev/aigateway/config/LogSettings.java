package dev.aigateway.config;

import dev.aigateway.core.ConfigException;

import java.util.List;
import java.util.Locale;

/**
 * How the server logs: the root level and the line format.
 *
 * <p>Logging starts before any configuration exists (logback finds its configurator through the ServiceLoader when
 * the first logger is made), so it is read twice, by one set of names: {@link #levelBeforeConfig()} gives logback's
 * configurator the level of the process environment, and a value it cannot read means INFO for those first moments;
 * then {@link ConfigLoader} reads both settings with the usual precedence (flags, environment, {@code .env}), a bad
 * value stops start-up naming the variable, and {@code run} applies the result before the server logs its first line.
 *
 * @param level  {@code GATEWAY_LOG_LEVEL}: one of {@link #LEVELS} (any case), default INFO
 * @param format {@code --log-format}, {@code GATEWAY_LOG_FORMAT} or {@code LOG_FORMAT}: text (default; {@code plain}
 *               too) or json
 */
public record LogSettings(String level, Format format) {
    public enum Format { TEXT, JSON }

    /** logback's level names. */
    public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "ALL");
    public static final String DEFAULT_LEVEL = "INFO";
    public static final LogSettings DEFAULTS = new LogSettings(DEFAULT_LEVEL, Format.TEXT);

    public static LogSettings parse(Settings s) {
        return new LogSettings(level(s.get("GATEWAY_LOG_LEVEL")), format(s.get("GATEWAY_LOG_FORMAT", "LOG_FORMAT")));
    }

    /**
     * The level for the lines logged before the configuration is loaded: {@code GATEWAY_LOG_LEVEL} of the process
     * environment, or INFO when it is unset or not a level (the configuration that follows reports it).
     */
    public static String levelBeforeConfig() {
        try {
            return level(System.getenv("GATEWAY_LOG_LEVEL"));
        } catch (ConfigException e) {
            return DEFAULT_LEVEL;
        }
    }

    static String level(String value) {
        if (value == null || value.isBlank()) return DEFAULT_LEVEL;
        String name = value.strip().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(name)) {
            throw new ConfigException("GATEWAY_LOG_LEVEL must be one of " + String.join(", ", LEVELS) + ", not '" + value + "'.");
        }
        return name;
    }

    /** The format a setting names; a ConfigException naming the setting for anything else. */
    public static Format format(String value) {
        if (value == null || value.isBlank()) return Format.TEXT;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text", "plain" -> Format.TEXT;
            case "json" -> Format.JSON;
            default -> throw new ConfigException("--log-format (or GATEWAY_LOG_FORMAT / LOG_FORMAT) must be 'text' or 'json', not '"
                    + value + "'.");
        };
    }
}
