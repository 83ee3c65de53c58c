package dev.aigateway.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The gateway's database: embedded SQLite by default, PostgreSQL when DATABASE_URL says so. Opens a
 * small pool and applies the Flyway migrations of the matching vendor folder at start-up (Flyway's lock
 * makes concurrent start-ups of several instances safe on PostgreSQL).
 *
 * <p>Nothing here is called on a request's path: requests read in-memory state only.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /**
     * The newest migration under db/migration (DatabaseTest checks this against the files). A database already at it
     * skips Flyway, whose classpath scan and validation cost about a third of a second of every start-up.
     */
    static final String LATEST_MIGRATION = "8";
    static final String HISTORY_TABLE = "gateway_schema_history";

    /** PostgreSQL connections when the configuration names no pool size (the launcher's profiles do). */
    public static final int DEFAULT_POOL_SIZE = 4;

    public enum Kind { SQLITE, POSTGRESQL }

    private final Kind kind;
    private final HikariDataSource dataSource;
    private final String displayUrl;

    private Database(Kind kind, HikariDataSource dataSource, String displayUrl) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.displayUrl = displayUrl;
    }

    /** Opens and migrates with {@link #DEFAULT_POOL_SIZE} PostgreSQL connections. */
    public static Database open(String url) {
        return open(url, DEFAULT_POOL_SIZE);
    }

    /**
     * Opens and migrates; throws {@link StoreException} with a readable cause when it cannot.
     *
     * @param poolSize PostgreSQL connections (validated by the configuration); SQLite always has one
     */
    public static Database open(String url, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("gateway-db");
        hc.setInitializationFailTimeout(-1); // we check ourselves and report clearly
        Kind kind;
        String display;
        if (url.startsWith("sqlite:")) {
            kind = Kind.SQLITE;
            Path file = Path.of(url.substring("sqlite:".length())).toAbsolutePath();
            try {
                Files.createDirectories(java.util.Objects.requireNonNull(file.getParent(), "an absolute file has a parent"));
            } catch (java.io.IOException e) {
                throw new StoreException("Cannot create the data directory " + file.getParent() + ": " + e.getMessage());
            }
            hc.setJdbcUrl("jdbc:sqlite:" + file);
            // One connection: SQLite has a single writer; WAL keeps readers from blocking it.
            hc.setMaximumPoolSize(1);
            hc.setConnectionInitSql("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;");
            display = "sqlite:" + file;
        } else if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            kind = Kind.POSTGRESQL;
            URI u = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
            String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
            int port = u.getPort() > 0 ? u.getPort() : 5432;
            hc.setJdbcUrl("jdbc:postgresql://" + u.getHost() + ":" + port + "/" + db + (u.getQuery() != null ? "?" + u.getQuery() : ""));
            if (u.getRawUserInfo() != null) {
                String[] up = u.getRawUserInfo().split(":", 2);
                hc.setUsername(URLDecoder.decode(up[0], StandardCharsets.UTF_8));
                if (up.length > 1) hc.setPassword(URLDecoder.decode(up[1], StandardCharsets.UTF_8));
            }
            hc.setMaximumPoolSize(Math.max(1, poolSize));
            hc.setMinimumIdle(1);
            display = "postgresql://" + u.getHost() + ":" + port + "/" + db;
        } else {
            throw new StoreException("DATABASE_URL must be postgresql://user:pass@host:port/db or sqlite:PATH, not '"
                    + url.replaceAll("//[^@/]*@", "//***@") + "'.");
        }
        hc.setConnectionTimeout(5_000);
        HikariDataSource ds = new HikariDataSource(hc);
        Database db = new Database(kind, ds, display);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("Cannot open the database at " + display + ": " + rootMessage(e));
        }
        return db;
    }

    private void migrate() {
        if (LATEST_MIGRATION.equals(appliedVersion())) {
            LOG.info("Database ready: {}", displayUrl);
            return;
        }
        Flyway.configure()
                .dataSource(dataSource)
                // One schema: portable SQL in common/, the rare vendor-specific step in sqlite/ or postgresql/.
                .locations("classpath:db/migration/common", "classpath:db/migration/" + (kind == Kind.SQLITE ? "sqlite" : "postgresql"))
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .load()
                .migrate();
        LOG.info("Database ready: {}", displayUrl);
    }

    /** The version of the last successful migration, or null (a new database, or one Flyway never finished). */
    String appliedVersion() {
        try (Connection c = dataSource.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM " + HISTORY_TABLE + " WHERE success ORDER BY installed_rank DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null; // no history table yet: Flyway creates it
        }
    }

    /** A blocking liveness check; run it off the event loop. */
    public boolean ping() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public Kind kind() {
        return kind;
    }

    public String displayUrl() {
        return displayUrl;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
