package dev.aigateway.cli.doctor;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recent trouble in data/gateway.log (its last {@value #LINES} lines), one line per kind found ({@link LogPattern}):
 * how often, when last, an example, what it means and the fix. Past trouble warns; the other checks say whether it
 * is still there.
 */
public final class LogPatternsCheck implements Check {
    static final String NAME = "log";
    static final int LINES = 2000;
    static final String DOCTOR_PROBE = "access - " + DoctorContext.REQUEST_ID_PREFIX;
    /** Enough bytes for 2,000 access-log lines; a longer tail is not read. */
    private static final int MAX_BYTES = 2 * 1024 * 1024;

    @Override
    public List<Finding> run(DoctorContext ctx) {
        Path log = ctx.workspace().logFile();
        if (!Files.isRegularFile(log)) return List.of(Finding.pass(NAME, "no log yet (" + log + " is written by ./ai-gateway start)"));
        List<String> lines;
        try {
            lines = tail(log, LINES);
        } catch (IOException e) {
            return List.of(Finding.warn(NAME, "cannot read " + log + ": " + e.getMessage(), "chmod u+r " + log));
        }
        Map<LogPattern, List<String>> hits = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.contains(DOCTOR_PROBE)) continue; // the doctor's own requests, e.g. a key it found refused
            for (LogPattern p : LogPattern.ALL) {
                if (p.matches(line)) {
                    hits.computeIfAbsent(p, k -> new ArrayList<>()).add(line);
                    break;
                }
            }
        }
        if (hits.isEmpty()) return List.of(Finding.pass(NAME, "no known error patterns in the last " + lines.size() + " lines of data/gateway.log"));
        List<Finding> out = new ArrayList<>();
        hits.forEach((p, matched) -> {
            String last = matched.get(matched.size() - 1);
            out.add(Finding.warn(NAME, matched.size() + "x " + p.meaning() + "; last: " + shorten(last), p.fix()));
        });
        return out;
    }

    static List<String> tail(Path file, int n) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - MAX_BYTES);
            byte[] buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
            List<String> all = new ArrayList<>(Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\r?\n")));
            if (from > 0 && !all.isEmpty()) all.remove(0); // a partial first line
            return all.subList(Math.max(0, all.size() - n), all.size());
        }
    }

    private static String shorten(String line) {
        String s = line.strip();
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
