package dev.aigateway.cli.doctor;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * DATABASE_URL taken apart as the gateway's store reads it: {@code sqlite:PATH}, or
 * {@code postgresql://user:password@host:port/db} (also {@code postgres://}), with a display form without the password.
 */
record DatabaseTarget(boolean sqlite, Path file, String host, int port, String database, String user, String password, String query) {

    static DatabaseTarget parse(String url, Path home) {
        if (url.startsWith("sqlite:")) {
            Path p = Path.of(url.substring("sqlite:".length()));
            return new DatabaseTarget(true, (p.isAbsolute() ? p : home.resolve(p)).normalize(), null, 0, null, null, null, null);
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            URI u = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
            String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
            String user = null;
            String password = null;
            if (u.getRawUserInfo() != null) {
                String[] up = u.getRawUserInfo().split(":", 2);
                user = URLDecoder.decode(up[0], StandardCharsets.UTF_8);
                if (up.length > 1) password = URLDecoder.decode(up[1], StandardCharsets.UTF_8);
            }
            return new DatabaseTarget(false, null, u.getHost(), u.getPort() > 0 ? u.getPort() : 5432, db, user, password, u.getQuery());
        }
        throw new IllegalArgumentException("DATABASE_URL must be postgresql://user:pass@host:port/db or sqlite:PATH");
    }

    /** The JDBC URL with short timeouts: the doctor answers in seconds, not the driver's defaults. */
    String jdbcUrl() {
        if (sqlite) return "jdbc:sqlite:" + file;
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?connectTimeout=3&socketTimeout=5&loginTimeout=5"
                + (query != null ? "&" + query : "");
    }

    String display() {
        if (sqlite) return "sqlite:" + file;
        return "postgresql://" + (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }
}
