package dev.aigateway.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code BUDGET_PROFILE} gives a key made by {@code ./ai-gateway virtual-key}:
 * <ul>
 *   <li>{@code test} (the default): 5 USD per 30 days, 60 requests and 100,000 tokens per minute: enough to
 *       try every feature, too little for a runaway loop to cost real money;</li>
 *   <li>{@code prod}: 100 USD per 30 days, 600 requests and 1,000,000 tokens per minute: a small team's
 *       daily use, still with a ceiling;</li>
 *   <li>{@code unlimited}: no budget and no limits (spend is still recorded).</li>
 * </ul>
 * A budget window starts when the key is made and restarts every {@code budgetDuration}.
 */
public enum BudgetProfile {
    TEST(5.0, "30d", 60L, 100_000L),
    PROD(100.0, "30d", 600L, 1_000_000L),
    UNLIMITED(null, null, null, null);

    public static final String VARIABLE = "BUDGET_PROFILE";

    private final Double maxBudget;
    private final String budgetDuration;
    private final Long rpmLimit;
    private final Long tpmLimit;

    BudgetProfile(Double maxBudget, String budgetDuration, Long rpmLimit, Long tpmLimit) {
        this.maxBudget = maxBudget;
        this.budgetDuration = budgetDuration;
        this.rpmLimit = rpmLimit;
        this.tpmLimit = tpmLimit;
    }

    /** The profile named by {@code BUDGET_PROFILE} (null or blank: test); anything else names the allowed values. */
    public static BudgetProfile parse(String name) {
        if (name == null || name.isBlank()) return TEST;
        for (BudgetProfile p : values()) {
            if (p.id().equals(name.strip().toLowerCase(Locale.ROOT))) return p;
        }
        throw new IllegalArgumentException(VARIABLE + " must be one of " + allowed() + ", not '" + name + "'. Fix it in .env.");
    }

    public static String allowed() {
        return Arrays.stream(values()).map(BudgetProfile::id).collect(Collectors.joining(", "));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Double maxBudget() { return maxBudget; }
    public String budgetDuration() { return budgetDuration; }
    public Long rpmLimit() { return rpmLimit; }
    public Long tpmLimit() { return tpmLimit; }

    /** The /key/generate body for a key with this profile. */
    public ObjectNode generateRequest(String keyAlias) {
        ObjectNode body = Json.object();
        body.put("key_alias", keyAlias);
        if (maxBudget != null) body.put("max_budget", maxBudget);
        if (budgetDuration != null) body.put("budget_duration", budgetDuration);
        if (rpmLimit != null) body.put("rpm_limit", rpmLimit);
        if (tpmLimit != null) body.put("tpm_limit", tpmLimit);
        body.putObject("metadata").put("budget_profile", id()).put("created_with", "ai-gateway virtual-key");
        return body;
    }

    /** One line for people: "5.00 USD per 30d, 60 requests/min, 100000 tokens/min". */
    public String describe() {
        if (maxBudget == null && rpmLimit == null && tpmLimit == null) return "no budget and no rate limits";
        return String.format(Locale.ROOT, "%.2f USD per %s, %d requests/min, %d tokens/min", maxBudget, budgetDuration, rpmLimit, tpmLimit);
    }
}
