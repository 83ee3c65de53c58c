package dev.aigateway.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.core.SecretParams;
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
 * Runtime models in the {@code proxy_models} table (blocking JDBC: call from worker threads, never from an event
 * loop). Credentials in {@code litellm_params} are encrypted on the way in and decrypted on the way out with the
 * {@link CredentialCipher} (see {@link SecretParams}); with no cipher, a model holding a literal credential cannot
 * be stored ({@link CredentialCipher.MissingSaltKeyException}). The same SQL runs on SQLite and PostgreSQL.
 */
public final class ModelStore {
    private static final String COLUMNS = "model_id, model_name, litellm_params, model_info, created_at, updated_at";
    private final Database db;
    private final CredentialCipher cipher;

    /** @param cipher null when no salt key is configured */
    public ModelStore(Database db, CredentialCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /** The database, for messages (no credentials). */
    public String where() {
        return db.displayUrl();
    }

    public boolean canStoreCredentials() {
        return cipher != null;
    }

    /** Every stored model, oldest first; {@link CredentialCipher.WrongKeyException} when a credential does not decrypt. */
    public List<StoredModel> all() {
        return query("SELECT " + COLUMNS + " FROM proxy_models ORDER BY created_at, model_id", ps -> {});
    }

    public Optional<StoredModel> byId(String id) {
        return query("SELECT " + COLUMNS + " FROM proxy_models WHERE model_id = ?", ps -> ps.setString(1, id)).stream().findFirst();
    }

    public void insert(StoredModel m) {
        ObjectNode params = CredentialCipher.encryptSecrets(m.litellmParams(), cipher);
        write("INSERT INTO proxy_models (" + COLUMNS + ") VALUES (?,?,?,?,?,?)", ps -> {
            ps.setString(1, m.id());
            ps.setString(2, m.modelName());
            ps.setString(3, Json.toString(params));
            ps.setString(4, Json.toString(m.modelInfo()));
            ps.setLong(5, m.createdAt().toEpochMilli());
            ps.setLong(6, m.updatedAt().toEpochMilli());
        });
    }

    /** Replaces name, params and info; false when no such model is stored. */
    public boolean update(StoredModel m) {
        ObjectNode params = CredentialCipher.encryptSecrets(m.litellmParams(), cipher);
        return write("UPDATE proxy_models SET model_name = ?, litellm_params = ?, model_info = ?, updated_at = ? WHERE model_id = ?", ps -> {
            ps.setString(1, m.modelName());
            ps.setString(2, Json.toString(params));
            ps.setString(3, Json.toString(m.modelInfo()));
            ps.setLong(4, m.updatedAt().toEpochMilli());
            ps.setString(5, m.id());
        }) > 0;
    }

    public boolean delete(String id) {
        return write("DELETE FROM proxy_models WHERE model_id = ?", ps -> ps.setString(1, id)) > 0;
    }

    /** Whether any stored model holds an encrypted credential (read without decrypting). */
    public boolean hasEncryptedCredentials() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM proxy_models WHERE litellm_params LIKE ?")) {
            ps.setString(1, "%\"" + CredentialCipher.PREFIX + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read runtime models: " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<StoredModel> query(String sql, Binder binder) {
        List<StoredModel> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read runtime models: " + e.getMessage());
        }
        return out;
    }

    private int write(String sql, Binder binder) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (msg.contains("unique") || msg.contains("duplicate key")) {
                throw new StoreException.Conflict("A model with this model_info.id already exists.");
            }
            throw new StoreException("Cannot write runtime models: " + e.getMessage());
        }
    }

    private StoredModel read(ResultSet rs) throws SQLException {
        String id = rs.getString("model_id");
        ObjectNode params = object(rs.getString("litellm_params"), id);
        ObjectNode info = object(rs.getString("model_info"), id);
        return new StoredModel(id, rs.getString("model_name"), CredentialCipher.decryptSecrets(params, cipher), info,
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static ObjectNode object(String json, String id) {
        JsonNode n = json == null ? null : Json.tryParse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (n == null || n.isNull()) return Json.object();
        if (!(n instanceof ObjectNode o)) throw new StoreException("Corrupt runtime model row " + id + ": expected a JSON object.");
        return o;
    }
}
