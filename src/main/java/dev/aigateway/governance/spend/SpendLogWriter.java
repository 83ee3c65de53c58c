package dev.aigateway.governance.spend;

import dev.aigateway.db.Database;
import dev.aigateway.governance.spend.SpendJournal.Entry;
import dev.aigateway.governance.spend.SpendJournal.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The spend log: every request's row reaches a local journal within milliseconds and the database in batches,
 * never on the request's path; none is lost when the database is away, and a crash loses only the last few
 * milliseconds of rows.
 *
 * <p><b>Event loops</b> only call {@link #record}: a lock-free {@link ConcurrentLinkedQueue#offer}, an atomic
 * increment, the key's unwritten spend added (one map read and an atomic add), and an unpark of the journal
 * thread only when it sleeps for lack of work. It never blocks, never does I/O and never refuses.
 *
 * <p><b>The journal thread</b> ({@code spend-journal}) takes every queued row every {@link #JOURNAL_INTERVAL_MS}
 * ms (a group commit: however many rows came, one write), appends them to the {@link SpendJournal}, and only
 * then hands them to the writer. It never waits for the disk: a write returns once the bytes are in the
 * operating system's page cache, which survives a crash of the process. A crash of the process therefore loses
 * the rows queued since the last write, about {@link #JOURNAL_INTERVAL_MS} ms of them (plus however long the
 * thread waited for a core). When the journal cannot be written (a full disk), rows are handed on in memory,
 * and that is logged once. With no traffic the thread sleeps until a row comes.
 *
 * <p><b>The sync thread</b> ({@code spend-journal-sync}) forces what was written to the disk (fdatasync) every
 * {@link #JOURNAL_SYNC_MS} ms while rows come, at once for the first rows after a pause, and closes rotated
 * segments. A crash of the machine loses the rows written since the last fdatasync that completed: up to
 * {@link #JOURNAL_INTERVAL_MS} + {@link #JOURNAL_SYNC_MS} ms plus however long the fdatasync itself takes,
 * which is the disk's business (under 1 ms on a quiet disk, hundreds of milliseconds when other processes keep
 * it busy). It has its own thread so that a slow fdatasync never delays the next writes: when both shared one
 * thread, a crash of the process lost rows up to the longest fdatasync old.
 *
 * <p><b>The writer thread</b> ({@code spend-writer}) takes up to {@link #BATCH_ROWS} rows every
 * {@link #BATCH_INTERVAL_MS} ms (sooner when a batch is full) and writes them in one transaction
 * ({@link SpendStore#write}: rows, daily aggregates, keys' spend); once they committed, their journal segment
 * is deleted when all its rows are. When a write fails it keeps the batch and retries with a backoff that
 * doubles from 100 ms to {@link #MAX_BACKOFF_MS}, logging the outage once and, when the backlog has been
 * written, the recovery once. Past {@link #MEMORY_BOUND} rows held in memory, the journal thread stops handing
 * rows over (they are on disk already) until half the bound is left; the writer reads those rows back from
 * their segments. A row is keyed by the gateway's request id, which the store writes once: a segment replayed
 * after a crash, or a batch retried after a lost commit acknowledgement, adds nothing twice.
 *
 * <p><b>At start</b> the segments an earlier run left (a crash, or a shutdown while the database was down) are
 * written to the database before the constructor returns, so keys' stored spend, which budgets start from, is
 * complete before the first request.
 *
 * <p><b>Unwritten spend.</b> The writer knows, per key, the cost of rows recorded but not yet committed
 * ({@link #unwrittenSpend}). A batch commits and leaves that figure under one lock, and
 * {@link #readingStoredSpend} reads the database under the same lock, so stored + unwritten counts every row
 * exactly once, before, during and after a flush.
 *
 * <p>A batch the database refuses three times while it answers pings (bad data, not an outage) is written
 * row by row, and a row it still refuses goes to a {@code rejected-*.ndjson} file with an error, so one bad
 * row cannot hold up the rows behind it.
 */
public final class SpendLogWriter implements SpendLog {
    private static final Logger LOG = LoggerFactory.getLogger(SpendLogWriter.class);
    static final int BATCH_ROWS = 1_000;
    static final long BATCH_INTERVAL_MS = 500;
    /**
     * The journal's group-commit interval: queued rows are written to the journal file (the operating system's
     * cache) at least this often, so a crash of the process (kill -9, an out-of-memory exit) loses at most the
     * rows of about this long.
     */
    static final long JOURNAL_INTERVAL_MS = 5;
    /**
     * How often written rows are forced to the disk (fdatasync), by the sync thread: with the fdatasync's own
     * duration, what a crash of the machine itself (power, kernel) can lose. Less often than writes because an
     * fdatasync costs about half a millisecond of CPU here.
     */
    static final long JOURNAL_SYNC_MS = 50;
    /** A row that waited longer than this to be written to the journal is logged (see {@link #noteLag}). */
    static final long JOURNAL_LAG_WARN_MS = 50;
    static final int MEMORY_BOUND = 100_000;
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5_000;
    static final long FLUSH_TIMEOUT_MS = 30_000;
    /** How long the journal thread sleeps with nothing to do before it looks again (record() wakes it sooner). */
    private static final long IDLE_PARK_MS = 1_000;
    private static final int ISOLATE_AFTER_FAILURES = 3;

    /** Where batches go: the database ({@link SpendStore}), or a stand-in in tests. */
    interface Sink {
        /** Writes rows in one transaction and returns how many were new, or throws and stores none of them. */
        int write(List<SpendRecord> rows);

        /** Whether the database answers at all (a failing write while it does means bad data). */
        boolean reachable();
    }

    /** A row handed to the writer, with the journal segment that holds it (null: the journal could not be written). */
    private record Held(Entry entry, Segment segment) {}

    private final Sink sink;
    private final SpendJournal journal;
    private final int memoryBound;
    private final int batchRows;
    private final long intervalMs;
    private final SpendRetention retention;

    /** Rows from record(), for the journal thread. */
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    /** Journaled rows, for the writer. */
    private final ConcurrentLinkedQueue<Held> handoff = new ConcurrentLinkedQueue<>();
    /** Rows recorded (or recovered) and not yet settled: {@link #queued}. */
    private final AtomicLong unwritten = new AtomicLong();
    /** Rows handed to the writer in memory and not yet settled: what the memory bound limits. */
    private final AtomicLong inMemory = new AtomicLong();
    /** Per key hash, the nano-USD of rows recorded and not yet settled. */
    private final Map<String, AtomicLong> unwrittenNanos = new ConcurrentHashMap<>();
    /** Held for writing by a commit and the unwritten spend it settles; for reading by readers of stored spend. */
    private final ReentrantReadWriteLock storedSpend = new ReentrantReadWriteLock();
    private final AtomicInteger flushers = new AtomicInteger();
    private final Thread journalThread;
    private final Thread syncThread;
    private final Thread writer;
    private volatile boolean journalSleeping;
    private volatile boolean syncSleeping;
    private volatile boolean journalDone;
    private volatile boolean stopping;
    private volatile boolean closed;
    private volatile long heldOldest;

    // journal-thread state
    private boolean diskMode;
    private long lagWarnedAt;
    /** The switch to disk-only hand-off was logged (reset by the writer when an outage is over). */
    private volatile boolean spillLogged;
    private boolean journalFailing;

    // writer-thread state (the constructor's thread before the writer starts)
    private final List<Held> held = new ArrayList<>();
    private Segment replaying;
    private List<Entry> replayRows;
    private int failures;
    private long backoffMs;
    private long outageSince;
    /** When writes first succeeded again after an outage (0: not yet, or no outage). */
    private long recoveredAt;
    private long lateRows;
    /** Rows the last settled batch really added (the others were in the database already). */
    private int lastFresh;

    public SpendLogWriter(Database db, Path journalDir) {
        this(db, journalDir, SpendRetention.Policy.KEEP_FOREVER);
    }

    /** The gateway's spend log on {@code db}, journaled in {@code journalDir}, deleting rows past the retention policy. */
    public SpendLogWriter(Database db, Path journalDir, SpendRetention.Policy retention) {
        this(db, journalDir, List.of(), retention);
    }

    /** As above, also replaying the spool files of an earlier release left in {@code legacyDirs}. */
    public SpendLogWriter(Database db, Path journalDir, List<Path> legacyDirs, SpendRetention.Policy retention) {
        this(new SpendStore(db), journalDir, legacyDirs, retention);
    }

    private SpendLogWriter(SpendStore store, Path journalDir, List<Path> legacyDirs, SpendRetention.Policy retention) {
        this(sinkOf(store), journalDir, legacyDirs, MEMORY_BOUND, BATCH_ROWS, BATCH_INTERVAL_MS,
                new SpendRetention(store, retention, Clock.systemUTC()));
    }

    /** For tests: a chosen sink, memory bound and batch shape, no retention. */
    SpendLogWriter(Sink sink, Path journalDir, int memoryBound, int batchRows, long intervalMs) {
        this(sink, journalDir, memoryBound, batchRows, intervalMs, SpendJournal.FDATASYNC);
    }

    /** For tests: as above, with a chosen fdatasync (a slow disk). */
    SpendLogWriter(Sink sink, Path journalDir, int memoryBound, int batchRows, long intervalMs, SpendJournal.Fdatasync fdatasync) {
        this(sink, new SpendJournal(journalDir, List.of(), fdatasync), memoryBound, batchRows, intervalMs, null);
    }

    private SpendLogWriter(Sink sink, Path journalDir, List<Path> legacyDirs, int memoryBound, int batchRows, long intervalMs,
                           SpendRetention retention) {
        this(sink, new SpendJournal(journalDir, legacyDirs), memoryBound, batchRows, intervalMs, retention);
    }

    private SpendLogWriter(Sink sink, SpendJournal journal, int memoryBound, int batchRows, long intervalMs, SpendRetention retention) {
        this.sink = sink;
        this.journal = journal;
        this.memoryBound = memoryBound;
        this.batchRows = batchRows;
        this.intervalMs = intervalMs;
        this.retention = retention;
        recover();
        this.journalThread = new Thread(this::journalLoop, "spend-journal");
        journalThread.setDaemon(true);
        this.syncThread = new Thread(this::syncLoop, "spend-journal-sync");
        syncThread.setDaemon(true);
        this.writer = new Thread(this::writerLoop, "spend-writer");
        writer.setDaemon(true);
        journalThread.start();
        syncThread.start();
        writer.start();
        if (retention != null) retention.start();
    }

    static Sink sinkOf(SpendStore store) {
        return new Sink() {
            @Override
            public int write(List<SpendRecord> rows) {
                return store.write(rows);
            }

            @Override
            public boolean reachable() {
                return store.reachable();
            }
        };
    }

    // --- called from any thread, event loops included: never blocks

    @Override
    public void record(SpendRecord row) {
        if (row == null) return;
        Entry e = new Entry(System.currentTimeMillis(), row);
        unwritten.incrementAndGet();
        addUnwritten(row, 1);
        if (closed) {
            recordAfterClose(e);
            return;
        }
        queue.offer(e);
        if (journalSleeping) LockSupport.unpark(journalThread);
    }

    @Override
    public long queued() {
        return unwritten.get();
    }

    @Override
    public long oldestAgeMillis() {
        long oldest = Long.MAX_VALUE;
        long h = heldOldest;
        if (h > 0) oldest = h;
        Held next = handoff.peek();
        if (next != null) oldest = Math.min(oldest, next.entry().queuedAt());
        Entry first = queue.peek();
        if (first != null) oldest = Math.min(oldest, first.queuedAt());
        long disk = journal.oldestDiskQueuedAt();
        if (disk > 0) oldest = Math.min(oldest, disk);
        return oldest == Long.MAX_VALUE || unwritten.get() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
    }

    @Override
    public double unwrittenSpend(String keyHash) {
        AtomicLong n = keyHash == null ? null : unwrittenNanos.get(keyHash);
        return n == null ? 0 : Money.usd(n.get());
    }

    @Override
    public <T> T readingStoredSpend(Supplier<T> read) {
        storedSpend.readLock().lock();
        try {
            return read.get();
        } finally {
            storedSpend.readLock().unlock();
        }
    }

    /** fdatasyncs of the journal so far, for measurements. */
    long journalForces() {
        return journal.forces();
    }

    /** Rows journaled to disk only and not yet written (part of {@link #queued}): recovered, or past the memory bound. */
    long spooled() {
        return journal.diskRows();
    }

    private void addUnwritten(SpendRecord row, int sign) {
        if (row.keyHash() == null || !Double.isFinite(row.cost()) || row.cost() == 0) return;
        long nanos = Money.nanos(row.cost());
        AtomicLong n = unwrittenNanos.get(row.keyHash());
        if (n == null) n = unwrittenNanos.computeIfAbsent(row.keyHash(), k -> new AtomicLong());
        n.addAndGet(sign * nanos);
    }

    // --- blocking: shutdown and tests

    @Override
    public void flush() {
        flush(FLUSH_TIMEOUT_MS);
    }

    /** Waits until nothing is waiting (memory and disk) or the timeout passes; true when all was written. */
    public boolean flush(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        flushers.incrementAndGet();
        try {
            while (queued() > 0 && writer.isAlive() && System.currentTimeMillis() < deadline) {
                LockSupport.unpark(journalThread);
                LockSupport.unpark(writer);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return queued() == 0;
        } finally {
            flushers.decrementAndGet();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        if (retention != null) retention.close();
        stopping = true;
        LockSupport.unpark(journalThread);
        join(journalThread);
        LockSupport.unpark(syncThread);
        join(syncThread);
        LockSupport.unpark(writer);
        join(writer);
        if (writer.isAlive()) {
            LOG.warn("Spend log: the writer did not finish within {} s; what it did not write is in the journal {} for the next start.",
                    FLUSH_TIMEOUT_MS / 1000, journal.dir());
            writer.interrupt();
        }
        synchronized (journal) {
            closed = true;
            List<Entry> rest = new ArrayList<>();
            for (Entry e; (e = queue.poll()) != null; ) rest.add(e); // recorded while the journal thread stopped
            if (!writer.isAlive()) {
                // rows the journal could not take while running are only in memory: one more try
                for (Held h : held) if (h.segment() == null) rest.add(h.entry());
                for (Held h : handoff) if (h.segment() == null) rest.add(h.entry());
            }
            journal.appendAtClose(rest);
            journal.close();
            journal.release();
        }
        long left = unwritten.get();
        if (left > 0) LOG.warn("Spend log: {} rows could not be written before shutdown; they are kept in {} and will be written at the next start.",
                left, journal.dir());
    }

    private void recordAfterClose(Entry e) {
        synchronized (journal) {
            journal.appendAtClose(List.of(e));
            journal.close();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(FLUSH_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- start-up: rows an earlier run left in the journal

    /**
     * Counts the rows of the segments an earlier run left (their spend is unwritten until they commit) and writes
     * them now, before the gateway serves, so keys' stored spend is complete. If the database refuses, the writer
     * thread goes on with them in the background.
     */
    private void recover() {
        List<Segment> found = journal.recovered();
        if (found.isEmpty()) return;
        long start = System.currentTimeMillis();
        long rows = 0;
        long fresh = 0;
        boolean writing = true;
        for (Segment s : found) {
            List<Entry> entries;
            try {
                synchronized (journal) {
                    s.loading = true;
                }
                entries = journal.read(s);
            } catch (IOException e) {
                LOG.warn("Spend log: cannot read journal segment {} ({}); it is kept and tried again later.", s, e.getMessage());
                synchronized (journal) {
                    s.loading = false;
                }
                continue;
            }
            rows += entries.size();
            countRecovered(s, entries);
            if (!writing) {
                synchronized (journal) {
                    s.loading = false; // the writer thread replays it
                }
                continue;
            }
            while (s.next < entries.size()) {
                List<Entry> slice = entries.subList(s.next, Math.min(entries.size(), s.next + batchRows));
                List<Held> batch = new ArrayList<>(slice.size());
                for (Entry e : slice) batch.add(new Held(e, s));
                if (!settle(batch)) {
                    writing = false;
                    break;
                }
                fresh += lastFresh;
                s.next += slice.size();
            }
            if (!writing) {
                synchronized (journal) {
                    s.loading = false;
                }
            }
        }
        if (writing) {
            LOG.info("Spend log: replayed {} rows left in the journal by an earlier run in {} ms; {} of them were not yet in the database.",
                    rows, System.currentTimeMillis() - start, fresh);
        } else {
            LOG.warn("Spend log: {} rows left in the journal by an earlier run could not all be written yet; the writer retries in the background.",
                    rows);
        }
    }

    /** A recovered segment's rows are unwritten until settled: counted once, when first read. */
    private void countRecovered(Segment s, List<Entry> entries) {
        if (!s.recovered || s.counted) return;
        s.counted = true;
        unwritten.addAndGet(entries.size());
        for (Entry e : entries) addUnwritten(e.row(), 1);
    }

    // --- the journal thread

    private void journalLoop() {
        List<Entry> group = new ArrayList<>();
        while (true) {
            long groupStart = System.nanoTime();
            try {
                for (Entry e; (e = queue.poll()) != null; ) group.add(e);
                if (!group.isEmpty()) {
                    journalGroup(group);
                    group.clear();
                } else if (stopping) {
                    break;
                } else if (journal.rotationRequested()) {
                    journal.rotate();
                    wakeSync();
                } else {
                    journalSleeping = true;
                    if (queue.isEmpty() && !stopping && !journal.rotationRequested()) {
                        LockSupport.parkNanos(IDLE_PARK_MS * 1_000_000L);
                    }
                    journalSleeping = false;
                    continue;
                }
            } catch (RuntimeException | Error e) {
                LOG.error("Spend log: unexpected error in the journal thread (continuing): {}", e.toString(), e);
                for (Entry x : group) handOver(x, null);
                group.clear();
            }
            long left = JOURNAL_INTERVAL_MS * 1_000_000L - (System.nanoTime() - groupStart);
            if (left > 0 && !stopping) LockSupport.parkNanos(left);
        }
        journalDone = true;
        LockSupport.unpark(writer);
    }

    /** One group commit: the rows to the journal (one write, no fsync: the sync thread's job), then to the writer. */
    private void journalGroup(List<Entry> group) {
        boolean memory = chooseHandOff(group.size());
        List<Segment> placed = new ArrayList<>(2);
        List<Integer> counts = new ArrayList<>(2);
        try {
            int i = 0;
            while (i < group.size()) {
                Segment s = journal.writable(memory);
                int n = Math.min(group.size() - i, SpendJournal.room(s));
                journal.write(s, group.subList(i, i + n));
                placed.add(s);
                counts.add(n);
                i += n;
            }
            wakeSync();
            noteLag(System.currentTimeMillis() - group.get(0).queuedAt());
            if (journalFailing) {
                journalFailing = false;
                LOG.info("Spend log: the journal {} is written again.", journal.dir());
            }
        } catch (IOException e) {
            if (!journalFailing) {
                journalFailing = true;
                LOG.error("Spend log: cannot write the journal {} ({}); rows go to the database from memory only and a crash "
                        + "would lose the unwritten ones until the journal works again.", journal.dir(), e.getMessage());
            }
            for (Entry x : group) handOver(x, null); // rows written before the failure are replayed (once) only after a crash
            return;
        }
        int i = 0;
        for (int p = 0; p < placed.size(); p++) {
            Segment s = placed.get(p);
            int n = counts.get(p);
            if (s.memory) {
                for (int k = 0; k < n; k++) handOver(group.get(i + k), s);
            }
            i += n;
        }
        if (inMemory.get() >= batchRows) LockSupport.unpark(writer);
    }

    /**
     * Memory or disk hand-off for the next rows: past the memory bound rows stay on disk only (the writer reads them
     * back) until the writer is down to half the bound. A switch starts a new segment.
     */
    private boolean chooseHandOff(int rows) {
        long held = inMemory.get();
        if (diskMode) {
            if (held <= memoryBound / 2 && held + rows <= memoryBound) diskMode = false;
        } else if (held + rows > memoryBound) {
            diskMode = true;
            if (!spillLogged) {
                spillLogged = true;
                LOG.warn("Spend log: more than {} rows are waiting for the database; new rows stay in the journal {} until it takes them.",
                        memoryBound, journal.dir());
            }
        }
        return !diskMode;
    }

    private void handOver(Entry e, Segment s) {
        handoff.offer(new Held(e, s));
        inMemory.incrementAndGet();
    }

    /**
     * A row that took longer than {@link #JOURNAL_LAG_WARN_MS} to reach the journal (the thread waited for a core,
     * a pause of the JVM, or a write the kernel held up) was exposed to a crash of the process that long: logged,
     * at most once a second (such stalls are rare unless the machine is badly overloaded, and one logged at start-up
     * must not hide the next), because it is what the documented bound assumes does not happen.
     */
    private void noteLag(long ms) {
        if (ms <= JOURNAL_LAG_WARN_MS) return;
        long now = System.currentTimeMillis();
        if (now - lagWarnedAt < 1_000) return;
        lagWarnedAt = now;
        LOG.warn("Spend log: rows waited {} ms to reach the journal (the spend-journal thread did not run for that long: a loaded "
                + "machine or a pause of the JVM); a crash of the process in such a window loses them.", ms);
    }

    /** The first rows after a pause are forced at once; while rows keep coming the sync thread keeps its own pace. */
    private void wakeSync() {
        if (syncSleeping) LockSupport.unpark(syncThread);
    }

    // --- the sync thread

    /**
     * Every {@link #JOURNAL_SYNC_MS} ms, forces what the journal thread wrote since the last time and closes the
     * segments it rotated out; sleeps while there is nothing to force. Runs until the journal thread stopped,
     * then makes one last pass.
     */
    private void syncLoop() {
        while (true) {
            long start = System.nanoTime();
            boolean last = journalDone;
            try {
                journal.sync();
            } catch (RuntimeException | Error e) {
                LOG.error("Spend log: unexpected error in the journal's sync thread (continuing): {}", e.toString(), e);
            }
            if (last) break;
            long left = JOURNAL_SYNC_MS * 1_000_000L - (System.nanoTime() - start);
            if (left > 0 && !journalDone) LockSupport.parkNanos(left); // at most one fdatasync per interval
            if (!journal.syncPending() && !stopping) {
                syncSleeping = true;
                if (!journal.syncPending() && !stopping) LockSupport.parkNanos(IDLE_PARK_MS * 1_000_000L);
                syncSleeping = false;
            }
        }
    }

    // --- the writer thread

    private void writerLoop() {
        long nextDrainAt = System.currentTimeMillis() + intervalMs;
        while (true) {
            try {
                if (held.isEmpty()) {
                    if (stopping && journalDone && handoff.isEmpty()) break;
                    long now = System.currentTimeMillis();
                    boolean due = inMemory.get() >= batchRows || now >= nextDrainAt || flushers.get() > 0 || stopping;
                    if (!due || handoff.isEmpty()) {
                        if (!stopping && replayStep()) continue;
                        if (due) nextDrainAt = now + intervalMs;
                        LockSupport.parkNanos(Math.max(1, nextDrainAt - now) * 1_000_000L);
                        continue;
                    }
                    nextDrainAt = now + intervalMs;
                    take();
                }
                if (settle(held)) {
                    inMemory.addAndGet(-held.size());
                    held.clear();
                    heldOldest = 0;
                    afterSuccess();
                    sealIfIdle();
                } else if (stopping) {
                    break; // the rows are in the journal: the next start writes them
                } else {
                    waitBeforeRetry();
                }
            } catch (RuntimeException | Error e) {
                LOG.error("Spend log: unexpected error in the writer (continuing): {}", e.toString(), e);
                waitBeforeRetry();
            }
        }
    }

    /**
     * When traffic paused (the journal thread found nothing to write) and every row of the open segment is in the
     * database, has the segment sealed, which deletes it: an idle gateway keeps no journal file, and a restart
     * has nothing to replay.
     */
    private void sealIfIdle() {
        if (journalSleeping && handoff.isEmpty() && journal.openSegmentSettled()) {
            journal.requestRotation();
            LockSupport.unpark(journalThread);
        }
    }

    private void take() {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < batchRows; i++) {
            Held h = handoff.poll();
            if (h == null) break;
            held.add(h);
            oldest = Math.min(oldest, h.entry().queuedAt());
        }
        heldOldest = held.isEmpty() ? 0 : oldest;
    }

    /**
     * Tries to store rows; true when they are settled (written, or refused for their own content and kept in
     * a rejected file), false when they must be retried. Settling leaves the unwritten spend and the journal.
     */
    private boolean settle(List<Held> rows) {
        try {
            storedSpend.writeLock().lock();
            try {
                int fresh = sink.write(records(rows));
                settled(rows);
                lastFresh = fresh;
                if (outageSince != 0) {
                    lateRows += fresh;
                    if (recoveredAt == 0) recoveredAt = System.currentTimeMillis();
                }
            } finally {
                storedSpend.writeLock().unlock();
            }
            failures = 0;
            backoffMs = 0;
            return true;
        } catch (RuntimeException e) {
            failures++;
            if (failures >= ISOLATE_AFTER_FAILURES && failures % ISOLATE_AFTER_FAILURES == 0 && reachable()) {
                isolate(rows, e);
                return true;
            }
            recoveredAt = 0; // a relapse: the outage goes on
            if (outageSince == 0) {
                outageSince = System.currentTimeMillis();
                lateRows = 0;
                LOG.warn("Spend log: cannot write to the database ({}). {} rows are waiting; retrying every few seconds. "
                        + "They are kept in the journal {}: none are lost.", e.getMessage(), queued(), journal.dir());
            }
            return false;
        }
    }

    /** Rows are in the database (or set aside): they leave the unwritten spend, the backlog and their journal segment. */
    private void settled(List<Held> rows) {
        Segment run = null;
        int n = 0;
        for (Held h : rows) {
            addUnwritten(h.entry().row(), -1);
            if (h.segment() != run) {
                if (run != null) journal.settled(run, n);
                run = h.segment();
                n = 0;
            }
            n++;
        }
        if (run != null) journal.settled(run, n);
        unwritten.addAndGet(-rows.size());
    }

    private boolean reachable() {
        try {
            return sink.reachable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The database answers but refuses the batch: row by row, keeping any row it still refuses on disk. */
    private void isolate(List<Held> rows, RuntimeException cause) {
        LOG.warn("Spend log: the database refuses a batch of {} rows while it is reachable ({}); writing them one by one.",
                rows.size(), cause.getMessage());
        for (Held h : rows) {
            storedSpend.writeLock().lock();
            try {
                int fresh = sink.write(List.of(h.entry().row()));
                if (outageSince != 0) lateRows += fresh;
            } catch (RuntimeException e) {
                journal.reject(h.entry(), e.getMessage());
            } finally {
                try {
                    settled(List.of(h));
                } finally {
                    storedSpend.writeLock().unlock();
                }
            }
        }
    }

    private void afterSuccess() {
        if (outageSince == 0 || recoveredAt == 0 || !held.isEmpty() || replaying != null || journal.diskRows() > 0) return;
        Held next = handoff.peek();
        if (next != null && next.entry().queuedAt() <= recoveredAt) return; // rows from the outage are still waiting
        LOG.info("Spend log: the database is back (writes failed for {} s); {} rows were written late, none lost.",
                (recoveredAt - outageSince) / 1000, lateRows);
        outageSince = 0;
        recoveredAt = 0;
        lateRows = 0;
        spillLogged = false;
    }

    private void waitBeforeRetry() {
        backoffMs = backoffMs == 0 ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        long until = System.currentTimeMillis() + backoffMs;
        for (long now = System.currentTimeMillis(); now < until && !stopping; now = System.currentTimeMillis()) {
            LockSupport.parkNanos((until - now) * 1_000_000L);
        }
    }

    /**
     * Writes the next slice of the oldest disk segment (recovered, or written past the memory bound); true when
     * there was one to work on. The open segment is sealed first when it holds disk rows and nothing else waits.
     */
    private boolean replayStep() {
        try {
            if (replaying == null) {
                replaying = journal.nextDiskSegment();
                if (replaying == null) {
                    if (journal.diskRowsInOpenSegment()) {
                        journal.requestRotation();
                        if (journalSleeping) LockSupport.unpark(journalThread);
                    }
                    return false;
                }
                replayRows = journal.read(replaying);
                countRecovered(replaying, replayRows);
            }
            if (replaying.next < replayRows.size()) {
                List<Entry> slice = replayRows.subList(replaying.next, Math.min(replayRows.size(), replaying.next + batchRows));
                List<Held> batch = new ArrayList<>(slice.size());
                for (Entry e : slice) batch.add(new Held(e, replaying));
                if (!settle(batch)) {
                    waitBeforeRetry();
                    return true;
                }
                replaying.next += slice.size();
            }
            if (replaying.next >= replayRows.size()) {
                replaying = null;
                replayRows = null;
                afterSuccess();
            }
            return true;
        } catch (IOException e) {
            LOG.warn("Spend log: cannot read journal segment {} ({}); will try again.", replaying, e.getMessage());
            synchronized (journal) {
                if (replaying != null) replaying.loading = false;
            }
            replaying = null;
            replayRows = null;
            waitBeforeRetry();
            return true;
        }
    }

    private static List<SpendRecord> records(List<Held> rows) {
        List<SpendRecord> out = new ArrayList<>(rows.size());
        for (Held h : rows) out.add(h.entry().row());
        return out;
    }
}
