package dev.aigateway.governance.spend;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aigateway.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Spend rows that did not fit in memory while the database was away: append-only NDJSON files
 * ({@code spend-<millis>-<seq>.ndjson}, one {@link Spooled} row per line) in the spool directory. Files
 * are appended to and fsynced by the spend writer's thread only, sealed at {@link #FILE_ROWS} rows, and
 * replayed oldest first; a file is deleted only after every one of its rows has been committed (rows
 * replayed twice after a crash are skipped by their request id). Files left by an earlier run are found
 * at start-up and replayed too. A torn last line (a crash mid-write) is skipped with a warning.
 *
 * <p>Rows that the database refuses even on their own ({@link #reject}) go to {@code rejected-*.ndjson}
 * files, which are kept for an operator and never replayed.
 */
final class SpendSpool {
    private static final Logger LOG = LoggerFactory.getLogger(SpendSpool.class);
    static final int FILE_ROWS = 10_000;

    /** A spooled row and when it was first queued (for the queue's age). */
    record Spooled(long queuedAt, SpendRecord row) {}

    /** A sealed file being replayed. */
    record SpoolFile(Path path, List<Spooled> rows) {}

    private final Path dir;
    private final AtomicLong rows = new AtomicLong();
    private volatile long oldestQueuedAt;
    private Path current;
    private int currentRows;
    private long seq;

    SpendSpool(Path dir) {
        this.dir = dir;
        for (Path f : files()) {
            try {
                List<Spooled> r = read(f);
                rows.addAndGet(r.size());
                if (!r.isEmpty() && (oldestQueuedAt == 0 || r.get(0).queuedAt() < oldestQueuedAt)) oldestQueuedAt = r.get(0).queuedAt();
            } catch (IOException e) {
                LOG.warn("Spend log: cannot read spool file {} (will retry): {}", f, e.getMessage());
            }
        }
        if (rows.get() > 0) LOG.info("Spend log: {} rows spooled to {} by an earlier run will be written to the database.", rows.get(), dir);
    }

    Path dir() {
        return dir;
    }

    long rows() {
        return rows.get();
    }

    boolean isEmpty() {
        return rows.get() == 0;
    }

    /** Queue time of the oldest spooled row, 0 when none. */
    long oldestQueuedAt() {
        return rows.get() == 0 ? 0 : oldestQueuedAt;
    }

    /** Appends rows and forces them to disk before returning. */
    void append(List<Spooled> batch) throws IOException {
        int i = 0;
        while (i < batch.size()) {
            if (current == null || currentRows >= FILE_ROWS) {
                Files.createDirectories(dir);
                current = dir.resolve("spend-" + System.currentTimeMillis() + "-" + String.format("%06d", seq++) + ".ndjson");
                currentRows = 0;
            }
            int n = Math.min(batch.size() - i, FILE_ROWS - currentRows);
            writeLines(current, batch.subList(i, i + n));
            if (rows.get() == 0 || batch.get(i).queuedAt() < oldestQueuedAt) oldestQueuedAt = batch.get(i).queuedAt();
            rows.addAndGet(n);
            currentRows += n;
            i += n;
        }
    }

    /** The oldest file, sealed (later appends go to a new file), or null when the spool is empty. */
    SpoolFile oldest() throws IOException {
        List<Path> files = files();
        if (files.isEmpty()) {
            rows.set(0);
            return null;
        }
        Path f = files.get(0);
        if (f.equals(current)) current = null;
        return new SpoolFile(f, read(f));
    }

    /** Forgets a file whose rows are all committed. */
    void delete(SpoolFile f) throws IOException {
        Files.deleteIfExists(f.path());
        rows.addAndGet(-f.rows().size());
        List<Path> rest = files();
        if (rest.isEmpty()) rows.set(0);
        else oldestQueuedAt = firstQueuedAt(rest.get(0), oldestQueuedAt);
    }

    /** Keeps a row the database will not take, for an operator to look at. */
    void reject(Spooled row, String reason) {
        try {
            Files.createDirectories(dir);
            writeLines(dir.resolve("rejected-" + LocalDate.now(ZoneOffset.UTC) + ".ndjson"), List.of(row));
            LOG.error("Spend log: the database refused spend row {} ({}); it was kept in {} instead.",
                    row.row().requestId(), reason, dir);
        } catch (IOException e) {
            LOG.error("Spend log: the database refused spend row {} ({}) and it could not be kept on disk either: {}",
                    row.row().requestId(), reason, e.getMessage());
        }
    }

    private static void writeLines(Path file, List<Spooled> lines) throws IOException {
        StringBuilder sb = new StringBuilder(lines.size() * 512);
        for (Spooled s : lines) {
            try {
                sb.append(Json.MAPPER.writeValueAsString(s)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IOException(e);
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
             OutputStream out = Channels.newOutputStream(ch)) {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            ch.force(false);
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("spend-") && n.endsWith(".ndjson");
            }).sorted().toList();
        } catch (IOException e) {
            LOG.warn("Spend log: cannot list the spool directory {}: {}", dir, e.getMessage());
            return List.of();
        }
    }

    private static long firstQueuedAt(Path f, long otherwise) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                try {
                    return Json.MAPPER.readValue(line, Spooled.class).queuedAt();
                } catch (IOException e) {
                    // torn line: try the next
                }
            }
        } catch (IOException e) {
            // keep the previous figure
        }
        return otherwise;
    }

    /** Every readable row of a file; throws when the file itself cannot be read (it is then kept, not replayed). */
    private static List<Spooled> read(Path f) throws IOException {
        List<Spooled> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    out.add(Json.MAPPER.readValue(line, Spooled.class));
                } catch (IOException e) {
                    LOG.warn("Spend log: skipping unreadable line {} of {} (torn write?): {}", n, f, e.getMessage());
                }
            }
        }
        return out;
    }
}
