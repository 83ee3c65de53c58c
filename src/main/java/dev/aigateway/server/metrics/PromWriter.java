package dev.aigateway.server.metrics;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): a {@code # HELP} and {@code # TYPE} line per
 * metric family, then its samples. Counters are named with their {@code _total} suffix, as the Python client
 * LiteLLM uses exposes them, so queries written against LiteLLM work unchanged.
 */
public final class PromWriter {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(16 * 1024);

    /** Starts a family: {@code type} is counter, gauge, histogram or summary. */
    public PromWriter family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') out.append("\\\\");
            else if (c == '\n') out.append("\\n");
            else out.append(c);
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    public PromWriter sample(String name, double value) {
        return sample(name, Labels.NONE, value);
    }

    public PromWriter sample(String name, Labels labels, double value) {
        out.append(name);
        labels.appendTo(out, null, null);
        out.append(' ');
        number(value);
        out.append('\n');
        return this;
    }

    /** The {@code _bucket}, {@code _sum} and {@code _count} samples of one histogram series. */
    public PromWriter histogram(String name, Labels labels, Histogram h) {
        double[] bounds = h.bounds();
        long[] cumulative = h.cumulative();
        for (int i = 0; i < cumulative.length; i++) {
            out.append(name).append("_bucket");
            labels.appendTo(out, "le", i < bounds.length ? format(bounds[i]) : "+Inf");
            out.append(' ').append(cumulative[i]).append('\n');
        }
        out.append(name).append("_sum");
        labels.appendTo(out, null, null);
        out.append(' ');
        number(h.sumSeconds());
        out.append('\n');
        out.append(name).append("_count");
        labels.appendTo(out, null, null);
        out.append(' ').append(cumulative[cumulative.length - 1]).append('\n');
        return this;
    }

    private void number(double v) {
        out.append(format(v));
    }

    static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * An immutable set of label names and values for one series; built once per series (not per request)
     * and rendered with escaping at scrape time.
     */
    public record Labels(String[] names, String[] values) {
        public static final Labels NONE = new Labels(new String[0], new String[0]);

        /** {@code Labels.of("model", "gpt-4o", "status_code", "200")}: names and values alternate; null values become "". */
        public static Labels of(String... namesAndValues) {
            int n = namesAndValues.length / 2;
            String[] names = new String[n];
            String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = namesAndValues[2 * i];
                String v = namesAndValues[2 * i + 1];
                values[i] = v == null ? "" : v;
            }
            return new Labels(names, values);
        }

        /** These labels plus more (e.g. a status code next to a request series' labels). */
        public Labels with(String... namesAndValues) {
            Labels extra = of(namesAndValues);
            String[] names = java.util.Arrays.copyOf(this.names, this.names.length + extra.names.length);
            String[] values = java.util.Arrays.copyOf(this.values, this.values.length + extra.values.length);
            System.arraycopy(extra.names, 0, names, this.names.length, extra.names.length);
            System.arraycopy(extra.values, 0, values, this.values.length, extra.values.length);
            return new Labels(names, values);
        }

        void appendTo(StringBuilder out, String extraName, String extraValue) {
            if (names.length == 0 && extraName == null) return;
            out.append('{');
            for (int i = 0; i < names.length; i++) {
                if (i > 0) out.append(',');
                out.append(names[i]).append("=\"");
                escape(out, values[i]);
                out.append('"');
            }
            if (extraName != null) {
                if (names.length > 0) out.append(',');
                out.append(extraName).append("=\"").append(extraValue).append('"');
            }
            out.append('}');
        }

        private static void escape(StringBuilder out, String v) {
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '"' -> out.append("\\\"");
                    case '\n' -> out.append("\\n");
                    default -> out.append(c);
                }
            }
        }
    }
}
