package dev.aigateway.cli.doctor;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Free space where data/ lives (the SQLite database, the log, the spend journal): the LiteLLM stack's "No space left on device".
 * Under 1 GB warns, under 100 MB fails.
 */
public final class DiskCheck implements Check {
    static final String NAME = "disk space";
    static final long WARN_BYTES = 1024L * 1024 * 1024;
    static final long FAIL_BYTES = 100L * 1024 * 1024;

    @Override
    public List<Finding> run(DoctorContext ctx) {
        Path dir = Files.isDirectory(ctx.workspace().dataDir()) ? ctx.workspace().dataDir() : ctx.workspace().home();
        long free;
        try {
            FileStore store = Files.getFileStore(dir);
            free = store.getUsableSpace();
        } catch (IOException e) {
            return List.of(Finding.warn(NAME, "cannot measure the free space of " + dir + ": " + e.getMessage(), "df -h " + dir));
        }
        String log = size(ctx.workspace().logFile());
        String message = human(free) + " free for " + dir + (log == null ? "" : " (gateway.log is " + log + ")");
        String fix = "free space on that disk (df -h " + dir + "; du -sh " + dir + "/*)"
                + (log == null ? "" : "; the log can be emptied with : > " + ctx.workspace().logFile());
        if (free < FAIL_BYTES) return List.of(Finding.fail(NAME, message + ": writes (spend logs, the database) will fail", fix));
        if (free < WARN_BYTES) return List.of(Finding.warn(NAME, message + ": under 1 GB", fix));
        return List.of(Finding.pass(NAME, message));
    }

    private static String size(Path file) {
        try {
            return Files.exists(file) ? human(Files.size(file)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String human(long bytes) {
        if (bytes >= 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
        if (bytes >= 1024L * 1024) return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
}
