package dev.aigateway.cli;

import dev.aigateway.cli.litellm.LiteLlmSecrets;
import dev.aigateway.testing.SpendTestDatabases;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A LiteLLM proxy's database on the shared PostgreSQL (its Prisma schema from src/test/resources/litellm/schema.sql,
 * rows from rows.sql) plus two models whose litellm_params LiteLLM encrypted: one under {@link #SALT_KEY}, whose
 * credential is for the fake upstream at {@code upstreamBase}, and one under another salt key.
 */
record LiteLlmFixture(String database) implements AutoCloseable {
    static final String SALT_KEY = "litellm-salt-key-of-the-old-proxy";
    static final String UPSTREAM_KEY = "sk-upstream-secret-0123456789";
    static final String ALICE_KEY = "sk-litellm-alice-0123456789abcdef";
    static final String BOB_KEY = "sk-litellm-bob-0123456789abcdef00";
    /** The password in --from: trust authentication ignores it, and no output may show it. */
    static final String PASSWORD = "hunter2-db-password";

    static LiteLlmFixture create(String upstreamBase) throws SQLException, IOException {
        String db = SpendTestDatabases.createOrSkip("litellm_src");
        LiteLlmFixture f = new LiteLlmFixture(db);
        try (Connection c = SpendTestDatabases.jdbc(db); Statement s = c.createStatement()) {
            s.execute(resource("litellm/schema.sql"));
            s.execute(resource("litellm/rows.sql"));
            LiteLlmSecrets right = new LiteLlmSecrets(SALT_KEY);
            LiteLlmSecrets wrong = new LiteLlmSecrets("some-other-salt-key");
            // every string of litellm_params encrypted, as LiteLLM writes them; api_base in the current v3:gcm form
            String good = """
                    {"model": "%s", "api_key": "%s", "api_base": "%s", "rpm": 100}""".formatted(
                    right.encryptLegacy("openai/gpt-4o-mini", nonce(24)), right.encryptLegacy(UPSTREAM_KEY, nonce(24)),
                    right.encryptV3(upstreamBase, nonce(12)));
            String broken = """
                    {"model": "%s", "api_key": "%s"}""".formatted(
                    wrong.encryptLegacy("openai/gpt-4o", nonce(24)), wrong.encryptLegacy("sk-other-upstream", nonce(24)));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"LiteLLM_ProxyModelTable\" (model_id, model_name, litellm_params, "
                    + "model_info, created_by, updated_by) VALUES (?, ?, ?::jsonb, ?::jsonb, 'admin', 'admin')")) {
                ps.setString(1, "model-good");
                ps.setString(2, "imported-gpt");
                ps.setString(3, good);
                ps.setString(4, "{\"id\": \"model-good\", \"db_model\": true, \"description\": \"from LiteLLM\"}");
                ps.executeUpdate();
                ps.setString(1, "model-wrong-salt");
                ps.setString(2, "broken-model");
                ps.setString(3, broken);
                ps.setString(4, "{}");
                ps.executeUpdate();
            }
        } catch (SQLException | IOException | RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    /** --from, with a password that must never be printed. */
    String url() {
        return "postgresql://postgres:" + PASSWORD + "@" + SpendTestDatabases.HOST_PORT + "/" + database;
    }

    Connection jdbc() throws SQLException {
        return SpendTestDatabases.jdbc(database);
    }

    @Override
    public void close() {
        SpendTestDatabases.drop(database);
    }

    private static byte[] nonce(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = LiteLlmFixture.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IOException("missing test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
