package dev.aigateway.governance.keys;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.aigateway.db.Columns.getDouble;
import static dev.aigateway.db.Columns.getInstant;
import static dev.aigateway.db.Columns.getLong;
import static dev.aigateway.db.Columns.setDouble;
import static dev.aigateway.db.Columns.setInstant;
import static dev.aigateway.db.Columns.setLong;

/**
 * Virtual keys in the database (blocking JDBC: call from worker threads, never from an event loop).
 * The same SQL runs on SQLite and PostgreSQL.
 */
public final class KeyStore {
    private static final String COLUMNS = "token_hash, spend, key_name, key_alias, max_budget, soft_budget, budget_duration, "
            + "budget_reset_at, models, model_max_budget, rpm_limit, tpm_limit, max_parallel_requests, model_rpm_limit, "
            + "model_tpm_limit, expires_at, metadata, user_id, team_id, blocked, aliases, allowed_routes, key_type, "
            + "organization_id, budget_id, created_at, updated_at, created_by";
    private final Database db;

    public KeyStore(Database db) {
        this.db = db;
    }

    public List<VirtualKey> all() {
        return query("SELECT " + COLUMNS + " FROM virtual_keys ORDER BY created_at", ps -> {});
    }

    public Optional<VirtualKey> byHash(String tokenHash) {
        return query("SELECT " + COLUMNS + " FROM virtual_keys WHERE token_hash = ?", ps -> ps.setString(1, tokenHash))
                .stream().findFirst();
    }

    public Optional<VirtualKey> byAlias(String alias) {
        return query("SELECT " + COLUMNS + " FROM virtual_keys WHERE key_alias = ?", ps -> ps.setString(1, alias))
                .stream().findFirst();
    }

