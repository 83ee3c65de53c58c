package dev.aigateway.server.metrics;

import dev.aigateway.server.metrics.PromWriter.Labels;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JVM and process metrics under the names of Prometheus' Java client ({@code jvm_*}, {@code process_*}),
 * read from the platform MXBeans and, for the resident set size, {@code /proc/self/status}. Read at
 * scrape time only (on a worker thread: the /proc read is file I/O).
 */
final class JvmMetrics {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private JvmMetrics() {}

    static void write(PromWriter w) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        w.family("jvm_memory_used_bytes", "gauge", "Used bytes of a given JVM memory area");
        w.sample("jvm_memory_used_bytes", Labels.of("area", "heap"), heap.getUsed());
        w.sample("jvm_memory_used_bytes", Labels.of("area", "nonheap"), nonHeap.getUsed());
        w.family("jvm_memory_committed_bytes", "gauge", "Committed bytes of a given JVM memory area");
        w.sample("jvm_memory_committed_bytes", Labels.of("area", "heap"), heap.getCommitted());
        w.sample("jvm_memory_committed_bytes", Labels.of("area", "nonheap"), nonHeap.getCommitted());
        w.family("jvm_memory_max_bytes", "gauge", "Max bytes of a given JVM memory area (-1 when unbounded)");
        w.sample("jvm_memory_max_bytes", Labels.of("area", "heap"), heap.getMax());
        w.sample("jvm_memory_max_bytes", Labels.of("area", "nonheap"), nonHeap.getMax());

        w.family("jvm_memory_pool_used_bytes", "gauge", "Used bytes of a given JVM memory pool");
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = p.getUsage();
            if (u != null) w.sample("jvm_memory_pool_used_bytes", Labels.of("pool", p.getName()), u.getUsed());
        }
        w.family("jvm_buffer_pool_used_bytes", "gauge", "Used bytes of a given JVM buffer pool (direct, mapped)");
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            w.sample("jvm_buffer_pool_used_bytes", Labels.of("pool", b.getName()), b.getMemoryUsed());
        }
        w.family("gateway_netty_direct_memory_used_bytes", "gauge", "Direct memory held by Netty's buffers (network I/O)");
        w.sample("gateway_netty_direct_memory_used_bytes", nettyDirectMemory());

        w.family("jvm_gc_collection_seconds", "summary", "Time spent in a given JVM garbage collector, in seconds");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            Labels l = Labels.of("gc", gc.getName());
            w.sample("jvm_gc_collection_seconds_count", l, Math.max(0, gc.getCollectionCount()));
            w.sample("jvm_gc_collection_seconds_sum", l, Math.max(0, gc.getCollectionTime()) / 1000.0);
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        w.family("jvm_threads_current", "gauge", "Current thread count of the JVM");
        w.sample("jvm_threads_current", threads.getThreadCount());
        w.family("jvm_threads_daemon", "gauge", "Daemon thread count of the JVM");
        w.sample("jvm_threads_daemon", threads.getDaemonThreadCount());
        w.family("jvm_threads_peak", "gauge", "Peak thread count of the JVM");
        w.sample("jvm_threads_peak", threads.getPeakThreadCount());
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        w.family("jvm_classes_currently_loaded", "gauge", "Classes currently loaded in the JVM");
        w.sample("jvm_classes_currently_loaded", classes.getLoadedClassCount());

        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            w.family("process_cpu_seconds_total", "counter", "User and system CPU time spent by the process, in seconds");
            w.sample("process_cpu_seconds_total", Math.max(0, sun.getProcessCpuTime()) / 1e9);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            w.family("process_open_fds", "gauge", "Open file descriptors");
            w.sample("process_open_fds", unix.getOpenFileDescriptorCount());
            w.family("process_max_fds", "gauge", "Maximum number of open file descriptors");
            w.sample("process_max_fds", unix.getMaxFileDescriptorCount());
        }
        w.family("process_start_time_seconds", "gauge", "Start time of the process since the epoch, in seconds");
        w.sample("process_start_time_seconds", ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        long rss = procStatusBytes("VmRSS:");
        if (rss >= 0) {
            w.family("process_resident_memory_bytes", "gauge", "Resident memory size of the process, in bytes");
            w.sample("process_resident_memory_bytes", rss);
        }
        long virtual = procStatusBytes("VmSize:");
        if (virtual >= 0) {
            w.family("process_virtual_memory_bytes", "gauge", "Virtual memory size of the process, in bytes");
            w.sample("process_virtual_memory_bytes", virtual);
        }
    }

    /** A "Name:   1234 kB" line of /proc/self/status in bytes, or -1 (not Linux, or unreadable). */
    static long procStatusBytes(String field) {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unavailable: the metric is left out
        }
        return -1;
    }

    private static long nettyDirectMemory() {
        try {
            return io.netty.util.internal.PlatformDependent.usedDirectMemory();
        } catch (Throwable t) {
            return -1;
        }
    }
}
