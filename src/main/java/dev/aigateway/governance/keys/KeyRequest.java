package dev.aigateway.governance.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.AdminFields;
import dev.aigateway.governance.BudgetDuration;
import dev.aigateway.governance.RequestTimes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.aigateway.governance.AdminFields.MAX_NAME;
import static dev.aigateway.governance.AdminFields.abbreviate;
import static dev.aigateway.governance.AdminFields.amount;
import static dev.aigateway.governance.AdminFields.count;
import static dev.aigateway.governance.AdminFields.isAmount;
import static dev.aigateway.governance.AdminFields.isCount;
import static dev.aigateway.governance.AdminFields.kind;
import static dev.aigateway.governance.AdminFields.name;
import static dev.aigateway.governance.AdminFields.object;
import static dev.aigateway.governance.AdminFields.strings;
import static dev.aigateway.governance.AdminFields.text;

/**
 * The key fields of a {@code /key/generate}, {@code /key/update} or {@code /key/regenerate} body, in
 * LiteLLM's names, each checked for its type and range (a wrong one is a 400 whose {@code param} names the
 * field). It is a patch: a field that is absent leaves the key as it is, a field sent as {@code null}
 * clears it (no budget, no limit, never expires), and {@link #applyTo} produces the changed key.
 * Fields LiteLLM has that this gateway does not use (tags, guardrails, permissions, ...) are ignored,
 * so LiteLLM scripts keep working.
 */
public final class KeyRequest {
    /** The route a body came with: it decides which of the identifying and write-once fields are allowed. */
    public enum Route { GENERATE, UPDATE, REGENERATE }

    /** The key types: LiteLLM's four, and "admin" as an alias of "management". */
    public static final Set<String> KEY_TYPES = Set.of("default", "llm_api", "management", "read_only", "admin");
    /** See {@link AdminFields#MAX_USD}. */
    public static final double MAX_USD = AdminFields.MAX_USD;
    /** See {@link AdminFields#MAX_COUNT}. */
    public static final long MAX_COUNT = AdminFields.MAX_COUNT;

    private final Set<String> present = new HashSet<>();
    private String customKey;
    private String keyAlias;
    private List<String> models;
    private Double maxBudget;
    private Double softBudget;
    private BudgetDuration budgetDuration;
    private Map<String, VirtualKey.ModelBudget> modelMaxBudget;
    private Double spend;
    private Long rpmLimit;
    private Long tpmLimit;
    private Long maxParallelRequests;
    private Map<String, Long> modelRpmLimit;
    private Map<String, Long> modelTpmLimit;
    private BudgetDuration lifetime;
    private boolean neverExpires;
    private Instant expiresAt;
    private ObjectNode metadata;
    private String userId;
    private String teamId;
    private String organizationId;
    private String budgetId;
    private boolean blocked;
    private Map<String, String> aliases;
    private List<String> allowedRoutes;
    private String keyType;

    private KeyRequest() {}

    /** Validates every known field of {@code body}. */
    public static KeyRequest parse(ObjectNode body, Route route) {
        KeyRequest r = new KeyRequest();
        if (route == Route.GENERATE && has(body, "key")) r.customKey = customKey(body.get("key"), "key");
        if (route == Route.REGENERATE && has(body, "new_key")) r.customKey = customKey(body.get("new_key"), "new_key");
        if (body.has("key_alias")) r.keyAlias = r.mark("key_alias", name(body.get("key_alias"), "key_alias"));
        if (body.has("models")) r.models = r.mark("models", strings(body.get("models"), "models"));
        if (body.has("max_budget")) r.maxBudget = r.mark("max_budget", amount(body.get("max_budget"), "max_budget"));
        if (body.has("soft_budget")) r.softBudget = r.mark("soft_budget", amount(body.get("soft_budget"), "soft_budget"));
        if (body.has("budget_duration")) {
            JsonNode d = body.get("budget_duration");
            r.budgetDuration = r.mark("budget_duration", d.isNull() ? null : BudgetDuration.parse(text(d, "budget_duration"), "budget_duration"));
        }
        if (body.has("model_max_budget")) r.modelMaxBudget = r.mark("model_max_budget", modelBudgets(body.get("model_max_budget")));
        if (body.has("spend")) {
            if (route != Route.GENERATE) {
                throw GatewayException.badRequest("'spend' is counted by the gateway; it can only be given as a starting value to /key/generate.", "spend");
            }
            Double s = amount(body.get("spend"), "spend");
            r.spend = r.mark("spend", s == null ? Double.valueOf(0) : s);
        }
        if (body.has("rpm_limit")) r.rpmLimit = r.mark("rpm_limit", count(body.get("rpm_limit"), "rpm_limit"));
        if (body.has("tpm_limit")) r.tpmLimit = r.mark("tpm_limit", count(body.get("tpm_limit"), "tpm_limit"));
        if (body.has("max_parallel_requests")) {
            r.maxParallelRequests = r.mark("max_parallel_requests", count(body.get("max_parallel_requests"), "max_parallel_requests"));
        }
        if (body.has("model_rpm_limit")) r.modelRpmLimit = r.mark("model_rpm_limit", counts(body.get("model_rpm_limit"), "model_rpm_limit"));
        if (body.has("model_tpm_limit")) r.modelTpmLimit = r.mark("model_tpm_limit", counts(body.get("model_tpm_limit"), "model_tpm_limit"));
        r.parseExpiry(body);
        if (body.has("metadata")) r.metadata = r.mark("metadata", object(body.get("metadata"), "metadata"));
        if (body.has("user_id")) r.userId = r.mark("user_id", name(body.get("user_id"), "user_id"));
        if (body.has("team_id")) r.teamId = r.mark("team_id", name(body.get("team_id"), "team_id"));
        if (body.has("organization_id")) r.organizationId = r.mark("organization_id", name(body.get("organization_id"), "organization_id"));
        if (body.has("budget_id")) r.budgetId = r.mark("budget_id", name(body.get("budget_id"), "budget_id"));
        if (body.has("blocked")) {
            JsonNode b = body.get("blocked");
            if (!b.isNull() && !b.isBoolean()) throw GatewayException.badRequest("'blocked' must be true or false.", "blocked");
            r.blocked = r.mark("blocked", b.asBoolean(false));
        }
        if (body.has("aliases")) r.aliases = r.mark("aliases", stringMap(body.get("aliases"), "aliases"));
        if (body.has("allowed_routes")) r.allowedRoutes = r.mark("allowed_routes", strings(body.get("allowed_routes"), "allowed_routes"));
        if (body.has("key_type")) {
            JsonNode t = body.get("key_type");
            String type = t.isNull() ? "default" : text(t, "key_type");
            if (!KEY_TYPES.contains(type)) {
                throw GatewayException.badRequest("'key_type' must be one of default, llm_api, management, read_only or admin, not '" + type + "'.", "key_type");
            }
            r.keyType = r.mark("key_type", type);
        }
        return r;
    }

