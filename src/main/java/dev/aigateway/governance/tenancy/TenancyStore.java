package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Organizations, teams, users, memberships, end users and named budgets in the database (blocking JDBC: call from
 * worker threads, never from an event loop). The same SQL runs on SQLite and PostgreSQL; each {@link Table} says how
 * its record maps to its columns.
 */
public final class TenancyStore {
    private final Database db;

    public TenancyStore(Database db) {
        this.db = db;
    }

    /** Every row of a table, oldest first. */
    public <T> List<T> all(Table<T> t) {
        return query(t, "SELECT " + t.columnList() + " FROM " + t.name() + " ORDER BY created_at, " + String.join(", ", t.keys()));
    }

    /** The rows whose {@code column} is {@code value} (e.g. a team's memberships), oldest first. */
    public <T> List<T> where(Table<T> t, String column, String value) {
        requireColumn(t, column);
        return query(t, "SELECT " + t.columnList() + " FROM " + t.name() + " WHERE " + column + " = ? ORDER BY created_at", value);
    }

    /** One row by its key ({@code ids} in the order of {@link Table#keys()}). */
    public <T> Optional<T> find(Table<T> t, String... ids) {
        return query(t, "SELECT " + t.columnList() + " FROM " + t.name() + " WHERE " + t.keyCondition(), (Object[]) ids)
                .stream().findFirst();
    }

    /** Adds a row; {@link StoreException.Conflict} when its key is taken. */
    public <T> void insert(Table<T> t, T row) {
        ObjectNode values = TenancyJson.of(row);
        String marks = String.join(",", java.util.Collections.nCopies(t.columns().size(), "?"));
        write("INSERT INTO " + t.name() + " (" + t.columnList() + ") VALUES (" + marks + ")", ps -> t.bind(ps, 1, values, t.columns()));
    }

    /** Replaces a row's fields but its key, spend and creation; false when there is no such row. */
    public <T> boolean update(Table<T> t, T row) {
        ObjectNode values = TenancyJson.of(row);
        List<Table.Column> cols = t.mutable();
        String set = String.join(", ", cols.stream().map(c -> c.name() + " = ?").toList());
        return write("UPDATE " + t.name() + " SET " + set + " WHERE " + t.keyCondition(), ps -> {
            int i = t.bind(ps, 1, values, cols);
            for (String k : t.keys()) ps.setString(i++, values.path(k).asText());
        }) > 0;
    }

    public int delete(Table<?> t, String... ids) {
        return write("DELETE FROM " + t.name() + " WHERE " + t.keyCondition(), ps -> bindAll(ps, ids));
    }

    /** Deletes the rows whose {@code column} is {@code value} (a team's memberships, say). */
    public int deleteWhere(Table<?> t, String column, String value) {
        requireColumn(t, column);
        return write("DELETE FROM " + t.name() + " WHERE " + column + " = ?", ps -> ps.setString(1, value));
    }

    /** Clears a reference to something deleted ({@code UPDATE teams SET organization_id = NULL WHERE organization_id = ?}). */
    public int unset(Table<?> t, String column, String value) {
        requireColumn(t, column);
        return write("UPDATE " + t.name() + " SET " + column + " = NULL WHERE " + column + " = ?", ps -> ps.setString(1, value));
    }

    /**
     * Starts a new budget window for one holder: spend back to zero, the window's end moved to {@code next}; only if
     * the stored window is still the one that ended at {@code previous} (another instance may have reset it first).
     */
    public boolean resetBudget(Table<?> t, Instant previous, Instant next, String... ids) {
        if (!t.has("budget_reset_at")) throw new IllegalArgumentException(t.name() + " keeps no budget window");
        String modelSpend = t.has("model_spend") ? ", model_spend = '{}'" : "";
        return write("UPDATE " + t.name() + " SET spend = 0" + modelSpend + ", budget_reset_at = ? WHERE " + t.keyCondition()
                + " AND budget_reset_at = ?", ps -> {
            ps.setLong(1, next.toEpochMilli());
            int i = 2;
            for (String id : ids) ps.setString(i++, id);
            ps.setLong(i, previous.toEpochMilli());
        }) > 0;
    }

    /** What the registry holds: every row but the end users that limit nothing (blocking). */
    public TenancySnapshot load() {
        return new TenancySnapshot(all(Table.BUDGETS), all(Table.ORGANIZATIONS), all(Table.ORGANIZATION_MEMBERS), all(Table.TEAMS),
                all(Table.TEAM_MEMBERS), all(Table.USERS), limitingEndUsers());
    }

    /**
     * The end users a request must be checked against: those with a budget or blocked. Requests name end users freely and
     * each gets a row on its first spend, so there can be far more of them than anything else; the rest limit nothing.
     */
    private List<EndUser> limitingEndUsers() {
        Table<EndUser> t = Table.END_USERS;
        return query(t, "SELECT " + t.columnList() + " FROM " + t.name() + " WHERE budget_id IS NOT NULL OR blocked = TRUE ORDER BY created_at, user_id");
    }

    // --- JDBC

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static void requireColumn(Table<?> t, String column) {
        if (!t.has(column)) throw new IllegalArgumentException(t.name() + " has no column " + column);
    }

    private static void bindAll(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setString(i + 1, (String) args[i]);
    }

    private <T> List<T> query(Table<T> t, String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bindAll(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(t.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("Cannot read " + t.name() + ": " + e.getMessage());
        }
    }

    private int write(String sql, Binder binder) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("unique") || m.contains("duplicate") || m.contains("primary key")) {
                throw new StoreException.Conflict("That id is already taken.");
            }
            throw new StoreException("Cannot write: " + e.getMessage());
        }
    }
}
