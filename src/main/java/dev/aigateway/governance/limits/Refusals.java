package dev.aigateway.governance.limits;

import dev.aigateway.core.GatewayException;
import dev.aigateway.governance.spend.Money;
import dev.aigateway.governance.spend.WorstCase;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The 429 answers of admission control, worded so a caller can tell which limit it hit:
 * {@code budget_exceeded} in LiteLLM's words ("Budget has been exceeded! Current cost: 1.2345, Max budget: 1.0")
 * with Retry-After until the window resets (none for a budget that never resets), and
 * {@code rate_limit_error} naming the limit, with Retry-After until the next minute (1 s for parallel).
 */
final class Refusals {
    private Refusals() {}

    static GatewayException refusal(Check check, long current, long reserved, Instant now) {
        return switch (check) {
            case Check.Budget b -> budget(b, current, reserved, now);
            case Check.Rate r -> rate(r, current, now);
        };
    }

    static GatewayException budget(Check.Budget b, long committed, long reserved, Instant now) {
        StringBuilder m = spent(b, committed, reserved);
        return GatewayException.budgetExceeded(resets(b, m, false), null, retryAfter(b, now));
    }

    /**
     * The budget is not spent, but the request's worst case does not fit what is left. The message names the largest
     * max_tokens that would fit, so a client can retry with it (or with none: the gateway then caps the output).
     */
    static GatewayException worstCase(Check.Budget b, long committed, long reserved, WorstCase cost, long largestFitting, Instant now) {
        StringBuilder m = spent(b, committed, reserved);
        long left = b.limitNanos() - committed - reserved;
        if (cost.maxTokens() == 0) {
            m.append(". This request could cost up to ").append(usd(cost.worstNanos())).append(", more than the ")
                    .append(usd(left)).append(" left");
        } else if (cost.explicit()) {
            m.append(". This request could cost up to ").append(usd(cost.worstNanos())).append(" with its max_tokens of ")
                    .append(cost.maxTokens()).append(", more than the ").append(usd(left)).append(" left");
            if (largestFitting > 0) m.append("; the largest max_tokens that fits is ").append(largestFitting);
            else m.append("; no max_tokens fits (the prompt alone could cost ").append(usd(cost.fixedNanos())).append(')');
        } else {
            m.append(". This request could cost at least ").append(usd(cost.costNanos(Math.max(1, cost.minTokens()))))
                    .append(", more than the ").append(usd(left)).append(" left");
        }
        String message = resets(b, m, true);
        return GatewayException.budgetExceeded(message, cost.explicit() && cost.maxTokens() > 0 ? "max_tokens" : null, retryAfter(b, now));
    }

    private static StringBuilder spent(Check.Budget b, long committed, long reserved) {
        StringBuilder m = new StringBuilder("Budget has been exceeded");
        if (b.model() != null) m.append(" for model '").append(b.model()).append('\'');
        m.append("! ");
        if (b.owner() != null) m.append(b.owner()).append(' '); // LiteLLM's "Team=<id> Current cost: ..."
        m.append("Current cost: ").append(usd(committed));
        if (reserved > 0) m.append(" (plus ").append(usd(reserved)).append(" reserved by requests in flight)");
        m.append(", Max budget: ").append(usd(b.limitNanos()));
        return m;
    }

    /** Adds when the window resets; {@code explained} messages end their last sentence with a period either way. */
    private static String resets(Check.Budget b, StringBuilder m, boolean explained) {
        if (b.windowEnd() != null) m.append(". The budget resets at ").append(b.windowEnd()).append('.');
        else if (explained) m.append('.');
        return m.toString();
    }

    /** Seconds until the budget's window resets, or null for a budget that never resets. */
    private static Long retryAfter(Check.Budget b, Instant now) {
        if (b.windowEnd() == null) return null;
        return Math.max(1, ceilSeconds(b.windowEnd().toEpochMilli() - now.toEpochMilli()));
    }

    static GatewayException rate(Check.Rate r, long current, Instant now) {
        String message = switch (r.kind()) {
            case RPM -> r.label() + " of " + r.limit() + " requests per minute reached.";
            case TPM -> r.label() + " of " + r.limit() + " tokens per minute reached (" + current + " used this minute).";
            case PARALLEL -> r.label() + " of " + r.limit() + " reached (" + current + " requests in flight).";
        };
        long retry = r.kind() == Check.RateKind.PARALLEL ? 1 : secondsToNextMinute(now);
        return GatewayException.rateLimited(message, retry);
    }

    /** Seconds until the next minute window starts, at least 1. */
    static long secondsToNextMinute(Instant now) {
        long ms = now.toEpochMilli();
        long next = (Math.floorDiv(ms, 60_000) + 1) * 60_000;
        return Math.max(1, ceilSeconds(next - ms));
    }

    private static long ceilSeconds(long millis) {
        return Math.floorDiv(millis + 999, 1000);
    }

    /** USD as LiteLLM prints it: up to 6 decimals, at least one ("1.0", "1.2345"). */
    static String usd(long nanos) {
        BigDecimal v = BigDecimal.valueOf(Money.usd(nanos)).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
        if (v.scale() < 1) v = v.setScale(1, RoundingMode.UNNECESSARY);
        return v.toPlainString();
    }
}
