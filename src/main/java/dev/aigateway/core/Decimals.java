package dev.aigateway.core;

import java.util.regex.Pattern;

/**
 * Numbers written as text in configuration and headers. {@link Double#parseDouble} also takes Java's own forms
 * ({@code "5d"}, {@code "1f"}, {@code "0x1p3"}, {@code "Infinity"}), so {@code timeout: "5d"} would silently mean five
 * seconds; only plain decimals (an optional sign, digits, a fraction, an exponent) are numbers here.
 */
public final class Decimals {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private Decimals() {}

    /** The value of a plain decimal (surrounding spaces ignored); {@link NumberFormatException} for anything else. */
    public static double parse(String text) {
        String t = text.strip();
        if (!DECIMAL.matcher(t).matches()) throw new NumberFormatException("not a decimal number: " + t);
        return Double.parseDouble(t);
    }
}
