package dev.aigateway.governance.spend;

import dev.aigateway.governance.spend.SpendSpool.SpoolFile;
import dev.aigateway.governance.spend.SpendSpool.Spooled;
import dev.aigateway.store.Database;
import dev.aigateway.store.SpendStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The spend log: requests' rows reach the database in batches, never on the request's path, and none is
 * lost when the database is away.
 *
 * <p><b>Event loops</b> only call {@link #record}: one lock-free {@link ConcurrentLinkedQueue#offer} and an
 * atomic increment (plus an unpark of the writer when a batch is full). It never blocks and never refuses.
 *
 * <p><b>One daemon thread</b> ({@code spend-writer}) does everything else. It takes up to
 * {@link #BATCH_ROWS} rows every {@link #BATCH_INTERVAL_MS} ms (sooner when a batch is full) and writes them
 * in one transaction ({@link SpendStore#write}: rows, daily aggregates, keys' spend). When that fails it
 * keeps the batch and retries it with a backoff that doubles from 100 ms to {@link #MAX_BACKOFF_MS},
 * logging the outage once and, when the backlog has been written, the recovery once with how many rows
 * were written late. Past {@link #MEMORY_BOUND} rows in memory it spills the queue's rows to append-only
 * files ({@link SpendSpool}) until half the bound is left; the files are replayed once writes succeed
 * again and deleted only after their rows committed. Duplicates of a request id (a replay after a lost
 * commit acknowledgement) are skipped by the store, so every row lands exactly once.
 *
 * <p>A batch the database refuses three times while it answers pings (bad data, not an outage) is written
 * row by row and the rows it still refuses are kept in a {@code rejected-*.ndjson} file with an error,
 * so one bad row cannot hold up the rows behind it.
 *
 * <p>{@link #close} writes what is waiting; if the database is down it spools the rest to disk, where the
 * next start finds and replays it.
 */
public final class SpendLogWriter implements SpendLog {
    private static final Logger LOG = LoggerFactory.getLogger(SpendLogWriter.class);
    static final int BATCH_ROWS = 1_000;
    static final long BATCH_INTERVAL_MS = 500;
    static final int MEMORY_BOUND = 100_000;
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5_000;
    static final long FLUSH_TIMEOUT_MS = 30_000;
    private static final int ISOLATE_AFTER_FAILURES = 3;

    /** Where batches go: the database ({@link SpendStore}), or a stand-in in tests. */
    interface Sink {
        /** Writes rows in one transaction, or throws and stores none of them. */
        int write(List<SpendRecord> rows);

        /** Whether the database answers at all (a failing write while it does means bad data). */
        boolean reachable();
    }

    private final Sink sink;
    private final SpendSpool spool;
    private final int memoryBound;
    private final int batchRows;
    private final long intervalMs;
    private final SpendRetention retention;
    private final ConcurrentLinkedQueue<Spooled> queue = new ConcurrentLinkedQueue<>();
    /** Rows in the queue plus the rows the writer holds. */
    private final AtomicLong inMemory = new AtomicLong();
    private final AtomicInteger flushers = new AtomicInteger();
    private final Thread writer;
    private volatile boolean stopping;
    private volatile boolean closed;
    private volatile long heldOldest;

    // writer-thread state
    private final List<Spooled> held = new ArrayList<>();
    private SpoolFile replaying;
    private int replayedUpTo;
    private int failures;
    private long backoffMs;
    private long outageSince;
    /** When writes first succeeded again after an outage (0: not yet, or no outage). */
    private long recoveredAt;
    private long lateRows;
    private boolean spillLogged;
    private boolean spillFailedLogged;

    public SpendLogWriter(Database db, Path spoolDir) {
        this(db, spoolDir, SpendRetention.Policy.KEEP_FOREVER);
    }

    /** The gateway's spend log on {@code db}, spilling to {@code spoolDir}, deleting rows past the retention policy. */
    public SpendLogWriter(Database db, Path spoolDir, SpendRetention.Policy retention) {
        this(new SpendStore(db), spoolDir, retention);
    }

    private SpendLogWriter(SpendStore store, Path spoolDir, SpendRetention.Policy retention) {
        this(sinkOf(store), spoolDir, MEMORY_BOUND, BATCH_ROWS, BATCH_INTERVAL_MS, new SpendRetention(store, retention, Clock.systemUTC()));
    }

    /** For tests: a chosen sink, memory bound and batch shape, no retention. */
    SpendLogWriter(Sink sink, Path spoolDir, int memoryBound, int batchRows, long intervalMs) {
        this(sink, spoolDir, memoryBound, batchRows, intervalMs, null);
    }

    private SpendLogWriter(Sink sink, Path spoolDir, int memoryBound, int batchRows, long intervalMs, SpendRetention retention) {
        this.sink = sink;
        this.spool = new SpendSpool(spoolDir);
        this.memoryBound = memoryBound;
        this.batchRows = batchRows;
        this.intervalMs = intervalMs;
        this.retention = retention;
        this.writer = new Thread(this::run, "spend-writer");
        writer.setDaemon(true);
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
        Spooled s = new Spooled(System.currentTimeMillis(), row);
        if (closed) {
            spoolAfterClose(List.of(s));
            return;
        }
        queue.offer(s);
        long n = inMemory.incrementAndGet();
        if (n == batchRows || n == memoryBound + 1L) LockSupport.unpark(writer);
    }

    @Override
    public long queued() {
        return inMemory.get() + spool.rows();
    }

    @Override
    public long oldestAgeMillis() {
        long oldest = Long.MAX_VALUE;
        long h = heldOldest;
        if (h > 0) oldest = h;
        Spooled head = queue.peek();
        if (head != null) oldest = Math.min(oldest, head.queuedAt());
        long s = spool.oldestQueuedAt();
        if (s > 0) oldest = Math.min(oldest, s);
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
    }

    /** Rows spilled to disk and not yet written (part of {@link #queued}). */
    long spooled() {
        return spool.rows();
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
        LockSupport.unpark(writer);
        try {
            writer.join(FLUSH_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("Spend log: the writer did not finish within {} s; spooling what is left in memory to {}.",
                    FLUSH_TIMEOUT_MS / 1000, spool.dir());
            writer.interrupt();
        }
        synchronized (spool) {
            closed = true;
            List<Spooled> rest = new ArrayList<>();
            for (Spooled s; (s = queue.poll()) != null; ) rest.add(s);
            if (!rest.isEmpty()) {
                appendToSpool(rest);
                inMemory.addAndGet(-rest.size());
            }
        }
        long left = spool.rows();
        if (left > 0) LOG.warn("Spend log: {} rows could not be written before shutdown; they are kept in {} and will be written at the next start.", left, spool.dir());
    }

    private void spoolAfterClose(List<Spooled> rows) {
        synchronized (spool) {
            appendToSpool(rows);
        }
    }

    private void appendToSpool(List<Spooled> rows) {
        try {
            spool.append(rows);
        } catch (IOException e) {
            LOG.error("Spend log: cannot write {} rows to {} at shutdown; they are lost: {}", rows.size(), spool.dir(), e.getMessage());
        }
    }

    // --- the writer thread

    private void run() {
        long nextDrainAt = System.currentTimeMillis() + intervalMs;
        while (true) {
            try {
                if (held.isEmpty()) {
                    if (stopping && queue.isEmpty()) break;
                    long now = System.currentTimeMillis();
                    boolean due = inMemory.get() >= batchRows || now >= nextDrainAt || flushers.get() > 0 || stopping;
                    if (!due || queue.isEmpty()) {
                        spillIfOverBound();
                        if (!stopping && (replaying != null || !spool.isEmpty())) {
                            replayStep();
                            continue;
                        }
                        if (due) nextDrainAt = now + intervalMs;
                        LockSupport.parkNanos(Math.max(1, nextDrainAt - now) * 1_000_000L);
                        continue;
                    }
                    nextDrainAt = now + intervalMs;
                    spillIfOverBound(); // a slow but working database can fall behind too
                    take();
                }
                if (settle(held)) {
                    inMemory.addAndGet(-held.size());
                    held.clear();
                    heldOldest = 0;
                    afterSuccess();
                } else if (stopping) {
                    spillEverythingAndStop();
                    break;
                } else {
                    waitBeforeRetry();
                }
            } catch (RuntimeException | Error e) {
                LOG.error("Spend log: unexpected error in the writer (continuing): {}", e.toString(), e);
                waitBeforeRetry();
            }
        }
    }

    private void take() {
        for (int i = 0; i < batchRows; i++) {
            Spooled s = queue.poll();
            if (s == null) break;
            held.add(s);
        }
        long oldest = Long.MAX_VALUE;
        for (Spooled s : held) oldest = Math.min(oldest, s.queuedAt());
        heldOldest = held.isEmpty() ? 0 : oldest;
    }

    /**
     * Tries to store rows; true when they are settled (written, or refused for their own content and kept in
     * a rejected file), false when they must be retried.
     */
    private boolean settle(List<Spooled> rows) {
        try {
            int fresh = sink.write(records(rows));
            if (outageSince != 0) {
                lateRows += fresh;
                if (recoveredAt == 0) recoveredAt = System.currentTimeMillis();
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
                LOG.warn("Spend log: cannot write to the database ({}). {} rows are waiting; retrying every few seconds, "
                        + "spilling to {} past {} rows in memory. No rows are lost.", e.getMessage(), queued(), spool.dir(), memoryBound);
            }
            return false;
        }
    }

    private boolean reachable() {
        try {
            return sink.reachable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The database answers but refuses the batch: row by row, keeping any row it still refuses on disk. */
    private void isolate(List<Spooled> rows, RuntimeException cause) {
        LOG.warn("Spend log: the database refuses a batch of {} rows while it is reachable ({}); writing them one by one.",
                rows.size(), cause.getMessage());
        for (Spooled s : rows) {
            try {
                int fresh = sink.write(List.of(s.row()));
                if (outageSince != 0) lateRows += fresh;
            } catch (RuntimeException e) {
                synchronized (spool) {
                    spool.reject(s, e.getMessage());
                }
            }
        }
    }

    private void afterSuccess() {
        spillFailedLogged = false;
        if (outageSince == 0 || recoveredAt == 0 || !held.isEmpty() || !spool.isEmpty() || replaying != null) return;
        Spooled next = queue.peek();
        if (next != null && next.queuedAt() <= recoveredAt) return; // rows from the outage are still waiting
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
            spillIfOverBound();
            LockSupport.parkNanos((until - now) * 1_000_000L);
        }
        spillIfOverBound();
    }

    /** Past the memory bound, moves queued rows to disk until half the bound is left. */
    private void spillIfOverBound() {
        if (inMemory.get() <= memoryBound) return;
        List<Spooled> out = new ArrayList<>();
        long target = memoryBound / 2;
        while (inMemory.get() - out.size() > target) {
            Spooled s = queue.poll();
            if (s == null) break;
            out.add(s);
        }
        if (out.isEmpty()) return;
        try {
            synchronized (spool) {
                spool.append(out);
            }
            inMemory.addAndGet(-out.size());
            if (!spillLogged) {
                spillLogged = true;
                LOG.warn("Spend log: more than {} rows are waiting; spilling rows to {} until the database takes them.", memoryBound, spool.dir());
            }
        } catch (IOException e) {
            queue.addAll(out); // keep them in memory: better over the bound than lost
            if (!spillFailedLogged) {
                spillFailedLogged = true;
                LOG.error("Spend log: cannot spill rows to {} ({}); keeping {} rows in memory.", spool.dir(), e.getMessage(), inMemory.get());
            }
        }
    }

    /** Writes the next slice of the oldest spool file; deletes the file once all its rows are written. */
    private void replayStep() {
        try {
            if (replaying == null) {
                synchronized (spool) {
                    replaying = spool.oldest();
                }
                replayedUpTo = 0;
                if (replaying == null) return;
            }
            List<Spooled> rows = replaying.rows();
            if (replayedUpTo < rows.size()) {
                List<Spooled> slice = rows.subList(replayedUpTo, Math.min(rows.size(), replayedUpTo + batchRows));
                if (!settle(slice)) {
                    waitBeforeRetry();
                    return;
                }
                replayedUpTo += slice.size();
            }
            if (replayedUpTo >= rows.size()) {
                synchronized (spool) {
                    spool.delete(replaying);
                }
                replaying = null;
                afterSuccess();
            }
        } catch (IOException e) {
            LOG.warn("Spend log: cannot read or delete spool file ({}); will try again.", e.getMessage());
            replaying = null;
            waitBeforeRetry();
        }
    }

    private void spillEverythingAndStop() {
        List<Spooled> rest = new ArrayList<>(held);
        for (Spooled s; (s = queue.poll()) != null; ) rest.add(s);
        synchronized (spool) {
            appendToSpool(rest);
        }
        inMemory.addAndGet(-rest.size());
        held.clear();
        heldOldest = 0;
    }

    private static List<SpendRecord> records(List<Spooled> rows) {
        List<SpendRecord> out = new ArrayList<>(rows.size());
        for (Spooled s : rows) out.add(s.row());
        return out;
    }
}
