package dev.aigateway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;

/** {@code logs [-f] [--tail N]}: the background gateway's log (data/gateway.log). */
@Command(name = "logs", description = "Show the gateway's log; -f follows it.")
final class LogsCommand implements Callable<Integer> {
    @Option(names = {"-f", "--follow"}, description = "keep printing new lines")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "start with the last N lines (default 100)")
    int tail = 100;

    @Override
    public Integer call() throws Exception {
        Path log = Workspace.current().logFile();
        if (!Files.exists(log)) {
            System.err.println("No log yet at " + log + ". The log is written by ./ai-gateway start.");
            return 1;
        }
        long position = printTail(log, tail);
        while (follow) {
            Thread.sleep(200);
            long size = Files.size(log);
            if (size < position) position = 0; // the log was truncated or replaced
            if (size > position) position = copy(log, position);
        }
        return 0;
    }

    private static long printTail(Path log, int n) throws IOException {
        Deque<String> last = new ArrayDeque<>(Math.max(1, n));
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            lines.forEach(l -> {
                if (n <= 0) return;
                if (last.size() == n) last.removeFirst();
                last.addLast(l);
            });
        }
        last.forEach(System.out::println);
        return Files.size(log);
    }

    private static long copy(Path log, long from) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(from);
            byte[] buf = new byte[8192];
            int n;
            while ((n = f.read(buf)) > 0) System.out.write(buf, 0, n);
            System.out.flush();
            return f.getFilePointer();
        }
    }
}
