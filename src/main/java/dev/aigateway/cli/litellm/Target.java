package dev.aigateway.cli.litellm;

import dev.aigateway.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The gateway's database as the importer writes it: one row at a time into a table keyed by its primary key, never
 * replacing a row that is there ({@code INSERT ... ON CONFLICT DO NOTHING}, the same SQL on SQLite and PostgreSQL), so
 * that a second import adds nothing. In a dry run nothing is written; a row counts as "to import" when its primary key
 * is not there yet.
 */
final class Target {
    /** What became of one row. */
    enum Outcome {
        IMPORTED,
        /** Its primary key is there already. */
        SKIPPED,
        /** Not there, yet not inserted: another unique column (a key's alias) is taken. */
        CONFLICT
    }

    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    private final Database db;
    private final boolean apply;

    Target(Database db, boolean apply) {
        this.db = db;
        this.apply = apply;
    }

    boolean apply() {
        return apply;
    }

    Database database() {
        return db;
    }

    /** Runs {@code work} in one transaction (a page of rows: one commit instead of one per row). */
    void transaction(Work work) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Inserts {@code values} (column to value: String, Long, Double, Boolean or null) unless the primary key is there. */
    Outcome put(Connection c, String table, List<String> primaryKey, Map<String, Object> values) throws SQLException {
        if (exists(c, table, primaryKey, values)) return Outcome.SKIPPED;
        if (!apply) return Outcome.IMPORTED;
        List<String> cols = new ArrayList<>(values.keySet());
        String sql = "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES ("
                + String.join(",", Collections.nCopies(cols.size(), "?")) + ") ON CONFLICT DO NOTHING";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < cols.size(); i++) bind(ps, i + 1, values.get(cols.get(i)));
            return ps.executeUpdate() > 0 ? Outcome.IMPORTED : Outcome.CONFLICT;
        }
    }

    boolean exists(Connection c, String table, List<String> primaryKey, Map<String, Object> values) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT 1 FROM " + table + " WHERE ");
        for (int i = 0; i < primaryKey.size(); i++) sql.append(i == 0 ? "" : " AND ").append(primaryKey.get(i)).append(" = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < primaryKey.size(); i++) bind(ps, i + 1, values.get(primaryKey.get(i)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(i, Types.NULL);
            case String s -> ps.setString(i, s);
            case Long l -> ps.setLong(i, l);
            case Integer n -> ps.setLong(i, n);
            case Double d -> ps.setDouble(i, d);
            case Boolean b -> ps.setBoolean(i, b);
            default -> throw new IllegalArgumentException("unexpected value type " + v.getClass().getSimpleName());
        }
    }
}
