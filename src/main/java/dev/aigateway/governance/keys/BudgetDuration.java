package dev.aigateway.governance.keys;

import dev.aigateway.error.GatewayException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A budget window or key lifetime in LiteLLM's notation: a positive number and a unit, {@code 30s},
 * {@code 30m} (also {@code 30min}), {@code 30h}, {@code 30d}, {@code 2w} or {@code 1mo}. A window starts
 * when it is set and the next one starts {@link #after} that instant; months are calendar months in UTC
 * (Jan 31 + 1mo = Feb 28/29), everything else a fixed number of seconds.
 *
 * @param text   the notation as given (stored as-is in {@code budget_duration})
 * @param amount how many units
 * @param unit   which unit
 */
public record BudgetDuration(String text, long amount, Unit unit) {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(s|m|min|h|d|w|mo)");

    public enum Unit { SECONDS, MINUTES, HOURS, DAYS, WEEKS, MONTHS }

    /** Parses {@code text}; anything else is a 400 naming {@code field}. */
    public static BudgetDuration parse(String text, String field) {
        Matcher m = text == null ? null : FORMAT.matcher(text.strip());
        if (m == null || !m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw GatewayException.badRequest("'" + field + "' must be a positive number followed by a unit: s, m, h, d, w or mo "
                    + "(e.g. \"30s\", \"30m\", \"30h\", \"30d\", \"1mo\"), not " + (text == null ? "null" : "'" + text + "'") + ".", field);
        }
        Unit unit = switch (m.group(2)) {
            case "s" -> Unit.SECONDS;
            case "m", "min" -> Unit.MINUTES;
            case "h" -> Unit.HOURS;
            case "d" -> Unit.DAYS;
            case "w" -> Unit.WEEKS;
            default -> Unit.MONTHS;
        };
        return new BudgetDuration(text.strip(), Long.parseLong(m.group(1)), unit);
    }

    /** The end of a window that starts at {@code from}. */
    public Instant after(Instant from) {
        return switch (unit) {
            case SECONDS -> from.plus(Duration.ofSeconds(amount));
            case MINUTES -> from.plus(Duration.ofMinutes(amount));
            case HOURS -> from.plus(Duration.ofHours(amount));
            case DAYS -> from.plus(Duration.ofDays(amount));
            case WEEKS -> from.plus(Duration.ofDays(7 * amount));
            case MONTHS -> from.atZone(ZoneOffset.UTC).plusMonths(amount).toInstant();
        };
    }
}
