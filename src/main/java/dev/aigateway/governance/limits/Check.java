package dev.aigateway.governance.limits;

import java.time.Instant;

/**
 * One limit that applies to a request. Both limiters evaluate the same checks (see {@link LimitPlan});
 * {@link #counterId()} names the counter the check reads and moves, unique within a limiter (Redis
 * appends the window: the minute, or the budget window's end).
 */
public sealed interface Check permits Check.Budget, Check.Rate {

    /** Which counter family a check belongs to; the holder levels are the tenancy above a key ({@link Holder}). */
    enum Level {
        // Declared in the order a limiter locks their counters: every admission takes them in this one order.
        KEY("k", false), KEY_MODEL("km", false),
        ORGANIZATION("o", true), TEAM("t", true), TEAM_MEMBER("tm", true), USER("u", true), END_USER("e", true),
        DEPLOYMENT("d", false);

        final String tag;
        final boolean holder;

        Level(String tag, boolean holder) {
            this.tag = tag;
            this.holder = holder;
        }
    }

    Level level();

    /** The key hash, {@code hash:model}, the deployment id, or a holder's id. */
    String scopeId();

    String counterId();

    /**
     * A budget in nano-USD: committed spend of the current window plus reservations in flight must stay below
     * {@code limitNanos}, and the request's worst case must fit what is left, for a request to be admitted
     * ({@link LimitPlan#grant}).
     *
     * @param owner       who holds the budget, as refusals name it ({@code Team=ml-research}); null for the key
     * @param model       the model of a per-model budget (null for a holder's own budget)
     * @param limitNanos  max budget, or -1 when only a soft budget is tracked
     * @param softNanos   soft budget, or -1
     * @param windowEnd   end of the current window, or null when the budget never resets
     * @param seedNanos   committed spend to start from when this window is first seen
     */
    record Budget(Level level, String scopeId, String owner, String model, long limitNanos, long softNanos, Instant windowEnd,
                  long seedNanos)
            implements Check {
        @Override
        public String counterId() {
            return "bud:" + level.tag + ":" + scopeId;
        }

        boolean limited() {
            return limitNanos >= 0;
        }
    }

    /** Requests per minute, tokens per minute, or requests in flight. */
    enum RateKind {
        RPM("rpm"), TPM("tpm"), PARALLEL("par");

        final String tag;

        RateKind(String tag) {
            this.tag = tag;
        }
    }

    /**
     * A rate limit.
     *
     * @param model  the model (key-model and deployment checks), for messages
     * @param label  how the refusal names the limit, e.g. "Key rpm_limit"
     */
    record Rate(RateKind kind, Level level, String scopeId, String model, long limit, String label) implements Check {
        @Override
        public String counterId() {
            return kind.tag + ":" + level.tag + ":" + scopeId;
        }
    }
}
