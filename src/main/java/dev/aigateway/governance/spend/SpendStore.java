package dev.aigateway.governance.spend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.db.Columns;
import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spend logs in the database (blocking JDBC: call from the spend writer's thread or worker threads, never
 * from an event loop). The same SQL runs on SQLite and PostgreSQL.
 *
 * <p>{@link #write} stores a batch in one transaction: the rows (multi-row {@code INSERT ... ON CONFLICT DO
 * NOTHING RETURNING request_id}), then, for the rows that were really inserted only, the daily per-key per-model aggregates
 * and the keys' spend. {@code request_id} is the gateway's own id, made once per request (never the client's
 * {@code x-request-id}, which clients reuse), so the conflict means exactly "this row was stored already".
 * Counting only inserted rows makes a batch idempotent: a batch retried after a commit whose acknowledgement
 * was lost, or a journal segment replayed after a crash, adds nothing the second time.
 *
 * <p>Every read is shaped to use one of spend_logs' indexes: (start_time), (key_hash, start_time),
 * (model_group, start_time), (user_id, start_time), (end_user, start_time), the primary key (request_id) with the partial index on
 * client_request_id; daily_spend is read by its primary key (day, key_hash, model_group) or (key_hash, day),
 * daily_client_spend by its primary key (day, key_hash, client).
 */
public final class SpendStore {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    static final String COLUMNS = "request_id, client_request_id, key_hash, key_alias, user_id, team_id, call_type, model_group, deployment_id, "
            + "provider, model, prompt_tokens, completion_tokens, cached_tokens, total_tokens, cost, start_time, end_time, "
            + "first_token_ms, status, http_status, error_type, stream, attempts, fallback_model, end_user, session_id, client, user_agent, organization_id";
    private static final String ROW_PLACEHOLDERS = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    /** Rows per multi-row statement: 30 parameters each, well under both databases' parameter limits. */
    static final int ROWS_PER_STATEMENT = 250;
    private static final String UPSERT_DAILY = "INSERT INTO daily_spend (day, key_hash, model_group, requests, failures, "
            + "prompt_tokens, completion_tokens, cost) VALUES %s ON CONFLICT (day, key_hash, model_group) DO UPDATE SET "
            + "requests = daily_spend.requests + excluded.requests, failures = daily_spend.failures + excluded.failures, "
            + "prompt_tokens = daily_spend.prompt_tokens + excluded.prompt_tokens, "
            + "completion_tokens = daily_spend.completion_tokens + excluded.completion_tokens, "
            + "cost = daily_spend.cost + excluded.cost";
    private static final String UPSERT_DAILY_CLIENT = "INSERT INTO daily_client_spend (day, key_hash, client, requests, failures, "
            + "prompt_tokens, completion_tokens, cost) VALUES %s ON CONFLICT (day, key_hash, client) DO UPDATE SET "
            + "requests = daily_client_spend.requests + excluded.requests, failures = daily_client_spend.failures + excluded.failures, "
            + "prompt_tokens = daily_client_spend.prompt_tokens + excluded.prompt_tokens, "
            + "completion_tokens = daily_client_spend.completion_tokens + excluded.completion_tokens, "
            + "cost = daily_client_spend.cost + excluded.cost";
    /** Keys locked per statement when reading model_spend. */
    private static final int KEY_CHUNK = 200;

    private final Database db;

    public SpendStore(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    /** A blocking check that the database answers. */
    public boolean reachable() {
        return db.ping();
    }

    // --- writing

    /**
     * Writes a batch in one transaction and returns how many rows were new (duplicates of a request id
     * already stored are skipped, and add nothing to the aggregates). Throws {@link StoreException} when
     * the transaction did not commit; then nothing of the batch is stored.
     */
    public int write(List<SpendRecord> rows) {
        return write(rows, true);
    }

    /**
     * Rows of another gateway's history ({@code import-litellm}): stored, and added to the daily aggregates, exactly as
     * {@link #write} does, but not to the spend of keys, teams, users, organizations, memberships and end users, which
     * the import carries over from the other gateway's own rows (adding the history to it would count it twice).
     * Idempotent like {@link #write}.
     */
    public int writeHistory(List<SpendRecord> rows) {
        return write(rows, false);
    }

    private int write(List<SpendRecord> rows, boolean addToHolders) {
        if (rows.isEmpty()) return 0;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                List<SpendRecord> inserted = insertRows(c, rows);
                upsertDaily(c, inserted);
                upsertDailyClient(c, inserted);
                if (addToHolders) {
                    addKeySpend(c, inserted);
                    addHolderSpend(c, inserted);
                }
                c.commit();
                return inserted.size();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is probably gone; the transaction is lost with it
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the pool discards a broken connection
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot write spend logs: " + Database.rootMessage(e));
        }
    }

