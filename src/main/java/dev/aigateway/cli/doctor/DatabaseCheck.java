package dev.aigateway.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The configured database opens with the configured credentials, by a JDBC connection of the doctor's own (so it
 * also works when the gateway is stopped): SQLite's file (or its directory) is writable; PostgreSQL answers
 * {@code SELECT 1}, and its refusals are explained by {@link DatabaseErrors}.
 */
public final class DatabaseCheck implements Check {
    static final String NAME = "database";

    @Override
    public List<Finding> run(DoctorContext ctx) {
        if (ctx.config() == null) return List.of(Finding.warn(NAME, "not checked: the configuration does not load", "see the configuration line"));
        DatabaseTarget t;
        try {
            t = DatabaseTarget.parse(ctx.config().databaseUrl(), ctx.workspace().home());
        } catch (IllegalArgumentException e) {
            return List.of(Finding.fail(NAME, "DATABASE_URL is not understood: " + e.getMessage(),
                    "DATABASE_URL=sqlite:./data/gateway.db (or postgresql://user:pass@host:5432/db) in .env"));
        }
        return List.of(t.sqlite() ? sqlite(t) : postgres(t));
    }

    private static Finding sqlite(DatabaseTarget t) {
        Path file = t.file();
        if (!Files.exists(file)) {
            Path dir = file.getParent();
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing != null && Files.isWritable(existing)) {
                return Finding.pass(NAME, t.display() + " does not exist yet; it is created at start (" + existing + " is writable)");
            }
            return Finding.fail(NAME, "cannot create " + t.display() + ": " + existing + " is not writable",
                    "chown -R $USER " + existing + " (or point DATABASE_URL in .env to a writable place)");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isWritable(file) || dir == null || !Files.isWritable(dir)) {
            return Finding.fail(NAME, t.display() + " is not writable by this user", "chown $USER " + file + " " + dir + " && chmod u+rw " + file);
        }
        try (Connection c = DriverManager.getConnection(t.jdbcUrl()); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            s.execute("SELECT 1");
            return Finding.pass(NAME, t.display() + " (" + megabytes(file) + ") opens and is writable");
        } catch (SQLException e) {
            return Finding.fail(NAME, t.display() + " does not open: " + e.getMessage(),
                    "restore it from a backup, or move it aside (mv " + file + " " + file + ".broken) to start with an empty one");
        }
    }

    private static Finding postgres(DatabaseTarget t) {
        Properties p = new Properties();
        if (t.user() != null) p.setProperty("user", t.user());
        if (t.password() != null) p.setProperty("password", t.password());
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(t.jdbcUrl(), p); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            s.execute("SELECT 1");
            String version = c.getMetaData().getDatabaseProductVersion();
            return Finding.pass(NAME, t.display() + " reachable with the configured credentials (PostgreSQL " + version + ")");
        } catch (SQLException e) {
            DatabaseErrors.Explanation x = DatabaseErrors.explain(rootMessage(e), t);
            String message = t.password() == null ? x.message() : x.message().replace(t.password(), "***");
            return Finding.fail(NAME, message, x.fix());
        }
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) sb.append(": ").append(c.getMessage());
        }
        return sb.toString();
    }

    private static String megabytes(Path file) {
        try {
            return String.format(java.util.Locale.ROOT, "%.1f MB", Files.size(file) / 1048576.0);
        } catch (java.io.IOException e) {
            return "size unknown";
        }
    }
}
