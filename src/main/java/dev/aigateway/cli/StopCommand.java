package dev.aigateway.cli;

import picocli.CommandLine.Command;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code stop}: SIGTERM to the background gateway (it drains and flushes), then a kill if it has not exited within 45 s. */
@Command(name = "stop", description = "Stop the background gateway started with start.")
final class StopCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Workspace ws = Workspace.current();
        Optional<ProcessHandle> p = ProcessFiles.running(ws);
        if (p.isEmpty()) {
            ProcessFiles.removePid(ws);
            System.out.println("AI Gateway is not running.");
            return 0;
        }
        ProcessHandle h = p.get();
        h.destroy();
        try {
            h.onExit().get(45, TimeUnit.SECONDS); // the gateway drains for up to 30 s, then flushes
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.println("The gateway did not stop within 45 s; killing it.");
            h.destroyForcibly();
            h.onExit().get(10, TimeUnit.SECONDS);
        }
        ProcessFiles.removePid(ws);
        System.out.println("AI Gateway stopped (pid " + h.pid() + ").");
        return 0;
    }
}
