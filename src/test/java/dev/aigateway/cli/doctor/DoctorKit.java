package dev.aigateway.cli.doctor;

import dev.aigateway.cli.Workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A workspace for one check: .env and config.yaml written as given, and the context the doctor would build from them. */
final class DoctorKit {
    static final String MOCK_ONLY = """
            model_list:
              - model_name: mock
                litellm_params:
                  model: mock/mock-gpt
            """;

    final Path home;
    Long pid;

    DoctorKit(Path home) {
        this.home = home;
    }

    DoctorKit env(String... lines) {
        try {
            Path f = home.resolve(".env");
            Files.writeString(f, String.join("\n", lines) + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DoctorKit config(String yaml) {
        try {
            Files.writeString(home.resolve("config.yaml"), yaml);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DoctorKit mode(String file, String perms) {
        try {
            Files.setPosixFilePermissions(home.resolve(file), PosixFilePermissions.fromString(perms));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DoctorContext context() {
        return DoctorContext.load(new Workspace(home), Map.of(), Map.of(), Optional.ofNullable(pid), DoctorHttp.standard());
    }

    List<Finding> run(Check check) {
        return check.run(context());
    }

    static Finding only(List<Finding> findings) {
        if (findings.size() != 1) throw new AssertionError("expected one finding, got " + findings);
        return findings.get(0);
    }

    static Finding named(List<Finding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + check + "' finding in " + findings));
    }
}