    /** A key with no settings, to apply a /key/generate request to. */
    public static VirtualKey blank(String tokenHash, String keyName, Instant now, String createdBy) {
        return new VirtualKey(tokenHash, keyName, null, 0, null, null, null, null, List.of(), Map.of(), null, null, null,
                Map.of(), Map.of(), null, Json.object(), null, null, false, Map.of(), List.of(), "default", now, now, createdBy, null, null);
    }

    /** {@code base} with every field of this request applied; windows and lifetimes start at {@code now}. */
    public VirtualKey applyTo(VirtualKey base, Instant now) {
        String budgetText = base.budgetDuration();
        Instant resetAt = base.budgetResetAt();
        if (present.contains("budget_duration")) {
            budgetText = budgetDuration == null ? null : budgetDuration.text();
            resetAt = budgetDuration == null ? null : budgetDuration.after(now);
        }
        Instant expires = base.expiresAt();
        if (present.contains("expires")) expires = neverExpires ? null : lifetime != null ? lifetime.after(now) : expiresAt;
        return new VirtualKey(base.tokenHash(), base.keyName(),
                pick("key_alias", keyAlias, base.keyAlias()),
                present.contains("spend") ? spend : base.spend(),
                pick("max_budget", maxBudget, base.maxBudget()),
                pick("soft_budget", softBudget, base.softBudget()),
                budgetText, resetAt,
                pick("models", models, base.models()),
                pick("model_max_budget", modelMaxBudget, base.modelMaxBudget()),
                pick("rpm_limit", rpmLimit, base.rpmLimit()),
                pick("tpm_limit", tpmLimit, base.tpmLimit()),
                pick("max_parallel_requests", maxParallelRequests, base.maxParallelRequests()),
                pick("model_rpm_limit", modelRpmLimit, base.modelRpmLimit()),
                pick("model_tpm_limit", modelTpmLimit, base.modelTpmLimit()),
                expires,
                pick("metadata", metadata, base.metadata()),
                pick("user_id", userId, base.userId()),
                pick("team_id", teamId, base.teamId()),
                present.contains("blocked") ? blocked : base.blocked(),
                pick("aliases", aliases, base.aliases()),
                pick("allowed_routes", allowedRoutes, base.allowedRoutes()),
                pick("key_type", keyType, base.keyType()),
                base.createdAt(), now, base.createdBy(),
                pick("organization_id", organizationId, base.organizationId()),
                pick("budget_id", budgetId, base.budgetId()));
    }

    /** The caller's own key for /key/generate ({@code key}) or /key/regenerate ({@code new_key}), or null for a random one. */
    public String customKey() {
        return customKey;
    }

    /** Whether the body set {@code field} (LiteLLM name; {@code duration} and {@code expires} both count as "expires"). */
    public boolean has(String field) {
        return present.contains(field);
    }

    // --- expiry: "duration" (relative, LiteLLM's) or "expires" (an absolute time)

