package dev.aigateway.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Memory figures from a Linux /proc: a process's resident set (VmRSS) and the machine's MemTotal and MemAvailable, in KiB. */
final class ProcMemory {
    private final Path proc;

    ProcMemory(Path proc) {
        this.proc = proc;
    }

    OptionalLong rssKb(long pid) {
        return field(proc.resolve(Long.toString(pid)).resolve("status"), "VmRSS:");
    }

    OptionalLong totalKb() {
        return field(proc.resolve("meminfo"), "MemTotal:");
    }

    OptionalLong availableKb() {
        return field(proc.resolve("meminfo"), "MemAvailable:");
    }

    private static OptionalLong field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) return OptionalLong.of(Long.parseLong(line.substring(name.length()).strip().split("\\s+")[0]));
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux, or the process has gone
        }
        return OptionalLong.empty();
    }
}
