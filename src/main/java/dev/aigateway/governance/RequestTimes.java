package dev.aigateway.governance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Times and dates taken from admin requests ({@code expires}, {@code start_date}, {@code end_date}): ISO-8601 in the
 * forms clients send, and only within {@link #EARLIEST} to {@link #LATEST}. ISO-8601 itself reaches year
 * +/-999999999, where converting to epoch milliseconds (what the database and the limiter keep) overflows; a
 * time outside the range is refused like a malformed one, with a 400 naming the parameter.
 */
public final class RequestTimes {
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    /** The range as people read it, for error messages. */
    public static final String RANGE = "between 1970-01-01 and 9999-12-31";

    private RequestTimes() {}

    /**
     * An instant ({@code 2030-01-31T00:00:00Z}), a time with an offset ({@code ...+02:00}), or a local time read as UTC
     * ({@code 2030-01-31T00:00:00} or, as LiteLLM's UI sends it, {@code 2030-01-31 00:00:00}); null when it is none of
     * these or lies outside the range.
     */
    public static Instant instant(String v) {
        Instant t = parse(v);
        return t == null || t.isBefore(EARLIEST) || t.isAfter(LATEST) ? null : t;
    }

    /** A date {@code YYYY-MM-DD} within the range, or null. */
    public static LocalDate date(String v) {
        try {
            LocalDate d = LocalDate.parse(v);
            Instant start = d.atStartOfDay(ZoneOffset.UTC).toInstant();
            return start.isBefore(EARLIEST) || start.isAfter(LATEST) ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant parse(String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
