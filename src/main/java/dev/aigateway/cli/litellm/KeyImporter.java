package dev.aigateway.cli.litellm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.governance.Authenticator;
import dev.aigateway.governance.BudgetDuration;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.aigateway.cli.litellm.Convert.fit;
import static dev.aigateway.cli.litellm.Convert.json;
import static dev.aigateway.cli.litellm.Convert.orElse;

/**
 * LiteLLM's virtual keys ({@code LiteLLM_VerificationToken}) into {@code virtual_keys}. LiteLLM's {@code token} is
 * the SHA-256 hex of the key, exactly the gateway's {@code token_hash}, so every key keeps working without being
 * reissued. The columns written mirror {@code KeyStore}'s insert, plus {@code model_spend} (the spend carried over)
 * and the V8 columns {@code organization_id} and {@code budget_id}; KeyStore's insert has neither, and refuses a
 * taken alias with an exception where an import wants a row-by-row report.
 */
final class KeyImporter {
    static final String TABLE = "virtual_keys";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final LiteLlmSource source;
    private final Target target;
    private final ImportReport report;
    private final int pageSize;
    private final long now;

    KeyImporter(LiteLlmSource source, Target target, ImportReport report, int pageSize, long now) {
        this.source = source;
        this.target = target;
        this.report = report;
        this.pageSize = pageSize;
        this.now = now;
    }

    void run() throws SQLException {
        if (!source.has("LiteLLM_VerificationToken", report)) return;
        report.table(TABLE);
        Map<String, Double> softBudgets = softBudgets();
        source.pages("LiteLLM_VerificationToken", List.of("token", "key_name", "key_alias", "spend", "expires", "models", "aliases",
                "user_id", "team_id", "max_parallel_requests", "metadata", "blocked", "tpm_limit", "rpm_limit", "max_budget",
                "budget_duration", "budget_reset_at", "allowed_routes", "model_spend", "model_max_budget", "budget_id",
                "organization_id", "created_at", "created_by", "updated_at"), List.of("token"), pageSize, rows -> target.transaction(c -> {
            for (SourceRow r : rows) {
                String hash = hash(r.text("token"));
                String name = "key " + (r.text("key_alias") != null ? "'" + r.text("key_alias") + "' " : "") + Convert.hashTail(hash == null ? r.text("token") : hash);
                if (hash == null) {
                    report.failed(TABLE, name + ": its token is neither a SHA-256 hash nor a key");
                    continue;
                }
                Map<String, Object> v = row(r, hash, softBudgets, name);
                switch (target.put(c, TABLE, List.of("token_hash"), v)) {
                    case IMPORTED -> report.imported(TABLE);
                    case SKIPPED -> report.skipped(TABLE);
                    case CONFLICT -> report.failed(TABLE, name + ": its key_alias is taken by another key here; give one of them "
                            + "another alias and import again");
                }
            }
        }));
    }

    /** LiteLLM's token as our hash: it is the hash; the oldest releases stored the key itself (sk-...), hashed here. */
    static String hash(String token) {
        if (token == null) return null;
        if (SHA256_HEX.matcher(token).matches()) return token;
        if (token.startsWith("sk-")) return Authenticator.hash(token);
        return null;
    }

    private Map<String, Object> row(SourceRow r, String hash, Map<String, Double> softBudgets, String name) {
        ObjectNode metadata = r.object("metadata");
        String duration = r.text("budget_duration");
        if (duration != null && BudgetDuration.parseOrNull(duration) == null) {
            report.note(name + ": budget_duration '" + duration + "' is not one this gateway knows; the key is imported without it.");
            duration = null;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("token_hash", hash);
        v.put("key_name", fit(r.text("key_name") == null ? "sk-..." : r.text("key_name"), 64)); // LiteLLM abbreviates the key; the hash says nothing of it
        v.put("key_alias", fit(r.text("key_alias"), 255));
        v.put("spend", r.dbl("spend", 0));
        v.put("max_budget", r.dbl("max_budget"));
        v.put("soft_budget", r.text("budget_id") == null ? null : softBudgets.get(r.text("budget_id")));
        v.put("budget_duration", duration);
        v.put("budget_reset_at", r.millis("budget_reset_at"));
        v.put("models", json(r.array("models")));
        v.put("model_max_budget", json(Convert.modelBudgets(r.json("model_max_budget"))));
        v.put("model_spend", json(Convert.numbersAsDoubles(r.json("model_spend"))));
        v.put("rpm_limit", r.lng("rpm_limit"));
        v.put("tpm_limit", r.lng("tpm_limit"));
        v.put("max_parallel_requests", r.lng("max_parallel_requests"));
        // LiteLLM keeps per-model rate limits in the key's metadata
        v.put("model_rpm_limit", json(Convert.numbers(metadata.get("model_rpm_limit"))));
        v.put("model_tpm_limit", json(Convert.numbers(metadata.get("model_tpm_limit"))));
        v.put("expires_at", r.millis("expires"));
        v.put("metadata", json(metadata));
        v.put("user_id", fit(r.text("user_id"), 255));
        v.put("team_id", fit(r.text("team_id"), 255));
        v.put("blocked", r.bool("blocked"));
        v.put("aliases", json(Convert.strings(r.json("aliases"))));
        v.put("allowed_routes", json(r.array("allowed_routes")));
        v.put("key_type", "default");
        v.put("created_at", orElse(r.millis("created_at"), now));
        v.put("updated_at", orElse(r.millis("updated_at"), now));
        v.put("created_by", fit(r.text("created_by"), 255));
        v.put("organization_id", fit(r.text("organization_id"), 255));
        v.put("budget_id", fit(r.text("budget_id"), 255));
        return v;
    }

    /** budget_id to soft_budget: LiteLLM keeps a key's soft budget in the named budget it references. */
    private Map<String, Double> softBudgets() throws SQLException {
        Map<String, Double> out = new HashMap<>();
        if (source.columns("LiteLLM_BudgetTable").isEmpty()) return out;
        source.pages("LiteLLM_BudgetTable", List.of("budget_id", "soft_budget"), List.of("budget_id"), pageSize, rows -> {
            for (SourceRow r : rows) if (r.dbl("soft_budget") != null) out.put(r.text("budget_id"), r.dbl("soft_budget"));
        });
        return out;
    }
}
