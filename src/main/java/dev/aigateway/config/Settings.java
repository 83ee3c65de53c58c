package dev.aigateway.config;

import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Decimals;

import java.util.Map;

/**
 * The layered key/value sources of the documented precedence, highest first: command-line flags, the
 * process environment, the {@code .env} file. (config.yaml and defaults come after, in {@link ConfigLoader}.)
 * The typed readers here are the one set of rules for numbers in variables: a value outside its range stops
 * start-up with a message naming the variable and the range, never a silent fallback to the default.
 */
public record Settings(Map<String, String> flags, Map<String, String> environment, Map<String, String> dotEnv) {

    /** The first value found for any of the names, searching each layer in order of precedence. */
    public String get(String... names) {
        for (Map<String, String> layer : new Map[]{flags, environment, dotEnv}) {
            for (String n : names) {
                String v = layer.get(n);
                if (v != null && !v.isBlank()) return v;
            }
        }
        return null;
    }

    /** Resolves {@code os.environ/NAME} (LiteLLM's indirection) against the environment, then .env. */
    public String env(String name) {
        String v = environment.get(name);
        return v != null ? v : dotEnv.get(name);
    }

    /**
     * The same sources without {@code .env}: for the variables the launcher exports from its resource profile, where a
     * {@code .env} value would lose to the launcher's default without a word.
     */
    public Settings withoutDotEnv() {
        return new Settings(flags, environment, Map.of());
    }

    /** A whole number from {@code min} to {@code max} under the first of {@code names} that is set, else {@code dflt}. */
    public int wholeNumber(int dflt, int min, int max, String... names) {
        String v = get(names);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(String.join(" / ", names) + " must be a whole number from " + min + " to " + max + ", not '" + v + "'.");
    }

    /** A number of {@code unit} from {@code min} to {@code max} (decimals allowed), else {@code dflt}. */
    public double number(double dflt, double min, double max, String unit, String... names) {
        String v = get(names);
        if (v == null) return dflt;
        double d;
        try {
            d = Decimals.parse(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= min && d <= max)) { // NaN fails too
            throw new ConfigException(String.join(" / ", names) + " must be a number of " + unit + " from " + format(min) + " to "
                    + format(max) + ", not '" + v + "'.");
        }
        return d;
    }

    static String format(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
