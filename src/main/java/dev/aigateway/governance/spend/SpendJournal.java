package dev.aigateway.governance.spend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import dev.aigateway.core.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The spend journal: every spend row reaches this local, append-only log a few milliseconds after its request
 * ended, before it reaches the database, so a crash of the process (kill -9, an out-of-memory exit) or of the
 * machine loses only the rows of the last few milliseconds. The rows are replayed into the database at the
 * next start; the database skips rows it already holds (by the gateway's request id), so each is written once.
 *
 * <p><b>Files.</b> Segments {@code spend-<millis>-<seq>.ndjson} in the journal directory, one {@link Entry} per
 * line (JSON). One segment is open for appends at a time; it is sealed (closed, and a new one started) at
 * {@link #SEGMENT_ROWS} rows, when the writer switches between memory and disk hand-off, or when the writer asks
 * for it. A segment is deleted once it is sealed and every one of its rows is settled (committed to the
 * database, or set aside as rejected): the journal holds only rows the database may not have yet.
 *
 * <p><b>Threads.</b> Only the journal thread appends ({@link #writable}, {@link #write}, {@link #rotate}); only
 * the sync thread forces files to disk and closes them ({@link #sync}); only the writer thread settles rows and
 * reads disk segments; the monitor of this object guards the segments' counters and the segment list, and is
 * never held across a write or an fsync. The journal thread never waits for an fsync: a write returns once the
 * bytes are in the operating system's page cache, which a crash of the process does not lose, while an fsync
 * can take hundreds of milliseconds when other processes keep the disk busy (measured: see docs/spend.md). A
 * rotated segment's channel is handed to the sync thread, which forces and closes it.
 *
 * <p><b>One process per directory.</b> The directory is locked ({@code .lock}, an OS file lock, released when
 * the process dies however it dies): a second gateway started on the same data directory (a {@code run} that
 * then finds its port taken, or a second instance) must not replay and delete the files the first one is
 * writing. It journals in {@code instance-<pid>/} instead, and the next process that holds the main lock
 * recovers what such a directory holds once its owner is gone.
 *
 * <p>Rows the database refuses on their own go to {@code rejected-<date>.ndjson} ({@link #reject}), kept for
 * an operator and never replayed. Segment files left in a legacy directory (the spool of earlier releases,
 * same line format) are recovered like this journal's own.
 */
final class SpendJournal {
    private static final Logger LOG = LoggerFactory.getLogger(SpendJournal.class);
    static final int SEGMENT_ROWS = 2_000;
    /** Entries as JSON lines: a newline between values (the writer adds the last one). */
    private static final ObjectWriter LINES = Json.MAPPER.writerFor(Entry.class).withRootValueSeparator("\n");

    /** A journaled row and when it was first queued (for the backlog's age). */
    record Entry(long queuedAt, SpendRecord row) {}

    /** One journal file. Its counters are guarded by the journal's monitor. */
    static final class Segment {
        final Path path;
        /** Left by an earlier run: its rows are read from the file. */
        final boolean recovered;
        /** Its rows were handed to the writer in memory as they were written; else the writer reads the file. */
        final boolean memory;
        /** Rows written to it (recovered: readable rows in it). */
        int rows;
        /** Rows the database took or that were set aside. */
        int settled;
        /** No more appends (its channel is forced and closed by the sync thread soon after). */
        boolean sealed;
        /** The writer has read it to replay it (a disk segment). */
        boolean loading;
        /** A disk segment's replay position: rows before it are settled. */
        int next;
        /** A recovered segment whose rows were counted in the writer's backlog (writer's thread only). */
        boolean counted;
        /** Queue time of its first row (0: none yet). */
        long firstQueuedAt;

        Segment(Path path, boolean recovered, boolean memory) {
            this.path = path;
            this.recovered = recovered;
            this.memory = memory;
        }

        @Override
        public String toString() {
            return String.valueOf(path.getFileName());
        }
    }

    private final Path dir;
    private final FileChannel lockFile;
    private final List<Segment> segments = new ArrayList<>(); // oldest first
    private final ByteArrayOutputStream encoded = new ByteArrayOutputStream(64 * 1024); // journal thread only
    private Segment current;        // journal thread (and close)
    private FileChannel channel;    // journal thread (and close)
    /** The open segment's channel as the sync thread sees it (null: none open). */
    private volatile FileChannel openChannel;
    /** Bytes went to the open segment since the sync thread last forced it. */
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** Segments the journal thread stopped appending to: the sync thread forces and closes their channels. */
    private final ConcurrentLinkedQueue<Closing> closing = new ConcurrentLinkedQueue<>();
    private final Fdatasync fdatasync;
    private boolean forceFailing; // the sync thread's (and close's, after it)
    private volatile boolean rotationRequested;
    private long seq;
    /** fdatasyncs so far, for measurements. */
    private final AtomicLong forces = new AtomicLong();

    /** How a channel is made durable: {@link #FDATASYNC}; tests put a slow disk in its place. */
    @FunctionalInterface
    interface Fdatasync {
        void force(FileChannel channel) throws IOException;
    }

    static final Fdatasync FDATASYNC = ch -> ch.force(false);

    /** A segment's channel after its last append, waiting for its fsync and close. */
    private record Closing(Segment segment, FileChannel channel) {}

    /** Opens the journal in {@code base}, taking over the segments an earlier run left there or in {@code legacyDirs}. */
    SpendJournal(Path base, List<Path> legacyDirs) {
        this(base, legacyDirs, FDATASYNC);
    }

    SpendJournal(Path base, List<Path> legacyDirs, Fdatasync fdatasync) {
        this.fdatasync = fdatasync;
        FileChannel main = lock(base);
        List<Path> found = new ArrayList<>();
        if (main != null) {
            this.dir = base;
            this.lockFile = main;
            found.addAll(files(base));
            for (Path legacy : legacyDirs) found.addAll(files(legacy));
            found.addAll(orphanedInstanceFiles(base));
        } else {
            this.dir = base.resolve("instance-" + ProcessHandle.current().pid());
            this.lockFile = lock(dir);
            LOG.warn("Spend log: another gateway process journals in {}; this one journals in {} (its files are recovered "
                    + "by the next gateway that owns {} if this process stops without writing them).", base, dir, base);
        }
        for (Path f : found) {
            Segment s = new Segment(f, true, false);
            s.sealed = true;
            segments.add(s);
        }
    }

    Path dir() {
        return dir;
    }

    // --- recovery (the constructor's thread, before the writer starts)

    /** Segments left by an earlier run, oldest first. */
    synchronized List<Segment> recovered() {
        return segments.stream().filter(s -> s.recovered).toList();
    }

    // --- the journal thread

    /**
     * The segment the next rows go to: the open one, or a new one when there is none, it is full, a rotation was
     * asked for, or the hand-off mode changed ({@code memory}). Opening a file may fail: the caller keeps the rows in memory.
     */
    Segment writable(boolean memory) throws IOException {
        if (current != null && (current.rows >= SEGMENT_ROWS || current.memory != memory || rotationRequested)) rotate();
        rotationRequested = false;
        if (current == null) {
            Files.createDirectories(dir);
            Path path = dir.resolve("spend-" + System.currentTimeMillis() + "-" + String.format("%06d", seq++) + ".ndjson");
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            Segment s = new Segment(path, false, memory);
            synchronized (this) {
                segments.add(s);
            }
            current = s;
            openChannel = channel;
        }
        return current;
    }

    /** Rows that still fit in a segment. */
    static int room(Segment s) {
        return Math.max(0, SEGMENT_ROWS - s.rows);
    }

    /**
     * Appends rows to the open segment: once this returns they are in the operating system's page cache, safe from a
     * crash of the process; the sync thread's next {@link #sync} makes them safe from a crash of the machine.
     */
    void write(Segment s, List<Entry> rows) throws IOException {
        encoded.reset();
        try (SequenceWriter lines = LINES.writeValues(encoded)) { // one generator for the group, not one per row
            for (Entry e : rows) lines.write(e);
        } catch (JsonProcessingException ex) {
            throw new IOException(ex);
        }
        encoded.write('\n');
        ByteBuffer buf = ByteBuffer.wrap(encoded.toByteArray());
        try {
            while (buf.hasRemaining()) channel.write(buf);
        } catch (IOException e) {
            abandonCurrent();
            throw e;
        }
        dirty.set(true);
        synchronized (this) {
            if (s.rows == 0) s.firstQueuedAt = rows.get(0).queuedAt();
            s.rows += rows.size();
        }
    }

    long forces() {
        return forces.get();
    }

    /** Asks the journal thread to seal the open segment (so the writer can replay a disk segment that is complete). */
    void requestRotation() {
        rotationRequested = true;
    }

    boolean rotationRequested() {
        return rotationRequested;
    }

    /**
     * Seals the open segment, if any (deleted at once when all its rows are already settled) without waiting for
     * the disk: its channel goes to the sync thread, which forces and closes it.
     */
    void rotate() {
        rotationRequested = false;
        Segment s = current;
        if (s == null) return;
        current = null;
        FileChannel ch = channel;
        channel = null;
        openChannel = null;
        synchronized (this) {
            s.sealed = true;
            deleteIfDone(s);
        }
        closing.add(new Closing(s, ch));
    }

    /** After a failed write: the open file is given up (its rows so far stay counted) and the next rows start a new one. */
    private void abandonCurrent() {
        rotate();
    }

    // --- the sync thread (and close, once the other threads stopped)

    /**
     * Makes what was written durable: forces the open segment if it was written since the last call, then forces
     * and closes the segments rotated out since. True when it forced anything. Failures are logged, never thrown:
     * the rows are in the page cache (a process crash keeps them) and the next call tries again.
     */
    boolean sync() {
        boolean forced = false;
        if (dirty.getAndSet(false)) {
            FileChannel ch = openChannel;
            if (ch != null) forced = force(ch, null);
        }
        for (Closing c; (c = closing.poll()) != null; ) {
            boolean gone;
            synchronized (this) {
                gone = !segments.contains(c.segment()); // every row is in the database and the file deleted: nothing to keep
            }
            if (!gone) forced |= force(c.channel(), c.segment());
            try {
                c.channel().close();
            } catch (IOException ignored) {
                // its rows were written; nothing more can be done with it
            }
        }
        return forced;
    }

    /** Whether {@link #sync} has anything to do. */
    boolean syncPending() {
        return dirty.get() || !closing.isEmpty();
    }

    private boolean force(FileChannel ch, Segment rotated) {
        try {
            fdatasync.force(ch);
            forces.incrementAndGet();
            if (forceFailing) {
                forceFailing = false;
                LOG.info("Spend log: the journal {} is forced to disk again.", dir);
            }
            return true;
        } catch (java.nio.channels.ClosedChannelException e) {
            return false; // closed by shutdown meanwhile; close forces what it closes
        } catch (IOException e) {
            if (!forceFailing) { // once per failing spell: the sync thread tries every 50 ms
                forceFailing = true;
                LOG.warn("Spend log: cannot force the journal {} to disk ({}); its rows survive a crash of the process but not one of the machine.",
                        rotated != null ? rotated.path : dir, e.getMessage());
            }
            return false;
        }
    }

    // --- the writer thread

    /** Records that {@code n} rows of a segment are settled; a sealed segment whose rows are all settled is deleted. */
    synchronized void settled(Segment s, int n) {
        s.settled += n;
        deleteIfDone(s);
    }

    /** The oldest sealed disk segment not yet being replayed, marked as being replayed; null when none. */
    synchronized Segment nextDiskSegment() {
        for (Segment s : segments) {
            if (!s.memory && s.sealed && !s.loading) {
                s.loading = true;
                return s;
            }
        }
        return null;
    }

    /** Whether rows were written to disk only and wait in the open segment (the writer then asks for a rotation). */
    synchronized boolean diskRowsInOpenSegment() {
        for (Segment s : segments) {
            if (!s.memory && !s.sealed && s.rows > s.settled) return true;
        }
        return false;
    }

    /** Whether the open segment has rows and all of them are settled (sealing it then deletes it). */
    synchronized boolean openSegmentSettled() {
        for (Segment s : segments) {
            if (!s.sealed) return s.rows > 0 && s.settled >= s.rows;
        }
        return false;
    }

    /** Rows of disk segments (recovered, or written while the writer's memory was full) not yet settled. */
    synchronized long diskRows() {
        long n = 0;
        for (Segment s : segments) if (!s.memory) n += Math.max(0, s.rows - s.settled);
        return n;
    }

    /** Queue time of the oldest row of a disk segment not yet settled, 0 when none. */
    synchronized long oldestDiskQueuedAt() {
        for (Segment s : segments) {
            if (!s.memory && s.rows > s.settled && s.firstQueuedAt > 0) return s.firstQueuedAt;
        }
        return 0;
    }

    /** Every readable row of a segment; a torn last line (a crash mid-write) is skipped with a warning. */
    List<Entry> read(Segment s) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(s.path, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    out.add(Json.MAPPER.readValue(line, Entry.class));
                } catch (IOException e) {
                    LOG.warn("Spend log: skipping unreadable line {} of {} (torn write?): {}", n, s.path, e.getMessage());
                }
            }
        }
        if (s.recovered) {
            synchronized (this) {
                s.rows = out.size();
                if (!out.isEmpty()) s.firstQueuedAt = out.get(0).queuedAt();
                deleteIfDone(s);
            }
        }
        return out;
    }

    /** Keeps a row the database will not take, for an operator to look at. */
    void reject(Entry row, String reason) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("rejected-" + LocalDate.now(ZoneOffset.UTC) + ".ndjson");
            Files.write(file, (Json.MAPPER.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            LOG.error("Spend log: the database refused spend row {} ({}); it was kept in {} instead.", row.row().requestId(), reason, file);
        } catch (IOException e) {
            LOG.error("Spend log: the database refused spend row {} ({}) and it could not be kept on disk either: {}",
                    row.row().requestId(), reason, e.getMessage());
        }
    }

    // --- shutdown

    /**
     * Appends rows from the closing thread, forced before returning: rows recorded after the journal thread stopped,
     * or kept in memory because the journal could not be written. False when they could not be written.
     */
    boolean appendAtClose(List<Entry> rows) {
        if (rows.isEmpty()) return true;
        try {
            int i = 0;
            while (i < rows.size()) {
                Segment s = writable(false);
                int n = Math.min(rows.size() - i, Math.max(1, room(s)));
                write(s, rows.subList(i, i + n));
                i += n;
            }
            sync();
            return true;
        } catch (IOException e) {
            LOG.error("Spend log: cannot write {} rows to the journal {} at shutdown; they are lost: {}", rows.size(), dir, e.getMessage());
            return false;
        }
    }

    /**
     * Seals the open segment (deleted when all its rows are settled) and forces and closes every channel, after the
     * journal and sync threads stopped; what is left is replayed at the next start.
     */
    void close() {
        rotate();
        sync();
    }

    /** Releases the directory's lock (after {@link #close}; an instance directory left empty is removed). */
    void release() {
        try {
            if (lockFile != null) lockFile.close();
            if (String.valueOf(dir.getFileName()).startsWith("instance-") && files(dir).isEmpty()) {
                Files.deleteIfExists(dir.resolve(".lock"));
                Files.deleteIfExists(dir);
            }
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }

    // --- files

    /** Takes the directory's lock, or returns null when another process (or another journal here) holds it. */
    private static FileChannel lock(Path dir) {
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (ch.tryLock() != null) return ch;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // held by another journal in this JVM (tests): the same answer as another process
        } catch (IOException e) {
            LOG.warn("Spend log: cannot lock the journal directory {} ({}); journaling without the lock.", dir, e.getMessage());
            return ch;
        }
        try {
            if (ch != null) ch.close();
        } catch (IOException ignored) {
            // nothing was locked
        }
        return null;
    }

    /** Segments of {@code instance-*} directories whose process is gone (their lock is free); empty ones are removed. */
    private static List<Path> orphanedInstanceFiles(Path base) {
        List<Path> out = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(base)) {
            dirs = s.filter(p -> Files.isDirectory(p) && String.valueOf(p.getFileName()).startsWith("instance-")).sorted().toList();
        } catch (IOException e) {
            return out;
        }
        for (Path d : dirs) {
            FileChannel ch = lock(d);
            if (ch == null) continue; // its process is alive
            try {
                List<Path> files = files(d);
                out.addAll(files);
                ch.close();
                if (files.isEmpty()) {
                    Files.deleteIfExists(d.resolve(".lock"));
                    Files.deleteIfExists(d);
                }
            } catch (IOException ignored) {
                // left for a later start
            }
        }
        return out;
    }

    private void deleteIfDone(Segment s) {
        if (!s.sealed || s.settled < s.rows || s.recovered && !s.loading) return; // a recovered file is deleted only after it was read
        try {
            Files.deleteIfExists(s.path);
            segments.remove(s);
        } catch (IOException e) {
            LOG.warn("Spend log: cannot delete the written journal segment {} ({}); its rows would be replayed (once) at the next start.",
                    s.path, e.getMessage());
            segments.remove(s);
        }
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = String.valueOf(p.getFileName());
                return n.startsWith("spend-") && n.endsWith(".ndjson");
            }).sorted().toList();
        } catch (IOException e) {
            LOG.warn("Spend log: cannot list the journal directory {}: {}", dir, e.getMessage());
            return List.of();
        }
    }
}