    /**
     * Multi-row INSERTs (a round trip per {@link #ROWS_PER_STATEMENT} rows rather than per row) that return
     * the ids they really inserted: rows whose request id was already stored are left out.
     */
    private static List<SpendRecord> insertRows(Connection c, List<SpendRecord> rows) throws SQLException {
        java.util.Set<String> fresh = new java.util.HashSet<>();
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<SpendRecord> part = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            String sql = "INSERT INTO spend_logs (" + COLUMNS + ") VALUES "
                    + String.join(",", java.util.Collections.nCopies(part.size(), ROW_PLACEHOLDERS))
                    + " ON CONFLICT (request_id) DO NOTHING RETURNING request_id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (SpendRecord r : part) i = bind(ps, i, r);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) fresh.add(rs.getString(1));
                }
            }
        }
        List<SpendRecord> inserted = new ArrayList<>(fresh.size());
        for (SpendRecord r : rows) {
            if (fresh.remove(fit(r.requestId(), 128))) inserted.add(r); // remove: a duplicate within the batch counts once
        }
        return inserted;
    }

    private record DayKey(String day, String keyHash, String modelGroup) implements Comparable<DayKey> {
        @Override
        public int compareTo(DayKey o) {
            int d = day.compareTo(o.day);
            if (d != 0) return d;
            d = keyHash.compareTo(o.keyHash);
            return d != 0 ? d : modelGroup.compareTo(o.modelGroup);
        }
    }

    private static final class DayTotals {
        long requests, failures, prompt, completion;
        double cost;
    }

    /** Daily aggregates per key and model (daily_spend). */
    private static void upsertDaily(Connection c, List<SpendRecord> rows) throws SQLException {
        upsertDaily(c, rows, UPSERT_DAILY, r -> fit(nz(r.modelGroup()), 255));
    }

    /** Daily aggregates per key and calling tool (daily_client_spend): the usage page's "by tool". */
    private static void upsertDailyClient(Connection c, List<SpendRecord> rows) throws SQLException {
        upsertDaily(c, rows, UPSERT_DAILY_CLIENT, r -> fit(r.client() == null ? "unknown" : r.client(), 32));
    }

    /**
     * Daily aggregates by day, key and {@code third} (the table's third key column), in primary-key order so
     * concurrent writers on PostgreSQL lock rows in the same order.
     */
    private static void upsertDaily(Connection c, List<SpendRecord> rows, String upsert,
                                    java.util.function.Function<SpendRecord, String> third) throws SQLException {
        if (rows.isEmpty()) return;
        Map<DayKey, DayTotals> totals = new TreeMap<>();
        for (SpendRecord r : rows) {
            DayKey k = new DayKey(day(r.startTime()), nz(r.keyHash()), third.apply(r));
            DayTotals t = totals.computeIfAbsent(k, x -> new DayTotals());
            t.requests++;
            if (!"success".equals(r.status())) t.failures++;
            t.prompt += r.promptTokens();
            t.completion += r.completionTokens();
            t.cost += r.cost();
        }
        List<Map.Entry<DayKey, DayTotals>> all = new ArrayList<>(totals.entrySet());
        for (int from = 0; from < all.size(); from += ROWS_PER_STATEMENT) {
            List<Map.Entry<DayKey, DayTotals>> part = all.subList(from, Math.min(all.size(), from + ROWS_PER_STATEMENT));
            String sql = upsert.formatted(String.join(",", java.util.Collections.nCopies(part.size(), "(?,?,?,?,?,?,?,?)")));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (Map.Entry<DayKey, DayTotals> e : part) {
                    DayTotals t = e.getValue();
                    ps.setString(i++, e.getKey().day());
                    ps.setString(i++, e.getKey().keyHash());
                    ps.setString(i++, e.getKey().modelGroup());
                    ps.setLong(i++, t.requests);
                    ps.setLong(i++, t.failures);
                    ps.setLong(i++, t.prompt);
                    ps.setLong(i++, t.completion);
                    ps.setDouble(i++, t.cost);
                }
                ps.executeUpdate();
            }
        }
    }

    /**
     * Adds each key's cost to virtual_keys.spend and its per-model cost to model_spend (a JSON object). The
     * keys' rows are locked (FOR UPDATE on PostgreSQL; SQLite has one writer) in hash order before
     * model_spend is read, so writers on several instances neither lose updates nor deadlock.
     */
    private void addKeySpend(Connection c, List<SpendRecord> rows) throws SQLException {
        Map<String, Map<String, Double>> byKey = new TreeMap<>();
        for (SpendRecord r : rows) {
            if (r.keyHash() == null || r.cost() == 0) continue;
            byKey.computeIfAbsent(r.keyHash(), k -> new TreeMap<>()).merge(nz(r.modelGroup()), r.cost(), Double::sum);
        }
        if (byKey.isEmpty()) return;
        Map<String, ObjectNode> modelSpend = new LinkedHashMap<>();
        List<String> hashes = new ArrayList<>(byKey.keySet());
        for (int from = 0; from < hashes.size(); from += KEY_CHUNK) {
            List<String> chunk = hashes.subList(from, Math.min(hashes.size(), from + KEY_CHUNK));
            String sql = "SELECT token_hash, model_spend FROM virtual_keys WHERE token_hash IN ("
                    + "?,".repeat(chunk.size() - 1) + "?) ORDER BY token_hash"
                    + (db.kind() == Database.Kind.POSTGRESQL ? " FOR UPDATE" : "");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) ps.setString(i + 1, chunk.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) modelSpend.put(rs.getString(1), parseObject(rs.getString(2)));
                }
            }
        }
        if (modelSpend.isEmpty()) return; // master key, or keys deleted since: nothing to add to
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE virtual_keys SET spend = spend + ?, model_spend = ? WHERE token_hash = ?")) {
            for (Map.Entry<String, ObjectNode> e : modelSpend.entrySet()) {
                ObjectNode spend = e.getValue();
                double total = 0;
                for (Map.Entry<String, Double> m : byKey.get(e.getKey()).entrySet()) {
                    total += m.getValue();
                    if (!m.getKey().isEmpty()) spend.put(m.getKey(), spend.path(m.getKey()).asDouble(0) + m.getValue());
                }
                ps.setDouble(1, total);
                ps.setString(2, Json.toString(spend));
                ps.setString(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * A holder table's spend statement: binds the amount, then the id (two ids, team then user, for a membership), then
     * {@code stamped} binds created_at and updated_at.
     */
    private record HolderTable(String sql, boolean membership, boolean stamped) {}

    private static final HolderTable TEAMS = new HolderTable("UPDATE teams SET spend = spend + ? WHERE team_id = ?", false, false);
    private static final HolderTable USERS = new HolderTable("UPDATE users SET spend = spend + ? WHERE user_id = ?", false, false);
    private static final HolderTable ORGANIZATIONS =
            new HolderTable("UPDATE organizations SET spend = spend + ? WHERE organization_id = ?", false, false);
    private static final HolderTable MEMBERS =
            new HolderTable("UPDATE team_members SET spend = spend + ? WHERE team_id = ? AND user_id = ?", true, false);
    /** End users are made on their first spend, as LiteLLM does: most are named by requests, not by an admin. */
    private static final HolderTable END_USERS = new HolderTable("INSERT INTO end_users (spend, user_id, created_at, updated_at) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET spend = end_users.spend + excluded.spend", false, true);

    /**
     * Adds the new rows' cost to the tenancy above their keys: team, user, organization, the user's membership of the
     * team, and the end user. Ids are taken in sorted order, so two writers (instances) lock rows in the same order.
     */
    private static void addHolderSpend(Connection c, List<SpendRecord> rows) throws SQLException {
        Map<String, Double> teams = new TreeMap<>(), users = new TreeMap<>(), orgs = new TreeMap<>(), endUsers = new TreeMap<>();
        Map<String, Double> members = new TreeMap<>();
        for (SpendRecord r : rows) {
            if (r.cost() == 0 || !Double.isFinite(r.cost())) continue;
            if (r.organizationId() != null) orgs.merge(fit(r.organizationId(), 255), r.cost(), Double::sum);
            if (r.teamId() != null) teams.merge(fit(r.teamId(), 255), r.cost(), Double::sum);
            if (r.teamId() != null && r.userId() != null) members.merge(fit(r.teamId(), 255) + "\n" + fit(r.userId(), 255), r.cost(), Double::sum);
            if (r.userId() != null) users.merge(fit(r.userId(), 255), r.cost(), Double::sum);
            if (r.endUser() != null) endUsers.merge(fit(r.endUser(), 255), r.cost(), Double::sum);
        }
        addSpend(c, ORGANIZATIONS, orgs);
        addSpend(c, TEAMS, teams);
        addSpend(c, MEMBERS, members);
        addSpend(c, USERS, users);
        addSpend(c, END_USERS, endUsers);
    }

    private static void addSpend(Connection c, HolderTable table, Map<String, Double> spend) throws SQLException {
        if (spend.isEmpty()) return;
        long now = System.currentTimeMillis();
        try (PreparedStatement ps = c.prepareStatement(table.sql())) {
            for (Map.Entry<String, Double> e : spend.entrySet()) {
                ps.setDouble(1, e.getValue());
                if (table.membership()) {
                    int nl = e.getKey().indexOf('\n');
                    ps.setString(2, e.getKey().substring(0, nl));
                    ps.setString(3, e.getKey().substring(nl + 1));
                } else {
                    ps.setString(2, e.getKey());
                }
                if (table.stamped()) {
                    ps.setLong(3, now);
                    ps.setLong(4, now);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static ObjectNode parseObject(String json) {
        try {
            return json != null && Json.parse(json) instanceof ObjectNode o ? o : Json.object();
        } catch (RuntimeException e) {
            return Json.object(); // a corrupt value is replaced rather than blocking every spend write
        }
    }

    /** Binds one row's 30 values from parameter {@code i} on; returns the next parameter index. */
    private static int bind(PreparedStatement ps, int i, SpendRecord r) throws SQLException {
        ps.setString(i++, fit(r.requestId(), 128));
        ps.setString(i++, fit(r.clientRequestId(), 128));
        ps.setString(i++, fit(r.keyHash(), 64));
        ps.setString(i++, fit(r.keyAlias(), 255));
        ps.setString(i++, fit(r.userId(), 255));
        ps.setString(i++, fit(r.teamId(), 255));
        ps.setString(i++, fit(r.callType() == null ? "unknown" : r.callType(), 32));
        ps.setString(i++, fit(r.modelGroup(), 255));
        ps.setString(i++, fit(r.deploymentId(), 64));
        ps.setString(i++, fit(r.provider(), 32));
        ps.setString(i++, fit(r.model(), 255));
        ps.setLong(i++, r.promptTokens());
        ps.setLong(i++, r.completionTokens());
        ps.setLong(i++, r.cachedTokens());
        ps.setLong(i++, r.totalTokens());
        ps.setDouble(i++, Double.isFinite(r.cost()) ? r.cost() : 0);
        ps.setLong(i++, r.startTime());
        ps.setLong(i++, r.endTime());
        if (r.firstTokenMs() == null) ps.setNull(i++, Types.BIGINT);
        else ps.setLong(i++, r.firstTokenMs());
        ps.setString(i++, fit(r.status() == null ? "unknown" : r.status(), 16));
        ps.setInt(i++, r.httpStatus());
        ps.setString(i++, fit(r.errorType(), 64));
        ps.setBoolean(i++, r.stream());
        ps.setInt(i++, r.attempts());
        ps.setString(i++, fit(r.fallbackModel(), 255));
        ps.setString(i++, fit(r.endUser(), 255));
        ps.setString(i++, fit(r.sessionId(), 128));
        ps.setString(i++, fit(r.client(), 32));
        ps.setString(i++, fit(r.userAgent(), 256));
        ps.setString(i++, fit(r.organizationId(), 255));
        return i;
    }

    /** Cuts a value to its column's width: a row that cannot be stored would hold up every row behind it. */
    static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The UTC day (yyyy-MM-dd) of an epoch-millisecond time: daily_spend's day. */
    public static String day(long epochMillis) {
        return DAY.format(Instant.ofEpochMilli(epochMillis));
    }

    // --- reading

    /**
     * A /spend/logs query. Null filters are not applied. Times are epoch milliseconds, {@code from}
     * inclusive and {@code to} exclusive. Rows come newest first. {@code requestId} matches the gateway's id
     * of a row or the client's {@code x-request-id} (every request that reused it).
     */
    public record LogQuery(String keyHash, String keyAlias, String requestId, String userId, String modelGroup,
                           String status, String endUser, Long from, Long to, int limit, long offset) {}

    /** SQL text and its arguments, in order. */
    public record Sql(String text, List<Object> args) {}

    /**
     * The SQL for a log query. Equality filters come first so the planner can pick the index whose
     * leading column they fix: key_hash → (key_hash, start_time), model_group → (model_group, start_time),
     * request_id → primary key or client_request_id's index (an OR of the two lookups), none → (start_time), walked
     * backwards for the newest rows.
     */
    public static Sql logsSql(LogQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM spend_logs WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (q.requestId() != null) {
            sql.append(" AND (request_id = ? OR client_request_id = ?)");
            args.add(q.requestId());
            args.add(q.requestId());
        }
        if (q.keyHash() != null) { sql.append(" AND key_hash = ?"); args.add(q.keyHash()); }
        if (q.modelGroup() != null) { sql.append(" AND model_group = ?"); args.add(q.modelGroup()); }
        if (q.keyAlias() != null) { sql.append(" AND key_alias = ?"); args.add(q.keyAlias()); }
        if (q.userId() != null) { sql.append(" AND user_id = ?"); args.add(q.userId()); }
        if (q.endUser() != null) { sql.append(" AND end_user = ?"); args.add(q.endUser()); }
        if (q.status() != null) { sql.append(" AND status = ?"); args.add(q.status()); }
        if (q.from() != null) { sql.append(" AND start_time >= ?"); args.add(q.from()); }
        if (q.to() != null) { sql.append(" AND start_time < ?"); args.add(q.to()); }
        sql.append(" ORDER BY start_time DESC, request_id DESC LIMIT ? OFFSET ?");
        args.add(q.limit());
        args.add(q.offset());
        return new Sql(sql.toString(), args);
    }

    public List<SpendRecord> logs(LogQuery q) {
        Sql sql = logsSql(q);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            bindArgs(ps, sql.args());
            List<SpendRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("Cannot read spend logs: " + Database.rootMessage(e));
        }
    }

    /** A daily_spend query: days (yyyy-MM-dd) inclusive at both ends; null filters are not applied. */
    public record DailyQuery(String fromDay, String toDay, String keyHash, String modelGroup) {}

    /** One day's totals for one key and model group ('' when the request had none). */
    public record DailySpend(String day, String keyHash, String modelGroup, long requests, long failures,
                             long promptTokens, long completionTokens, double cost) {}

    /** daily_spend is read through its primary key (day, key_hash, model_group): the day range leads. */
    public static Sql dailySql(DailyQuery q) {
        StringBuilder sql = new StringBuilder("SELECT day, key_hash, model_group, requests, failures, prompt_tokens, "
                + "completion_tokens, cost FROM daily_spend WHERE day >= ? AND day <= ?");
        List<Object> args = new ArrayList<>(List.of(q.fromDay(), q.toDay()));
        if (q.keyHash() != null) { sql.append(" AND key_hash = ?"); args.add(q.keyHash()); }
        if (q.modelGroup() != null) { sql.append(" AND model_group = ?"); args.add(q.modelGroup()); }
        sql.append(" ORDER BY day, key_hash, model_group");
        return new Sql(sql.toString(), args);
    }

    public List<DailySpend> daily(DailyQuery q) {
        Sql sql = dailySql(q);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            bindArgs(ps, sql.args());
            List<DailySpend> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DailySpend(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getDouble(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("Cannot read daily spend: " + Database.rootMessage(e));
        }
    }

    /** One day's totals for one key and calling tool ({@code unknown} for requests before tools were recorded). */
    public record DailyClientSpend(String day, String keyHash, String client, long requests, long failures,
                                   long promptTokens, long completionTokens, double cost) {}

    /** daily_client_spend through its primary key (day, key_hash, client): the day range leads. */
    public static Sql dailyClientsSql(String fromDay, String toDay, String keyHash) {
        StringBuilder sql = new StringBuilder("SELECT day, key_hash, client, requests, failures, prompt_tokens, "
                + "completion_tokens, cost FROM daily_client_spend WHERE day >= ? AND day <= ?");
        List<Object> args = new ArrayList<>(List.of(fromDay, toDay));
        if (keyHash != null) { sql.append(" AND key_hash = ?"); args.add(keyHash); }
        sql.append(" ORDER BY day, key_hash, client");
        return new Sql(sql.toString(), args);
    }

    public List<DailyClientSpend> dailyClients(String fromDay, String toDay, String keyHash) {
        Sql sql = dailyClientsSql(fromDay, toDay, keyHash);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.text())) {
            bindArgs(ps, sql.args());
            List<DailyClientSpend> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DailyClientSpend(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getDouble(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("Cannot read daily spend by client: " + Database.rootMessage(e));
        }
    }

    // --- retention

    /** One retention chunk: the primary keys of at most {@code limit} rows older than the cutoff, found through (start_time). */
    public static String deleteOlderThanSql() {
        return "DELETE FROM spend_logs WHERE request_id IN "
                + "(SELECT request_id FROM spend_logs WHERE start_time < ? ORDER BY start_time LIMIT ?)";
    }

    /**
     * Deletes at most {@code limit} spend-log rows that started before {@code cutoffMillis}, in its own
     * short transaction (so no lock is held for long), and returns how many it deleted. daily_spend is kept.
     */
    public int deleteOlderThan(long cutoffMillis, int limit) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(deleteOlderThanSql())) {
            ps.setLong(1, cutoffMillis);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot delete old spend logs: " + Database.rootMessage(e));
        }
    }

    // --- mapping

    public static void bindArgs(PreparedStatement ps, List<Object> args) throws SQLException {
        Iterator<Object> it = args.iterator();
        for (int i = 1; it.hasNext(); i++) {
            Object a = it.next();
            if (a instanceof String s) ps.setString(i, s);
            else if (a instanceof Integer n) ps.setInt(i, n);
            else if (a instanceof Long n) ps.setLong(i, n);
            else ps.setObject(i, a);
        }
    }

    private static SpendRecord read(ResultSet rs) throws SQLException {
        return new SpendRecord(
                rs.getString("request_id"), rs.getString("client_request_id"), rs.getString("key_hash"), rs.getString("key_alias"), rs.getString("user_id"),
                rs.getString("team_id"), rs.getString("call_type"), rs.getString("model_group"), rs.getString("deployment_id"),
                rs.getString("provider"), rs.getString("model"), rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
                rs.getLong("cached_tokens"), rs.getLong("total_tokens"), rs.getDouble("cost"), rs.getLong("start_time"),
                rs.getLong("end_time"), Columns.getLong(rs, "first_token_ms"), rs.getString("status"), rs.getInt("http_status"),
                rs.getString("error_type"), rs.getBoolean("stream"), rs.getInt("attempts"), rs.getString("fallback_model"),
                rs.getString("end_user"), rs.getString("session_id"), rs.getString("client"), rs.getString("user_agent"),
                rs.getString("organization_id"));
    }
}
