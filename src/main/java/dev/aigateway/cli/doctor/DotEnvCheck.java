package dev.aigateway.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code .env} exists and only its owner can read it: it holds the master key, the salt key and provider keys. */
public final class DotEnvCheck implements Check {
    @Override
    public List<Finding> run(DoctorContext ctx) {
        Path env = ctx.workspace().dotEnv();
        if (!Files.isRegularFile(env)) {
            return List.of(Finding.fail(".env", "not found in " + ctx.workspace().home(), "./ai-gateway setup"));
        }
        Finding present = Finding.pass(".env", "present (" + env + ")");
        if (!Files.isReadable(env)) {
            return List.of(present, Finding.fail(".env permissions", "not readable by this user", "sudo chown $USER .env && chmod 600 .env"));
        }
        String mode = FileModes.octal(env);
        if (mode == null) return List.of(present, Finding.pass(".env permissions", "not a Unix file system: modes not checked"));
        if (FileModes.within(mode, "600")) return List.of(present, Finding.pass(".env permissions", mode));
        return List.of(present, Finding.fail(".env permissions", mode + ": other users can read the master key and provider keys", "chmod 600 .env"));
    }
}