    /** One page of keys, newest first, optionally for one user or team. */
    public List<VirtualKey> page(int page, int size, String userId, String teamId, String alias) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM virtual_keys WHERE 1=1");
        List<String> args = new ArrayList<>();
        if (userId != null) { sql.append(" AND user_id = ?"); args.add(userId); }
        if (teamId != null) { sql.append(" AND team_id = ?"); args.add(teamId); }
        if (alias != null) { sql.append(" AND key_alias = ?"); args.add(alias); }
        sql.append(" ORDER BY created_at DESC, token_hash LIMIT ? OFFSET ?");
        return query(sql.toString(), ps -> {
            int i = 1;
            for (String a : args) ps.setString(i++, a);
            ps.setInt(i++, size);
            ps.setInt(i, Math.max(0, (page - 1) * size));
        });
    }

    public long count(String userId, String teamId) {
        return count(userId, teamId, null);
    }

    /** How many keys {@link #page} pages through with the same filters. */
    public long count(String userId, String teamId, String alias) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM virtual_keys WHERE 1=1");
        if (userId != null) sql.append(" AND user_id = ?");
        if (teamId != null) sql.append(" AND team_id = ?");
        if (alias != null) sql.append(" AND key_alias = ?");
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (userId != null) ps.setString(i++, userId);
            if (teamId != null) ps.setString(i++, teamId);
            if (alias != null) ps.setString(i, alias);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot count keys: " + e.getMessage());
        }
    }

    public void insert(VirtualKey k) {
        String sql = "INSERT INTO virtual_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        update(sql, ps -> {
            ps.setString(1, k.tokenHash());
            ps.setDouble(2, k.spend());
            int i = bindMutable(ps, 3, k);
            setInstant(ps, i++, k.createdAt());
            setInstant(ps, i++, k.updatedAt());
            ps.setString(i, k.createdBy());
        });
    }

    /** Replaces every field but the hash, creation time and spend (spend is only ever added to). */
    public void update(VirtualKey k) {
        String sql = "UPDATE virtual_keys SET " + String.join("=?, ", MUTABLE) + "=?, updated_at=? WHERE token_hash=?";
        update(sql, ps -> {
            int i = bindMutable(ps, 1, k);
            setInstant(ps, i++, k.updatedAt());
            ps.setString(i, k.tokenHash());
        });
    }

    /** Moves a key to a new hash (regenerate), keeping everything else. */
    public void rehash(String oldHash, String newHash, String newKeyName, Instant now) {
        update("UPDATE virtual_keys SET token_hash=?, key_name=?, updated_at=? WHERE token_hash=?", ps -> {
            ps.setString(1, newHash);
            ps.setString(2, newKeyName);
            ps.setLong(3, now.toEpochMilli());
            ps.setString(4, oldHash);
        });
    }

    /** Starts a new budget window: spend back to zero. Only if the window is still the one the caller saw. */
    public boolean resetBudget(String tokenHash, Instant expectedResetAt, Instant nextResetAt) {
        return update("UPDATE virtual_keys SET spend = 0, model_spend = '{}', budget_reset_at = ? WHERE token_hash = ? AND budget_reset_at = ?", ps -> {
            ps.setLong(1, nextResetAt.toEpochMilli());
            ps.setString(2, tokenHash);
            ps.setLong(3, expectedResetAt.toEpochMilli());
        }) > 0;
    }

    public int delete(String tokenHash) {
        return update("DELETE FROM virtual_keys WHERE token_hash = ?", ps -> ps.setString(1, tokenHash));
    }

    // --- mapping

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<VirtualKey> query(String sql, Binder binder) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<VirtualKey> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("Cannot read keys: " + e.getMessage());
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase().contains("unique")) {
                throw new StoreException.Conflict("A key with this key_alias already exists.");
            }
            throw new StoreException("Cannot write keys: " + e.getMessage());
        }
    }

    /** Columns an update may change, in binding order. */
    private static final List<String> MUTABLE = List.of("key_name", "key_alias", "max_budget", "soft_budget", "budget_duration",
            "budget_reset_at", "models", "model_max_budget", "rpm_limit", "tpm_limit", "max_parallel_requests", "model_rpm_limit",
            "model_tpm_limit", "expires_at", "metadata", "user_id", "team_id", "blocked", "aliases", "allowed_routes", "key_type",
            "organization_id", "budget_id");

    /** Binds the {@link #MUTABLE} columns from index {@code i}; returns the next index. */
    private static int bindMutable(PreparedStatement ps, int i, VirtualKey k) throws SQLException {
        ps.setString(i++, k.keyName());
        ps.setString(i++, k.keyAlias());
        setDouble(ps, i++, k.maxBudget());
        setDouble(ps, i++, k.softBudget());
        ps.setString(i++, k.budgetDuration());
        setInstant(ps, i++, k.budgetResetAt());
        ps.setString(i++, json(k.models()));
        ps.setString(i++, json(k.modelMaxBudget()));
        setLong(ps, i++, k.rpmLimit());
        setLong(ps, i++, k.tpmLimit());
        setLong(ps, i++, k.maxParallelRequests());
        ps.setString(i++, json(k.modelRpmLimit()));
        ps.setString(i++, json(k.modelTpmLimit()));
        setInstant(ps, i++, k.expiresAt());
        ps.setString(i++, json(k.metadata()));
        ps.setString(i++, k.userId());
        ps.setString(i++, k.teamId());
        ps.setBoolean(i++, k.blocked());
        ps.setString(i++, json(k.aliases()));
        ps.setString(i++, json(k.allowedRoutes()));
        ps.setString(i++, k.keyType());
        ps.setString(i++, k.organizationId());
        ps.setString(i++, k.budgetId());
        return i;
    }

    private static VirtualKey read(ResultSet rs) throws SQLException {
        return new VirtualKey(
                rs.getString("token_hash"), rs.getString("key_name"), rs.getString("key_alias"), rs.getDouble("spend"),
                getDouble(rs, "max_budget"), getDouble(rs, "soft_budget"), rs.getString("budget_duration"),
                getInstant(rs, "budget_reset_at"),
                parse(rs.getString("models"), new TypeReference<List<String>>() {}),
                parse(rs.getString("model_max_budget"), new TypeReference<LinkedHashMap<String, VirtualKey.ModelBudget>>() {}),
                getLong(rs, "rpm_limit"), getLong(rs, "tpm_limit"), getLong(rs, "max_parallel_requests"),
                parse(rs.getString("model_rpm_limit"), new TypeReference<LinkedHashMap<String, Long>>() {}),
                parse(rs.getString("model_tpm_limit"), new TypeReference<LinkedHashMap<String, Long>>() {}),
                getInstant(rs, "expires_at"),
                (ObjectNode) Json.parse(rs.getString("metadata")),
                rs.getString("user_id"), rs.getString("team_id"), rs.getBoolean("blocked"),
                parse(rs.getString("aliases"), new TypeReference<LinkedHashMap<String, String>>() {}),
                parse(rs.getString("allowed_routes"), new TypeReference<List<String>>() {}),
                rs.getString("key_type"), getInstant(rs, "created_at"), getInstant(rs, "updated_at"), rs.getString("created_by"),
                rs.getString("organization_id"), rs.getString("budget_id"));
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json == null ? "null" : json, type);
        } catch (java.io.IOException e) {
            throw new StoreException("Corrupt key row: " + e.getMessage());
        }
    }

    static String json(Object value) {
        try {
            if (value == null) return "null";
            return Json.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
