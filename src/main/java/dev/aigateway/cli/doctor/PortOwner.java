package dev.aigateway.cli.doctor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which process listens on a TCP port, as {@code ss -ltnp} would say: the listening socket's inode from
 * {@code /proc/net/tcp} and {@code tcp6}, then the process with that socket among its {@code /proc/<pid>/fd}
 * (readable for this user's processes), else {@code ss} itself. Empty when it cannot be told (another user's
 * process without root, or no /proc).
 */
final class PortOwner {
    private static final String LISTEN = "0A";
    private static final Pattern SS_USER = Pattern.compile("\\(\"([^\"]+)\",pid=(\\d+)");

    record Holder(long pid, String command) {
        String describe() {
            return "pid " + pid + (command == null || command.isBlank() ? "" : " (" + command + ")");
        }
    }

    private PortOwner() {}

    static Optional<Holder> find(int port) {
        Set<String> inodes = listeningInodes(port);
        if (!inodes.isEmpty()) {
            Optional<Holder> h = byInode(inodes);
            if (h.isPresent()) return h;
        }
        return fromSs(port);
    }

    /** Inodes of sockets listening on the port, from the kernel's tables. */
    static Set<String> listeningInodes(int port) {
        Set<String> out = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length < 10 || !f[3].equals(LISTEN)) continue;
                    String local = f[1];
                    if (local.substring(local.lastIndexOf(':') + 1).equalsIgnoreCase(hexPort)) out.add(f[9]);
                }
            } catch (IOException | RuntimeException ignored) {
                // no such table here
            }
        }
        return out;
    }

    private static Optional<Holder> byInode(Set<String> inodes) {
        Set<String> targets = new HashSet<>();
        inodes.forEach(i -> targets.add("socket:[" + i + "]"));
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> String.valueOf(p.getFileName()).matches("\\d+"))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (targets.contains(Files.readSymbolicLink(fd).toString())) {
                                long pid = Long.parseLong(String.valueOf(proc.getFileName()));
                                return Optional.of(new Holder(pid, command(pid)));
                            }
                        } catch (IOException ignored) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException | SecurityException ignored) {
                    // another user's process
                }
            }
        } catch (IOException ignored) {
            // no /proc
        }
        return Optional.empty();
    }

    /** The command line of a process, shortened for one line of output. */
    static String command(long pid) {
        try {
            String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ').replaceAll("\\s+", " ").strip();
            return cmd.length() > 100 ? cmd.substring(0, 100) + "..." : cmd;
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("");
        }
    }

    private static Optional<Holder> fromSs(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-ltnpH", "sport = :" + port).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(3, TimeUnit.SECONDS)) p.destroyForcibly();
            Matcher m = SS_USER.matcher(out);
            if (m.find()) {
                long pid = Long.parseLong(m.group(2));
                String cmd = command(pid);
                return Optional.of(new Holder(pid, cmd.isBlank() ? m.group(1) : cmd));
            }
        } catch (IOException | RuntimeException e) {
            // no ss here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }
}
