package dev.aigateway.cli.litellm;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did (or, in a dry run, would do), per target table: rows imported, rows skipped because they are
 * there already, rows that failed with the reason. Reasons name the row (a key's alias and the end of its hash, a
 * model's name and id...) but never a secret. At most {@value #REASONS_SHOWN} reasons are kept per table; the count
 * is always complete.
 */
public final class ImportReport {
    static final int REASONS_SHOWN = 20;

    /** One table's counts. */
    public static final class Table {
        long imported;
        long skipped;
        long failed;
        final List<String> reasons = new ArrayList<>();

        public long imported() {
            return imported;
        }

        public long skipped() {
            return skipped;
        }

        public long failed() {
            return failed;
        }

        public List<String> reasons() {
            return List.copyOf(reasons);
        }
    }

    private final boolean apply;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public ImportReport(boolean apply) {
        this.apply = apply;
    }

    public Table table(String name) {
        return tables.computeIfAbsent(name, n -> new Table());
    }

    void imported(String table) {
        table(table).imported++;
    }

    void imported(String table, long n) {
        table(table).imported += n;
    }

    void skipped(String table) {
        table(table).skipped++;
    }

    void skipped(String table, long n) {
        table(table).skipped += n;
    }

    void failed(String table, String reason) {
        Table t = table(table);
        t.failed++;
        if (t.reasons.size() < REASONS_SHOWN) t.reasons.add(reason);
    }

    /** A remark about the import as a whole (a table LiteLLM's database does not have, ...). */
    void note(String text) {
        notes.add(text);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public long totalFailed() {
        return tables.values().stream().mapToLong(t -> t.failed).sum();
    }

    public void print(PrintStream out) {
        out.println();
        out.println(apply ? "Imported:" : "Dry run (nothing was written; run again with --apply to import):");
        out.printf("  %-22s %10s %14s %8s%n", "table", apply ? "imported" : "to import", "already there", "failed");
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            Table t = e.getValue();
            out.printf("  %-22s %10d %14d %8d%n", e.getKey(), t.imported, t.skipped, t.failed);
        }
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            Table t = e.getValue();
            if (t.failed == 0) continue;
            out.println();
            out.println(e.getKey() + ": " + t.failed + (apply ? " not imported:" : " cannot be imported:"));
            for (String r : t.reasons) out.println("  - " + r);
            if (t.failed > t.reasons.size()) out.println("  ... and " + (t.failed - t.reasons.size()) + " more");
        }
        if (!notes.isEmpty()) {
            out.println();
            for (String n : notes) out.println("Note: " + n);
        }
    }
}
