package dev.aigateway.governance;

import dev.aigateway.core.GatewayException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A budget window length in LiteLLM's notation: {@code 30s}, {@code 30m}, {@code 30h}, {@code 30d},
 * {@code 2w}, {@code 1mo}, {@code 1y}. Seconds to weeks are fixed lengths; months and years are
 * calendar steps in UTC (adding a month to Jan 31 gives Feb 28), so a "1mo" budget resets on the same
 * day of each month.
 *
 * <p>Two ways to place windows: {@link #nextEnd} continues from a known window end (a key's
 * {@code budget_reset_at}), skipping windows nobody used; {@link #alignedEnd} places them on the
 * epoch (UTC midnight for days, the 1st for months), which every instance computes alike without
 * having to store anything (used for per-model budgets).
 */
public record BudgetDuration(long amount, Unit unit) {
    public enum Unit { SECONDS, MINUTES, HOURS, DAYS, WEEKS, MONTHS, YEARS }

    /** LiteLLM's notation: a number of at most 9 digits and a unit, nothing between them. */
    private static final Pattern FORMAT = Pattern.compile("^(\\d{1,9})(s|m|min|h|d|w|mo|y)$");
    /**
     * The longest window or lifetime: a century. Longer ones mean "never" (leave the field out), and a time that far
     * ahead leaves the range dates are kept in (9999 A.D.; ISO years beyond 999,999,999 cannot be computed at all).
     */
    public static final int MAX_YEARS = 100;
    private static final long MAX_FIXED_MILLIS = MAX_YEARS * 366L * 86_400_000L;

    public BudgetDuration {
        if (amount <= 0) throw new IllegalArgumentException("budget duration must be positive");
    }

    /** Parses {@code 30s}, {@code 30m}, {@code 30h}, {@code 30d}, {@code 1mo}...; null for null or blank. */
    public static BudgetDuration parse(String text) {
        if (text == null || text.isBlank()) return null;
        Matcher m = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw new IllegalArgumentException("must be a positive number followed by a unit: s, m, h, d, w, mo or y (e.g. \"30s\", \"30m\", \"30h\", \"30d\", \"1mo\"), not '" + shown(text) + "'");
        }
        long n = Long.parseLong(m.group(1));
        Unit u = switch (m.group(2)) {
            case "s" -> Unit.SECONDS;
            case "m", "min" -> Unit.MINUTES;
            case "h" -> Unit.HOURS;
            case "d" -> Unit.DAYS;
            case "w" -> Unit.WEEKS;
            case "mo" -> Unit.MONTHS;
            default -> Unit.YEARS;
        };
        BudgetDuration d = new BudgetDuration(n, u);
        boolean tooLong = switch (u) {
            case MONTHS -> n > MAX_YEARS * 12L;
            case YEARS -> n > MAX_YEARS;
            default -> d.fixedMillis() > MAX_FIXED_MILLIS; // at most 9 digits of weeks: no overflow
        };
        if (tooLong) throw new IllegalArgumentException("must be at most " + MAX_YEARS + " years (e.g. \"30d\", \"12mo\"; \"" + MAX_YEARS + "y\" is the longest), not '" + shown(text) + "'");
        return d;
    }

    /** Parses a request field; anything else (null included) is a 400 naming {@code field}. */
    public static BudgetDuration parse(String text, String field) {
        try {
            BudgetDuration d = parse(text);
            if (d != null) return d;
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest("'" + field + "' " + e.getMessage() + ".", field);
        }
        throw GatewayException.badRequest("'" + field + "' must be a duration such as \"30d\" or \"1mo\", not null.", field);
    }

    /** The notation, normalised ({@code 30min} becomes {@code 30m}): what is stored in budget_duration. */
    public String text() {
        return toString();
    }

    /** Null instead of an exception for a value that does not parse (keys in the database were validated on input). */
    public static BudgetDuration parseOrNull(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    boolean calendar() {
        return unit == Unit.MONTHS || unit == Unit.YEARS;
    }

    /** The fixed length in milliseconds (seconds to weeks only). */
    long fixedMillis() {
        long unitMs = switch (unit) {
            case SECONDS -> 1_000L;
            case MINUTES -> 60_000L;
            case HOURS -> 3_600_000L;
            case DAYS -> 86_400_000L;
            case WEEKS -> 7 * 86_400_000L;
            default -> throw new IllegalStateException("calendar unit");
        };
        return Math.multiplyExact(amount, unitMs);
    }

    /** One window after {@code end}. */
    public Instant after(Instant end) {
        if (!calendar()) return end.plusMillis(fixedMillis());
        ZonedDateTime z = end.atZone(ZoneOffset.UTC);
        return (unit == Unit.MONTHS ? z.plusMonths(amount) : z.plusYears(amount)).toInstant();
    }

    /**
     * The end of the window that contains {@code now}, continuing from a past window end: the first
     * {@code end + k * duration} (k >= 0) that is after {@code now}. Windows in which nothing happened are
     * skipped, not replayed.
     */
    public Instant nextEnd(Instant end, Instant now) {
        if (now.isBefore(end)) return end;
        if (!calendar()) {
            long len = fixedMillis();
            long k = (now.toEpochMilli() - end.toEpochMilli()) / len + 1;
            return end.plusMillis(Math.multiplyExact(k, len));
        }
        ZonedDateTime start = end.atZone(ZoneOffset.UTC);
        long step = 1;
        // months/years: at most a few hundred iterations even after decades without traffic
        while (true) {
            ZonedDateTime next = unit == Unit.MONTHS ? start.plusMonths(amount * step) : start.plusYears(amount * step);
            if (next.toInstant().isAfter(now)) return next.toInstant();
            step++;
        }
    }

    /** The end of the epoch-aligned window containing {@code now} (UTC). */
    public Instant alignedEnd(Instant now) {
        if (!calendar()) {
            long len = fixedMillis();
            return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), len) * len + len);
        }
        ZonedDateTime z = now.atZone(ZoneOffset.UTC);
        long months = (z.getYear() - 1970L) * 12 + (z.getMonthValue() - 1);
        long per = unit == Unit.MONTHS ? amount : amount * 12;
        long startMonths = Math.floorDiv(months, per) * per;
        ZonedDateTime start = ZonedDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMonths(startMonths);
        return start.plusMonths(per).toInstant();
    }

    @Override
    public String toString() {
        String u = switch (unit) {
            case SECONDS -> "s";
            case MINUTES -> "m";
            case HOURS -> "h";
            case DAYS -> "d";
            case WEEKS -> "w";
            case MONTHS -> "mo";
            case YEARS -> "y";
        };
        return amount + u;
    }

    /** The client's text as errors echo it: bounded, so a megabyte of input is not a megabyte of answer. */
    private static String shown(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
