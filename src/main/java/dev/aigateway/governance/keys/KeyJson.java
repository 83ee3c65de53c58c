package dev.aigateway.governance.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A virtual key as LiteLLM's admin API shows it: the same field names and shapes ({@code expires} as an
 * ISO-8601 time or null, budgets in USD, {@code model_max_budget} as {@code {"budget_limit", "time_period"}}
 * objects). {@code token} is the SHA-256 of the key; the key itself appears only in {@link #generated},
 * the one answer that hands it out.
 */
public final class KeyJson {
    private KeyJson() {}

    /** Every field of a key but its hash: the {@code info} of /key/info. */
    public static ObjectNode fields(VirtualKey k) {
        ObjectNode o = Json.object();
        o.put("key_name", k.keyName());
        o.put("key_alias", k.keyAlias());
        o.put("spend", k.spend());
        putNumber(o, "max_budget", k.maxBudget());
        putTime(o, "expires", k.expiresAt());
        strings(o.putArray("models"), k.models());
        ObjectNode aliases = o.putObject("aliases");
        if (k.aliases() != null) k.aliases().forEach(aliases::put);
        o.putObject("config");
        o.put("user_id", k.userId());
        o.put("team_id", k.teamId());
        o.put("organization_id", k.organizationId());
        o.put("budget_id", k.budgetId());
        o.putObject("permissions");
        putLong(o, "max_parallel_requests", k.maxParallelRequests());
        o.set("metadata", k.metadata() == null ? Json.object() : k.metadata().deepCopy());
        o.put("blocked", k.blocked());
        putLong(o, "tpm_limit", k.tpmLimit());
        putLong(o, "rpm_limit", k.rpmLimit());
        o.put("budget_duration", k.budgetDuration());
        putTime(o, "budget_reset_at", k.budgetResetAt());
        o.putArray("allowed_cache_controls");
        strings(o.putArray("allowed_routes"), k.allowedRoutes());
        putNumber(o, "soft_budget", k.softBudget());
        ObjectNode mmb = o.putObject("model_max_budget");
        if (k.modelMaxBudget() != null) {
            k.modelMaxBudget().forEach((model, b) -> {
                if (b.timePeriod() == null) mmb.put(model, b.budgetLimit()); // given as a plain number: shown as one
                else mmb.putObject(model).put("budget_limit", b.budgetLimit()).put("time_period", b.timePeriod());
            });
        }
        longs(o.putObject("model_rpm_limit"), k.modelRpmLimit());
        longs(o.putObject("model_tpm_limit"), k.modelTpmLimit());
        o.put("key_type", k.keyType());
        putTime(o, "created_at", k.createdAt());
        o.put("created_by", k.createdBy());
        putTime(o, "updated_at", k.updatedAt());
        return o;
    }

    /** The key as a stored object (/key/list with return_full_object, /key/block, /key/update): fields plus {@code token}. */
    public static ObjectNode object(VirtualKey k) {
        ObjectNode o = Json.object();
        o.put("token", k.tokenHash());
        o.setAll(fields(k));
        return o;
    }

    /** /key/info: {@code {"key": <hash>, "info": {...}}}. */
    public static ObjectNode info(VirtualKey k) {
        ObjectNode o = Json.object();
        o.put("key", k.tokenHash());
        o.set("info", fields(k));
        return o;
    }

    /** /key/generate and /key/regenerate: the only answers that carry the key itself. */
    public static ObjectNode generated(String key, VirtualKey k) {
        ObjectNode o = Json.object();
        o.put("key", key);
        o.put("token", k.tokenHash());
        o.put("token_id", k.tokenHash());
        o.setAll(fields(k));
        return o;
    }

    private static void putNumber(ObjectNode o, String field, Double v) {
        if (v == null) o.putNull(field);
        else o.put(field, v);
    }

    private static void putLong(ObjectNode o, String field, Long v) {
        if (v == null) o.putNull(field);
        else o.put(field, v);
    }

    private static void putTime(ObjectNode o, String field, Instant t) {
        if (t == null) o.putNull(field);
        else o.put(field, t.toString());
    }

    private static void strings(ArrayNode a, List<String> values) {
        if (values != null) values.forEach(a::add);
    }

    private static void longs(ObjectNode o, Map<String, Long> values) {
        if (values != null) values.forEach(o::put);
    }
}
