package dev.aigateway.governance.spend;

import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The totals LiteLLM's {@code /global/spend/*} routes answer, summed by the database (blocking JDBC: worker threads
 * only). Every query is bounded twice: by a day or time range its caller limits, and by a row limit. The per-day and
 * per-key totals read daily_spend (kept when spend_logs rows age out); the team and end-user totals need what only
 * spend_logs rows carry, so they read its (start_time) index.
 */
public final class SpendReports {
    private static final long DAY_MILLIS = 86_400_000L;

    /** What a daily_spend total is grouped by (the only column names that reach the SQL). */
    public enum DailyColumn {
        KEY("key_hash"), MODEL("model_group"), DAY("day");

        private final String column;

        DailyColumn(String column) {
            this.column = column;
        }
    }

    /** What a spend_logs report row is grouped by besides day, model and key. */
    public enum LogColumn {
        TEAM("team_id"), END_USER("end_user");

        private final String column;

        LogColumn(String column) {
            this.column = column;
        }
    }

    /** One total: the group's value, its spend, and its requests and tokens. */
    public record Total(String group, double spend, long requests, long promptTokens, long completionTokens) {}

    /**
     * One day's spend for one (team or end user), model and key; {@code day} is {@code yyyy-MM-dd} (UTC); {@code alias} is
     * the team's alias when it has one (null for end users).
     */
    public record DayRow(String day, String group, String alias, String model, String keyHash, double spend, long totalTokens) {}

    /** One key's spend on one model over a range. */
    public record KeyModelRow(String keyHash, String model, double spend, long promptTokens, long completionTokens) {}

    private final Database db;

    public SpendReports(Database db) {
        this.db = db;
    }

    /**
     * daily_spend between two days (inclusive), totalled by one column, optionally for one key: by spend, highest first,
     * or (for {@link DailyColumn#DAY}) by day.
     */
    public List<Total> totals(DailyColumn by, String fromDay, String toDay, String keyHash, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + by.column + ", SUM(cost), SUM(requests), SUM(prompt_tokens), "
                + "SUM(completion_tokens) FROM daily_spend WHERE day >= ? AND day <= ?");
        List<Object> args = new ArrayList<>(List.of(fromDay, toDay));
        if (keyHash != null) { sql.append(" AND key_hash = ?"); args.add(keyHash); }
        sql.append(" GROUP BY ").append(by.column).append(by == DailyColumn.DAY ? " ORDER BY day" : " ORDER BY SUM(cost) DESC, " + by.column);
        sql.append(" LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args, rs -> new Total(rs.getString(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }

    /** daily_spend between two days (inclusive) per key and model: LiteLLM's report grouped by api_key. */
    public List<KeyModelRow> byKeyAndModel(String fromDay, String toDay, String keyHash, int limit) {
        StringBuilder sql = new StringBuilder("SELECT key_hash, model_group, SUM(cost), SUM(prompt_tokens), SUM(completion_tokens) "
                + "FROM daily_spend WHERE day >= ? AND day <= ?");
        List<Object> args = new ArrayList<>(List.of(fromDay, toDay));
        if (keyHash != null) { sql.append(" AND key_hash = ?"); args.add(keyHash); }
        sql.append(" GROUP BY key_hash, model_group ORDER BY key_hash, model_group LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args, rs -> new KeyModelRow(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5)));
    }

    /**
     * spend_logs from {@code from} (inclusive) to {@code to} (exclusive, epoch milliseconds) per UTC day, team or end
     * user, model and key: LiteLLM's report grouped by team or customer.
     */
    public List<DayRow> byDay(LogColumn by, long from, long to, String keyHash, int limit) {
        String day = "s.start_time / " + DAY_MILLIS;
        String column = "s." + by.column;
        boolean teams = by == LogColumn.TEAM;
        // A team's alias by its primary key, one lookup per row of the range (the report names teams as LiteLLM does).
        StringBuilder sql = new StringBuilder("SELECT " + day + ", " + column + ", " + (teams ? "MAX(t.team_alias)" : "NULL")
                + ", s.model_group, s.key_hash, SUM(s.cost), SUM(s.total_tokens) FROM spend_logs s"
                + (teams ? " LEFT JOIN teams t ON t.team_id = s.team_id" : "") + " WHERE s.start_time >= ? AND s.start_time < ?");
        List<Object> args = new ArrayList<>(List.of(from, to));
        if (keyHash != null) { sql.append(" AND s.key_hash = ?"); args.add(keyHash); }
        sql.append(" GROUP BY ").append(day).append(", ").append(column).append(", s.model_group, s.key_hash");
        sql.append(" ORDER BY 1, 2, 4, 5 LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args, rs -> new DayRow(SpendStore.day(rs.getLong(1) * DAY_MILLIS), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getDouble(6), rs.getLong(7)));
    }

    /** spend_logs' end users in a time range by spend, highest first (rows without an end user are left out). */
    public List<Total> endUsers(long from, long to, String keyHash, int limit) {
        StringBuilder sql = new StringBuilder("SELECT end_user, SUM(cost), COUNT(*), SUM(prompt_tokens), SUM(completion_tokens) "
                + "FROM spend_logs WHERE start_time >= ? AND start_time < ? AND end_user IS NOT NULL");
        List<Object> args = new ArrayList<>(List.of(from, to));
        if (keyHash != null) { sql.append(" AND key_hash = ?"); args.add(keyHash); }
        sql.append(" GROUP BY end_user ORDER BY SUM(cost) DESC, end_user LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args, rs -> new Total(rs.getString(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }

    /** spend_logs' User-Agents in a time range by spend, highest first (what LiteLLM's request tags are made of here). */
    public List<Total> userAgents(long from, long to, int limit) {
        String sql = "SELECT user_agent, SUM(cost), COUNT(*), SUM(prompt_tokens), SUM(completion_tokens) FROM spend_logs "
                + "WHERE start_time >= ? AND start_time < ? AND user_agent IS NOT NULL GROUP BY user_agent ORDER BY SUM(cost) DESC, user_agent LIMIT ?";
        return query(sql, List.of(from, to, limit), rs -> new Total(rs.getString(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> args, RowReader<T> reader) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            SpendStore.bindArgs(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(reader.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("Cannot read spend totals: " + Database.rootMessage(e));
        }
    }
}
