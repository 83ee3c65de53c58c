package dev.aigateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

/** The pid file of a background gateway, and the process it names if that process is still alive. */
final class ProcessFiles {
    private ProcessFiles() {}

    static Optional<ProcessHandle> running(Workspace ws) {
        try {
            if (!Files.exists(ws.pidFile())) return Optional.empty();
            long pid = Long.parseLong(Files.readString(ws.pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void writePid(Workspace ws, long pid) throws IOException {
        Files.createDirectories(ws.dataDir());
        Files.writeString(ws.pidFile(), pid + "\n");
    }

    static void removePid(Workspace ws) {
        try {
            Files.deleteIfExists(ws.pidFile());
        } catch (IOException ignored) {
            // nothing to clean
        }
    }

    /** The last lines of the log, to show why a start failed. */
    static String tail(Workspace ws, int lines) {
        try {
            var all = Files.readAllLines(ws.logFile());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
