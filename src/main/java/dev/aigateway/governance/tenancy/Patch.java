package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.AdminFields;
import dev.aigateway.governance.BudgetDuration;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The checked fields of one admin request body (LiteLLM's names), as a patch of a record's JSON form: a field that is
 * absent leaves the record as it is, a field sent as {@code null} clears it. Each entity declares which fields it takes
 * and of what type ({@link Spec}); fields it does not know are ignored, as LiteLLM scripts send many this gateway does
 * not use.
 */
public final class Patch {

    /** How a field is checked. */
    public enum Type { NAME, AMOUNT, COUNT, DURATION, STRINGS, OBJECT, BOOLEAN, USER_ROLE, REGION }

    /** The fields one route takes. */
    public record Spec(Map<String, Type> fields) {
        public static Spec of(Object... nameTypePairs) {
            Map<String, Type> m = new LinkedHashMap<>();
            for (int i = 0; i < nameTypePairs.length; i += 2) m.put((String) nameTypePairs[i], (Type) nameTypePairs[i + 1]);
            return new Spec(java.util.Collections.unmodifiableMap(m));
        }

        /** These fields and those of {@code other}. */
        public Spec and(Spec other) {
            Map<String, Type> m = new LinkedHashMap<>(fields);
            m.putAll(other.fields);
            return new Spec(java.util.Collections.unmodifiableMap(m));
        }
    }

    /** The limit fields of a named budget (and of teams and users, which carry them inline). */
    public static final Spec LIMITS = Spec.of("max_budget", Type.AMOUNT, "soft_budget", Type.AMOUNT, "budget_duration", Type.DURATION,
            "rpm_limit", Type.COUNT, "tpm_limit", Type.COUNT, "max_parallel_requests", Type.COUNT, "model_max_budget", Type.OBJECT);

    private static final Set<String> REGIONS = Set.of("eu", "us");

    private final ObjectNode values;

    private Patch(ObjectNode values) {
        this.values = values;
    }

    /** Checks every field of {@code spec} that {@code body} has. */
    public static Patch read(ObjectNode body, Spec spec) {
        ObjectNode out = Json.object();
        spec.fields().forEach((field, type) -> {
            JsonNode n = body.get(field);
            if (n != null) out.set(field, n.isNull() ? Json.MAPPER.nullNode() : check(n, field, type));
        });
        return new Patch(out);
    }

    public boolean has(String field) {
        return values.has(field);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The checked value of a text field, or null. */
    public String text(String field) {
        JsonNode n = values.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** This patch without the fields of {@code spec} (say, a holder's own fields without its budget's). */
    public Patch only(Spec spec) {
        ObjectNode o = Json.object();
        values.properties().forEach(e -> {
            if (spec.fields().containsKey(e.getKey())) o.set(e.getKey(), e.getValue());
        });
        return new Patch(o);
    }

    /**
     * {@code base} with these fields applied, {@code updated_at} set to {@code now}; a new {@code budget_duration} starts a
     * new window ({@code budget_reset_at}) from {@code now}.
     */
    public <T> T applyTo(T base, Class<T> type, Instant now) {
        ObjectNode o = TenancyJson.of(base);
        values.properties().forEach(e -> o.set(e.getKey(), e.getValue()));
        if (values.has("budget_duration") && o.has("budget_reset_at")) {
            String d = text("budget_duration");
            o.put("budget_reset_at", d == null ? null : BudgetDuration.parse(d).after(now).toString());
        }
        if (o.has("updated_at")) o.put("updated_at", now.toString());
        return TenancyJson.to(o, type);
    }

    private static JsonNode check(JsonNode n, String field, Type type) {
        return switch (type) {
            case NAME -> Json.MAPPER.getNodeFactory().textNode(AdminFields.name(n, field));
            case AMOUNT -> Json.MAPPER.getNodeFactory().numberNode(AdminFields.amount(n, field));
            case COUNT -> Json.MAPPER.getNodeFactory().numberNode(AdminFields.count(n, field));
            case DURATION -> Json.MAPPER.getNodeFactory().textNode(BudgetDuration.parse(AdminFields.text(n, field), field).text());
            case STRINGS -> {
                var list = AdminFields.strings(n, field);
                for (String e : list) {
                    if (e.length() > AdminFields.MAX_NAME) {
                        throw GatewayException.badRequest("'" + field + "' has an entry longer than " + AdminFields.MAX_NAME + " characters.", field);
                    }
                }
                yield Json.MAPPER.valueToTree(list);
            }
            case OBJECT -> AdminFields.object(n, field);
            case BOOLEAN -> {
                if (!n.isBoolean()) throw GatewayException.badRequest("'" + field + "' must be true or false.", field);
                yield n;
            }
            case USER_ROLE -> {
                String s = AdminFields.text(n, field);
                if (Role.parse(s) == null) {
                    throw GatewayException.badRequest("'" + field + "' must be one of proxy_admin, proxy_admin_viewer, internal_user or "
                            + "internal_user_viewer, not '" + AdminFields.abbreviate(s) + "'.", field);
                }
                yield n;
            }
            case REGION -> {
                String s = AdminFields.text(n, field);
                if (!REGIONS.contains(s)) throw GatewayException.badRequest("'" + field + "' must be \"eu\" or \"us\".", field);
                yield n;
            }
        };
    }
}
