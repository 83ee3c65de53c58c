package dev.aigateway.cli.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.config.DeploymentParser;
import dev.aigateway.config.EnvReferences;
import dev.aigateway.config.GatewayConfig;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Json;
import dev.aigateway.core.SecretParams;
import dev.aigateway.db.StoreException;
import dev.aigateway.models.CredentialCipher;
import dev.aigateway.models.ModelStore;
import dev.aigateway.models.SaltKeyCheck;
import dev.aigateway.models.StoredModel;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LiteLLM's database models ({@code LiteLLM_ProxyModelTable}) into the gateway's runtime models, stored exactly as
 * {@code /model/new} stores them: through {@link ModelStore}, credentials encrypted under the gateway's own salt key.
 * LiteLLM encrypted every string of {@code litellm_params} under its salt key; each is opened with
 * {@link LiteLlmSecrets}. A model is imported whole or not at all: one whose values do not open (a wrong
 * {@code LITELLM_SALT_KEY}), that this gateway would not serve (checked as a config.yaml entry is), or that needs a
 * credential stored while the gateway has no salt key, is skipped with the reason.
 */
final class ModelImporter {
    static final String TABLE = "proxy_models";

    private final LiteLlmSource source;
    private final Target target;
    private final ImportReport report;
    private final int pageSize;
    private final GatewayConfig config;
    private final LiteLlmSecrets secrets;
    private final boolean saltKeyGiven;

    /** @param litellmSaltKey LiteLLM's salt key (or its master key when it had none); null when not given */
    ModelImporter(LiteLlmSource source, Target target, ImportReport report, int pageSize, GatewayConfig config, String litellmSaltKey) {
        this.source = source;
        this.target = target;
        this.report = report;
        this.pageSize = pageSize;
        this.config = config;
        this.saltKeyGiven = litellmSaltKey != null && !litellmSaltKey.isEmpty();
        this.secrets = new LiteLlmSecrets(saltKeyGiven ? litellmSaltKey : "");
    }

    void run() throws SQLException {
        if (!source.has("LiteLLM_ProxyModelTable", report)) return;
        report.table(TABLE);
        CredentialCipher cipher = CredentialCipher.fromSaltKey(config.saltKey());
        ModelStore store = new ModelStore(target.database(), cipher);
        String refused = null;
        if (target.apply()) {
            try {
                SaltKeyCheck.verify(target.database(), cipher, store);
            } catch (ConfigException e) {
                refused = e.getMessage();
            }
        }
        String storeRefusal = refused;
        source.pages("LiteLLM_ProxyModelTable", List.of("model_id", "model_name", "litellm_params", "model_info", "blocked",
                "created_at", "updated_at"), List.of("model_id"), pageSize, rows -> {
            for (SourceRow r : rows) {
                String name = "model '" + r.text("model_name") + "' (id " + r.text("model_id") + ")";
                try (Connection c = target.database().connection()) {
                    if (target.exists(c, TABLE, List.of("model_id"), Map.of("model_id", r.text("model_id")))) {
                        report.skipped(TABLE);
                        continue;
                    }
                }
                String why = storeRefusal != null ? storeRefusal : check(r, store, name);
                if (why != null) {
                    report.failed(TABLE, name + ": " + why);
                    continue;
                }
                if (!target.apply()) {
                    report.imported(TABLE);
                    continue;
                }
                try {
                    store.insert(model(r, opened(r.object("litellm_params"))));
                    report.imported(TABLE);
                } catch (StoreException.Conflict e) {
                    report.skipped(TABLE);
                } catch (CredentialCipher.MissingSaltKeyException e) {
                    report.failed(TABLE, name + ": " + e.getMessage());
                }
            }
        });
    }

    /** Why a model cannot be imported, or null. Never names a value of litellm_params. */
    private String check(SourceRow r, ModelStore store, String name) {
        if (r.bool("blocked")) return "it is blocked in LiteLLM";
        ObjectNode params = r.object("litellm_params");
        if (params.has("litellm_credential_name")) {
            return "it takes its credentials from LiteLLM's credentials table (litellm_credential_name), which is not imported; "
                    + "add it with /model/new and the credential in litellm_params";
        }
        List<String> closed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : params.properties()) {
            if (f.getValue().isTextual() && secrets.open(f.getValue().asText()) instanceof LiteLlmSecrets.Opened.WrongKey) closed.add(f.getKey());
        }
        if (!closed.isEmpty()) {
            return "litellm_params." + String.join(", litellm_params.", closed) + (saltKeyGiven
                    ? (closed.size() == 1 ? " does" : " do") + " not decrypt with the LiteLLM salt key given: it is not the LITELLM_SALT_KEY (or, without one, the "
                      + "master key) the LiteLLM proxy ran with"
                    : (closed.size() == 1 ? " is" : " are") + " encrypted: give LiteLLM's salt key (LITELLM_SALT_KEY, or --litellm-salt-key)");
        }
        ObjectNode plain = opened(params);
        try {
            ObjectNode entry = Json.object();
            entry.put("model_name", r.text("model_name"));
            entry.set("litellm_params", plain);
            ObjectNode info = info(r);
            info.put("id", r.text("model_id"));
            entry.set("model_info", info);
            DeploymentParser.parse(entry, "", EnvReferences.runtimeModels(config.environment(), config.security().runtimeModelEnvVars()),
                    config.routerSettings(), false, new ArrayList<>());
        } catch (ConfigException e) {
            return "this gateway would not serve it: " + e.getMessage();
        }
        if (!store.canStoreCredentials() && !SecretParams.literalSecrets(plain).isEmpty()) {
            return "it holds a provider credential and this gateway has no salt key to store it encrypted: set GATEWAY_SALT_KEY "
                    + "(./ai-gateway setup creates one) and import again";
        }
        return null;
    }

    /** litellm_params with every value LiteLLM encrypted opened (check() made sure they all open). */
    private ObjectNode opened(ObjectNode params) {
        ObjectNode out = params.deepCopy();
        for (Map.Entry<String, JsonNode> f : params.properties()) {
            if (f.getValue().isTextual() && secrets.open(f.getValue().asText()) instanceof LiteLlmSecrets.Opened.Plain p) {
                out.put(f.getKey(), p.value());
            }
        }
        return out;
    }

    /** model_info without what the gateway computes itself (as /model/new stores it). */
    private static ObjectNode info(SourceRow r) {
        ObjectNode info = r.object("model_info").deepCopy();
        info.remove(List.of("id", "db_model"));
        return info;
    }

    private static StoredModel model(SourceRow r, ObjectNode params) {
        long now = System.currentTimeMillis();
        return new StoredModel(r.text("model_id"), r.text("model_name"), params, info(r),
                Instant.ofEpochMilli(Convert.orElse(r.millis("created_at"), now)), Instant.ofEpochMilli(Convert.orElse(r.millis("updated_at"), now)));
    }
}
