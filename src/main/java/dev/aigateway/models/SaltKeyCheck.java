package dev.aigateway.models;

import dev.aigateway.core.ConfigException;
import dev.aigateway.db.Database;
import dev.aigateway.db.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Makes sure the configured {@code GATEWAY_SALT_KEY} is the one that encrypted the stored credentials, before the
 * gateway serves anything. The first start with a salt key stores a check value ({@code gateway_meta} row
 * {@value #NAME} = encrypt({@value #PLAINTEXT})); every later start decrypts it. A different key fails AES-GCM's tag
 * check, and start-up stops with a message saying what to do, instead of sending providers garbage keys.
 *
 * <p>Several instances starting at once on one PostgreSQL: the check is inserted with {@code ON CONFLICT DO NOTHING}
 * and read back, so the first writer wins and every other instance verifies against it.
 */
public final class SaltKeyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SaltKeyCheck.class);
    static final String NAME = "salt_key_check";
    static final String PLAINTEXT = "ai-gateway";

    private SaltKeyCheck() {}

    /**
     * @param cipher the cipher of the configured salt key, or null when none is set
     * @throws ConfigException when the salt key differs from the stored one, or is missing while credentials are stored
     */
    public static void verify(Database db, CredentialCipher cipher, ModelStore models) {
        if (cipher == null) {
            if (models.hasEncryptedCredentials()) {
                throw new ConfigException("GATEWAY_SALT_KEY is not set, but runtime models in " + db.displayUrl()
                        + " hold provider credentials encrypted with one. Restore the old value in .env "
                        + "(GATEWAY_SALT_KEY=..., or LITELLM_SALT_KEY) and start again.");
            }
            LOG.info("GATEWAY_SALT_KEY is not set: runtime models cannot store provider credentials (os.environ/ references still work).");
            return;
        }
        String stored = read(db);
        if (stored == null) {
            insertIfAbsent(db, cipher.encrypt(PLAINTEXT));
            stored = read(db);
        }
        boolean matches;
        try {
            matches = stored != null && PLAINTEXT.equals(cipher.decrypt(stored));
        } catch (CredentialCipher.WrongKeyException | IllegalArgumentException e) {
            matches = false;
        }
        if (!matches) throw mismatch(db.displayUrl());
    }

    /** The start-up error for a salt key that cannot decrypt what is stored. */
    public static ConfigException mismatch(String database) {
        return new ConfigException("GATEWAY_SALT_KEY differs from the one that encrypted the stored model credentials in "
                + database + "; restore the old value in .env (GATEWAY_SALT_KEY=..., or LITELLM_SALT_KEY) and start again. "
                + "If the old value is lost: delete the runtime models that hold credentials (table proxy_models) and the row '"
                + NAME + "' of table gateway_meta, start with the new key, and add those models again.");
    }

    private static String read(Database db) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT value FROM gateway_meta WHERE name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read gateway_meta: " + e.getMessage());
        }
    }

    private static void insertIfAbsent(Database db, String value) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO gateway_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, NAME);
            ps.setString(2, value);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot write gateway_meta: " + e.getMessage());
        }
    }
}
