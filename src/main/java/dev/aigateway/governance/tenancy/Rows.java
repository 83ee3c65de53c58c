package dev.aigateway.governance.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** New tenancy rows, and the multi-row steps several admin routes share. Every method that takes a store blocks. */
public final class Rows {
    private Rows() {}

    /** A row with only its key, times and creator set; {@code patch} then fills it. */
    public static <T> T blank(Table<T> table, String id, Instant now, String createdBy) {
        ObjectNode o = Json.object();
        o.put(table.keys().get(0), id);
        o.put("created_at", now.toString());
        o.put("updated_at", now.toString());
        if (table.has("created_by")) o.put("created_by", createdBy);
        return TenancyJson.to(o, table.type());
    }

    /** An id for a row the caller did not name (LiteLLM's are UUIDs too). */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * The user a member entry names, created when it does not exist yet (as LiteLLM does when a team or an organization
     * gets a member it has never seen): by id, else by email.
     */
    public static User ensureUser(TenancyStore store, String userId, String email, Instant now, String createdBy) {
        if (userId != null) {
            var found = store.find(Table.USERS, userId);
            if (found.isPresent()) return found.get();
        } else {
            List<User> byEmail = store.where(Table.USERS, "user_email", email);
            if (!byEmail.isEmpty()) return byEmail.get(0);
        }
        ObjectNode o = TenancyJson.of(blank(Table.USERS, userId != null ? userId : newId(), now, createdBy));
        o.put("user_email", email);
        User u = TenancyJson.to(o, User.class);
        store.insert(Table.USERS, u);
        return u;
    }

    /**
     * The named budget a holder's inline limit fields go to: {@code budgetId}'s, changed by them, or a new one when it has
     * none (LiteLLM gives organizations and end users a budget of their own this way). Returns the budget's id, or
     * {@code budgetId} when the patch has no limit field.
     */
    public static String budgetFor(TenancyStore store, String budgetId, Patch patch, Instant now, String by) {
        Patch limits = patch.only(Patch.LIMITS);
        if (limits.isEmpty()) return budgetId;
        Budget existing = budgetId == null ? null : store.find(Table.BUDGETS, budgetId).orElse(null);
        if (existing == null) {
            Budget b = limits.applyTo(blank(Table.BUDGETS, budgetId != null ? budgetId : newId(), now, by), Budget.class, now);
            store.insert(Table.BUDGETS, b);
            return b.budgetId();
        }
        store.update(Table.BUDGETS, limits.applyTo(existing, Budget.class, now));
        return budgetId;
    }

    /** A budget of one field ({@code max_budget_in_team} and the like): the membership's own, changed, or a new one. */
    public static String maxBudgetFor(TenancyStore store, String budgetId, double maxBudget, Instant now, String by) {
        return budgetFor(store, budgetId, Patch.read(Json.object().put("max_budget", maxBudget), Patch.LIMITS), now, by);
    }
}
