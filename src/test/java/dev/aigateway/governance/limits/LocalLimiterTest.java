package dev.aigateway.governance.limits;

import dev.aigateway.governance.keys.VirtualKey;
import dev.aigateway.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static dev.aigateway.governance.limits.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

/** The limiter contract, counted in this process. */
class LocalLimiterTest extends LimiterContract {

    @Override
    protected Limiter newLimiter(MutableClock clock, BudgetResets resets) {
        return new LocalLimiter(clock, resets, new SoftBudgetWarnings());
    }

    @Override
    protected void settleNow(Admission admission, Settlement actual) {
        limiter.settle(admission, actual);
    }

    @Test
    void answersAreAlreadyCompleted() {
        assertThat(limiter.admit(new AdmissionRequest(key().rpm(5).build(), "m1", DEP, 0, clock.instant())).isComplete()).isTrue();
        assertThat(limiter.redisStatus()).isEqualTo("not configured");
    }

    @Test
    void clearStartsBudgetsAgainFromTheStoredSpend() {
        VirtualKey k = key().spend(0.5).maxBudget(1.0).build();
        settle(admit(k, "m1", DEP, 0), 0.5, 0);
        assertBudgetExceeded(refuse(k, "m1", DEP, 0), "Budget has been exceeded! Current cost: 1.0, Max budget: 1.0");
        ((LocalLimiter) limiter).clear();
        admit(k, "m1", DEP, 0); // back to the stored 0.5
    }
}
