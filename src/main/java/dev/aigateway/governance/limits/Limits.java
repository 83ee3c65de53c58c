package dev.aigateway.governance.limits;

/**
 * The limits one holder puts on the requests that belong to it (any field null: no such limit). Teams and users carry
 * them inline; organizations, team memberships, end users and keys may take them from a named budget ({@code budget_id}),
 * in which case a field set inline wins over the budget's.
 *
 * @param budgetDuration LiteLLM's notation ({@code 30d}, {@code 1mo}...); null: the budget never resets
 */
public record Limits(Double maxBudget, Double softBudget, String budgetDuration, Long rpmLimit, Long tpmLimit,
                     Long maxParallelRequests) {

    public static final Limits NONE = new Limits(null, null, null, null, null, null);

    /** These limits, with each field that is unset here taken from {@code base} (a named budget). */
    public Limits over(Limits base) {
        if (base == null) return this;
        return new Limits(maxBudget != null ? maxBudget : base.maxBudget, softBudget != null ? softBudget : base.softBudget,
                budgetDuration != null ? budgetDuration : base.budgetDuration, rpmLimit != null ? rpmLimit : base.rpmLimit,
                tpmLimit != null ? tpmLimit : base.tpmLimit,
                maxParallelRequests != null ? maxParallelRequests : base.maxParallelRequests);
    }

    public boolean hasBudget() {
        return maxBudget != null || softBudget != null;
    }

    public boolean isEmpty() {
        return maxBudget == null && softBudget == null && rpmLimit == null && tpmLimit == null && maxParallelRequests == null;
    }
}
