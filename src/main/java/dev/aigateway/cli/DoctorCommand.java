package dev.aigateway.cli;

import dev.aigateway.cli.doctor.Doctor;
import dev.aigateway.cli.doctor.DoctorContext;
import dev.aigateway.cli.doctor.DoctorHttp;
import dev.aigateway.cli.doctor.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code doctor}: every trouble a LiteLLM stack's operators meet, checked, each as PASS, WARN or FAIL with what was found and the
 * command or setting that fixes it. Exit code 0 when nothing fails (warnings allowed), 1 otherwise.
 */
@Command(name = "doctor", description = "Check the installation and the running gateway; print each problem with its fix. "
        + "Exit code 1 when a check fails.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Option(names = "--json", description = "print a JSON array of {check, status, message, fix}")
    boolean json;

    @Override
    public Integer call() {
        Workspace ws = Workspace.current();
        DoctorContext ctx = DoctorContext.load(ws, options.asFlags(), System.getenv(),
                ProcessFiles.running(ws).map(ProcessHandle::pid), DoctorHttp.standard());
        List<Finding> findings = Doctor.standard().run(ctx);
        if (json) {
            System.out.print(Doctor.json(findings));
        } else {
            String encoding = System.getProperty("stdout.encoding", Charset.defaultCharset().name());
            System.out.print(Doctor.text(findings, encoding.toUpperCase(java.util.Locale.ROOT).contains("UTF") ? "→" : "->"));
        }
        System.out.flush();
        return Doctor.exitCode(findings);
    }
}
