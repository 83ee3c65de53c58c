/*
 * The spend journal's write-to-kernel latency under its two possible designs, with a stand-in of the journal (no
 * gateway): a producer queues 1,600 rows/s; a journal thread writes what is queued every 5 ms (400-byte rows, one
 * write per group) and an fdatasync runs every 50 ms, either on the journal thread ("same": the design before
 * the sync thread) or on its own thread ("split": SpendLogWriter's design). Prints, in ms, from queued to the
 * write returning (what a kill -9 depends on), the fdatasyncs' durations, the write() calls' durations, and how
 * late the journal thread woke from its 5 ms sleep. docs/spend.md ("The bound") has the figures.
 *
 *   java bench/JournalLatency.java same|split SECONDS FILE
 *
 * Run it alone, then beside a disk load (e.g. a loop of `dd if=/dev/zero of=F bs=1M count=32 conv=fdatasync`)
 * and CPU load, with FILE on the disk the gateway's data directory is on.
 */
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.locks.LockSupport;

/** Write-to-kernel latency of a row under the journal's two designs: fdatasync on the write thread ("same") or on its own ("split"). */
public class JournalLatency {
    public static void main(String[] a) throws Exception {
        String mode = a[0];
        long seconds = Long.parseLong(a[1]);
        Path file = Path.of(a[2]);
        Files.deleteIfExists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        ConcurrentLinkedQueue<Long> q = new ConcurrentLinkedQueue<>();
        List<Long> lat = Collections.synchronizedList(new ArrayList<>());
        List<Long> syncs = Collections.synchronizedList(new ArrayList<>());
        List<Long> writes = new ArrayList<>();
        List<Long> oversleep = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        byte[] row = new byte[400];
        Arrays.fill(row, (byte) 'x');
        Thread producer = Thread.ofPlatform().start(() -> {
            long next = System.nanoTime();
            while (System.nanoTime() < end) {
                q.offer(System.nanoTime());
                next += 625_000; // 1,600 rows/s
                long left = next - System.nanoTime();
                if (left > 0) LockSupport.parkNanos(left);
            }
        });
        Thread syncer = null;
        if (mode.equals("split")) {
            syncer = Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    try { ch.force(false); } catch (Exception e) { throw new RuntimeException(e); }
                    syncs.add(System.nanoTime() - t);
                    long left = 50_000_000L - (System.nanoTime() - t);
                    if (left > 0) LockSupport.parkNanos(left);
                }
            });
        }
        long lastSync = System.nanoTime();
        List<Long> group = new ArrayList<>();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            for (Long t; (t = q.poll()) != null; ) group.add(t);
            if (!group.isEmpty()) {
                ByteBuffer buf = ByteBuffer.allocate(row.length * group.size());
                for (int i = 0; i < group.size(); i++) buf.put(row);
                buf.flip();
                long w0 = System.nanoTime();
                while (buf.hasRemaining()) ch.write(buf);
                long done = System.nanoTime();
                writes.add(done - w0);
                for (long t : group) lat.add(done - t);
                group.clear();
                if (mode.equals("same") && done - lastSync >= 50_000_000L) {
                    ch.force(false);
                    syncs.add(System.nanoTime() - done);
                    lastSync = System.nanoTime();
                }
            }
            long left = 5_000_000L - (System.nanoTime() - start);
            if (left > 0) { long p0 = System.nanoTime(); LockSupport.parkNanos(left); oversleep.add(System.nanoTime() - p0 - left); }
        }
        producer.join();
        if (syncer != null) syncer.join();
        report(mode + " row queued->write() returned", lat);
        report(mode + " fdatasync duration", syncs);
        report(mode + " write() duration", writes);
        report(mode + " journal thread woke late by", oversleep);
        Files.deleteIfExists(file);
    }

    static void report(String what, List<Long> ns) {
        List<Long> s = new ArrayList<>(ns);
        Collections.sort(s);
        if (s.isEmpty()) { System.out.println(what + ": none"); return; }
        long over50 = s.stream().filter(x -> x > 50_000_000L).count();
        System.out.printf("%s: n=%d p50=%.2f p99=%.2f p99.9=%.2f max=%.2f ms, >50ms: %d%n", what, s.size(),
                s.get(s.size() / 2) / 1e6, s.get((int) (s.size() * 0.99)) / 1e6, s.get((int) (s.size() * 0.999)) / 1e6,
                s.get(s.size() - 1) / 1e6, over50);
    }
}