    private void parseExpiry(ObjectNode body) {
        JsonNode d = body.get("duration");
        JsonNode e = body.get("expires");
        boolean hasDuration = d != null && !d.isNull();
        boolean hasExpires = e != null && !e.isNull();
        if (hasDuration && hasExpires) throw GatewayException.badRequest("Give either 'duration' or 'expires', not both.", "duration");
        if (hasDuration) {
            String text = text(d, "duration");
            if (text.strip().equals("-1")) neverExpires = true; // LiteLLM's "never expires" on update
            else lifetime = BudgetDuration.parse(text, "duration");
        } else if (hasExpires) {
            expiresAt = instant(text(e, "expires"), "expires");
        } else if (d == null && e == null) {
            return;
        } else {
            neverExpires = true; // an explicit null
        }
        present.add("expires");
    }

    private static Instant instant(String s, String field) {
        Instant t = RequestTimes.instant(s);
        if (t == null) {
            throw GatewayException.badRequest("'" + field + "' must be an ISO-8601 time such as 2030-01-31T00:00:00Z, " + RequestTimes.RANGE
                    + ", not '" + abbreviate(s) + "'.", field);
        }
        return t;
    }

    // --- field readers: each returns the value, or null for an explicit JSON null

    private <T> T mark(String field, T value) {
        present.add(field);
        return value;
    }

    private <T> T pick(String field, T value, T current) {
        if (!present.contains(field)) return current;
        if (value != null) return value;
        return emptyOf(current, field);
    }

    /** What a cleared collection field becomes: empty rather than null, as the key's defaults are. */
    @SuppressWarnings("unchecked")
    private static <T> T emptyOf(T current, String field) {
        return switch (field) {
            case "models", "allowed_routes" -> (T) List.of();
            case "model_max_budget", "model_rpm_limit", "model_tpm_limit", "aliases" -> (T) Map.of();
            case "metadata" -> (T) Json.object();
            case "key_type" -> (T) "default";
            default -> null;
        };
    }

    private static boolean has(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        return n != null && !n.isNull();
    }

    private static String customKey(JsonNode n, String field) {
        String s = text(n, field);
        if (!s.startsWith(Keys.PREFIX) || s.length() <= Keys.PREFIX.length() || s.length() > MAX_NAME) {
            throw GatewayException.badRequest("'" + field + "' must start with 'sk-' (and be at most " + MAX_NAME + " characters).", field);
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i)) || Character.isISOControl(s.charAt(i))) {
                throw GatewayException.badRequest("'" + field + "' must not contain spaces or control characters.", field);
            }
        }
        return s;
    }

    private static Map<String, String> stringMap(JsonNode n, String field) {
        ObjectNode o = object(n, field);
        if (o == null) return null;
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!e.getValue().isTextual()) {
                throw GatewayException.badRequest("'" + field + "' must map names to strings; '" + e.getKey() + "' is " + kind(e.getValue()) + ".", field);
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Long> counts(JsonNode n, String field) {
        ObjectNode o = object(n, field);
        if (o == null) return null;
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            JsonNode v = e.getValue();
            if (!isCount(v)) {
                throw GatewayException.badRequest("'" + field + "' must map model names to whole numbers from 0 to " + MAX_COUNT + "; '"
                        + abbreviate(e.getKey()) + "' is " + kind(v) + ".", field);
            }
            out.put(e.getKey(), v.asLong());
        }
        return Collections.unmodifiableMap(out);
    }

    /** LiteLLM's {@code {"model": {"budget_limit": 1.0, "time_period": "1d"}}}, or a plain number per model. */
    private static Map<String, VirtualKey.ModelBudget> modelBudgets(JsonNode n) {
        String field = "model_max_budget";
        ObjectNode o = object(n, field);
        if (o == null) return null;
        Map<String, VirtualKey.ModelBudget> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            JsonNode v = e.getValue();
            String model = e.getKey();
            if (v.isNumber()) {
                out.put(model, new VirtualKey.ModelBudget(budgetLimit(v, model), null));
            } else if (v.isObject()) {
                JsonNode limit = v.get("budget_limit");
                if (limit == null) throw GatewayException.badRequest("'" + field + "." + model + "' needs a 'budget_limit' (USD).", field);
                JsonNode period = v.get("time_period");
                String p = null;
                if (period != null && !period.isNull()) {
                    if (!period.isTextual()) throw GatewayException.badRequest("'" + field + "." + model + ".time_period' must be a string such as \"1d\".", field);
                    p = BudgetDuration.parse(period.asText(), field).text();
                }
                out.put(model, new VirtualKey.ModelBudget(budgetLimit(limit, model), p));
            } else {
                throw GatewayException.badRequest("'" + field + "." + model + "' must be a number of USD or {\"budget_limit\": 1.0, \"time_period\": \"1d\"}, not "
                        + kind(v) + ".", field);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static double budgetLimit(JsonNode v, String model) {
        if (!isAmount(v)) {
            throw GatewayException.badRequest("'model_max_budget." + abbreviate(model) + "' budget_limit must be a number of USD from 0 to "
                    + (long) MAX_USD + ", not " + kind(v) + ".", "model_max_budget");
        }
        return v.asDouble();
    }

}
