package dev.aigateway.cli.litellm;

import dev.aigateway.core.Json;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A LiteLLM proxy's PostgreSQL database (its Prisma tables), read only. Tables are read in pages ordered by their
 * primary key (keyset pagination), so memory stays bounded whatever a table's size. Only the columns asked for that
 * the database really has are selected: LiteLLM's schema grows with its releases, and an older database simply has
 * fewer of them (they read as null).
 */
public final class LiteLlmSource implements AutoCloseable {
    private final Connection connection;
    private final String display;

    private LiteLlmSource(Connection connection, String display) {
        this.connection = connection;
        this.display = display;
    }

    /**
     * Connects to {@code postgresql://user:password@host:port/db} (LiteLLM's DATABASE_URL; Prisma's {@code ?schema=}
     * becomes the search path, its pool options are dropped).
     *
     * @throws IllegalArgumentException for a URL that is not PostgreSQL's
     * @throws SQLException             when the database cannot be reached (the message never holds the password)
     */
    public static LiteLlmSource open(String url) throws SQLException {
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("--from must be LiteLLM's PostgreSQL URL, postgresql://user:password@host:5432/db, not '"
                    + mask(url) + "'");
        }
        URI u = URI.create(url.replaceFirst("^postgres(ql)?://", "http://"));
        if (u.getHost() == null) throw new IllegalArgumentException("--from has no host: '" + mask(url) + "'");
        String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
        int port = u.getPort() > 0 ? u.getPort() : 5432;
        Properties props = new Properties();
        if (u.getRawUserInfo() != null) {
            String[] up = u.getRawUserInfo().split(":", 2);
            props.setProperty("user", URLDecoder.decode(up[0], StandardCharsets.UTF_8));
            if (up.length > 1) props.setProperty("password", URLDecoder.decode(up[1], StandardCharsets.UTF_8));
        }
        props.setProperty("connectTimeout", "10");
        props.setProperty("ApplicationName", "ai-gateway import-litellm");
        if (u.getRawQuery() != null) {
            for (String p : u.getRawQuery().split("&")) {
                String[] kv = p.split("=", 2);
                if (kv.length < 2) continue;
                String value = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
                if (kv[0].equals("schema")) props.setProperty("currentSchema", value);
                else if (kv[0].startsWith("ssl")) props.setProperty(kv[0], value);
            }
        }
        String display = "postgresql://" + (props.getProperty("user") == null ? "" : props.getProperty("user") + "@") + u.getHost() + ":" + port + "/" + db;
        try {
            Connection c = DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + port + "/" + db, props);
            c.setReadOnly(true);
            c.setAutoCommit(false); // a consistent snapshot per page, and the driver honours fetch sizes only inside one
            return new LiteLlmSource(c, display);
        } catch (SQLException e) {
            throw new SQLException("cannot connect to LiteLLM's database " + display + ": " + e.getMessage());
        }
    }

    /** A URL with its password replaced by ***, for messages. */
    public static String mask(String url) {
        return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    public String display() {
        return display;
    }

    /** What is done with each page of rows. */
    @FunctionalInterface
    public interface PageHandler {
        void accept(List<SourceRow> rows) throws SQLException;
    }

    /** Whether LiteLLM's database has {@code table}; when not, the report says so (an older or newer release). */
    boolean has(String table, ImportReport report) throws SQLException {
        if (!columns(table).isEmpty()) return true;
        report.note("LiteLLM's database has no table \"" + table + "\" (another LiteLLM release?): nothing imported from it.");
        return false;
    }

    /** The columns a table has in the current schema; empty when the table does not exist. */
    public Set<String> columns(String table) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        } finally {
            connection.commit();
        }
        return out;
    }

    public long count(String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM " + quote(table));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } finally {
            connection.commit();
        }
    }

    /** The rows of {@code table} whose {@code column} equals {@code value}, with the wanted columns it has. */
    public List<SourceRow> where(String table, List<String> wanted, String column, String value) throws SQLException {
        List<String> cols = present(table, wanted);
        List<SourceRow> out = new ArrayList<>();
        if (cols.isEmpty()) return out;
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + list(cols) + " FROM " + quote(table) + " WHERE " + quote(column) + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
        } finally {
            connection.commit();
        }
        return out;
    }

    /**
     * Reads {@code table} in pages of {@code pageSize} rows ordered by {@code key} (its primary key columns, text),
     * handing each page to {@code page}. Rows whose key has a null part cannot be paged past and do not occur
     * (primary keys are never null).
     */
    public void pages(String table, List<String> wanted, List<String> key, int pageSize, PageHandler page) throws SQLException {
        List<String> cols = present(table, wanted);
        for (String k : key) if (!cols.contains(k)) cols.add(k);
        String keys = list(key);
        String base = "SELECT " + list(cols) + " FROM " + quote(table);
        String order = " ORDER BY " + keys + " LIMIT " + pageSize;
        String[] last = null;
        while (true) {
            List<SourceRow> rows = new ArrayList<>(pageSize);
            String sql = last == null ? base + order
                    : base + " WHERE (" + keys + ") > (" + String.join(",", java.util.Collections.nCopies(key.size(), "?")) + ")" + order;
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setFetchSize(pageSize);
                if (last != null) for (int i = 0; i < last.length; i++) ps.setString(i + 1, last[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(row(rs));
                }
            } finally {
                connection.commit();
            }
            if (rows.isEmpty()) return;
            SourceRow end = rows.get(rows.size() - 1);
            last = key.stream().map(end::text).toArray(String[]::new);
            page.accept(rows);
            if (rows.size() < pageSize) return;
        }
    }

    private List<String> present(String table, List<String> wanted) throws SQLException {
        Set<String> have = columns(table);
        List<String> out = new ArrayList<>();
        for (String w : wanted) if (have.contains(w)) out.add(w);
        return out;
    }

    private static SourceRow row(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> values = new HashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            values.put(md.getColumnLabel(i), value(rs, i, md.getColumnType(i), md.getColumnTypeName(i)));
        }
        return new SourceRow(values);
    }

    /** A column's value in the gateway's terms (see {@link SourceRow}). */
    private static Object value(ResultSet rs, int i, int type, String typeName) throws SQLException {
        if (rs.getObject(i) == null) return null;
        if (type == Types.TIMESTAMP) {
            // Prisma's TIMESTAMP(3) holds UTC without a zone: read as a local date-time and placed at UTC, never
            // through the JVM's default zone
            return rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (type == Types.TIMESTAMP_WITH_TIMEZONE || "timestamptz".equals(typeName)) {
            return rs.getObject(i, OffsetDateTime.class).toInstant().toEpochMilli();
        }
        if (type == Types.ARRAY) {
            Array a = rs.getArray(i);
            Object[] items = (Object[]) a.getArray();
            return new ArrayList<>(Arrays.asList(items));
        }
        if ("jsonb".equals(typeName) || "json".equals(typeName)) {
            return Json.tryParse(rs.getString(i).getBytes(StandardCharsets.UTF_8));
        }
        return rs.getObject(i);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String list(List<String> cols) {
        StringJoiner j = new StringJoiner(", ");
        for (String c : cols) j.add(quote(c));
        return j.toString();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a read-only session: nothing to lose
        }
    }
}
