package dev.aigateway.server.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scraped /metrics page, parsed the way Prometheus reads it: families from {@code # TYPE} lines, samples as
 * name, labels and value. {@link #assertWellFormed()} checks the rules a scraper enforces.
 */
public record PrometheusText(String text, List<Sample> samples, Map<String, String> types) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {}

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                assertThat(types.put(p[2], p[3])).as("family %s declared once", p[2]).isNull();
                continue;
            }
            if (line.startsWith("#") || line.isEmpty()) continue;
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a valid sample line: %s", line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find()) {
                    assertThat(l.start()).as("labels of %s", line).isIn(end, end + 1);
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                    end = l.end();
                }
                assertThat(end).as("labels parse fully: %s", line).isEqualTo(m.group(3).length());
            }
            String v = m.group(4);
            double value = switch (v) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(v);
            };
            samples.add(new Sample(m.group(1), labels, value));
        }
        return new PrometheusText(text, samples, types);
    }

    /** Every sample belongs to the family declared just before it, and no (name, labels) repeats. */
    public void assertWellFormed() {
        String family = null;
        Set<String> seen = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                family = line.split(" ")[2];
                continue;
            }
            if (line.startsWith("#") || line.isEmpty()) continue;
            assertThat(family).as("a sample before any # TYPE: %s", line).isNotNull();
            String name = line.substring(0, line.indexOf(line.contains("{") ? '{' : ' '));
            assertThat(name).as("sample of family %s", family)
                    .matches(java.util.regex.Pattern.quote(family) + "(_bucket|_sum|_count)?");
            assertThat(seen.add(line.substring(0, line.lastIndexOf(' ')))).as("series appears once: %s", line).isTrue();
        }
    }

    /** The sum of the samples with this name whose labels include {@code labels} (name, value, name, value...). */
    public double sum(String name, String... labels) {
        return matching(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    List<Sample> matching(String name, String... labels) {
        List<Sample> out = new ArrayList<>();
        outer:
        for (Sample s : samples) {
            if (!s.name().equals(name)) continue;
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) continue outer;
            }
            out.add(s);
        }
        return out;
    }
}
