package dev.aigateway.governance;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetDurationTest {

    @Test
    void parsesLiteLlmNotation() {
        assertThat(BudgetDuration.parse("30s")).isEqualTo(new BudgetDuration(30, BudgetDuration.Unit.SECONDS));
        assertThat(BudgetDuration.parse("30m")).isEqualTo(new BudgetDuration(30, BudgetDuration.Unit.MINUTES));
        assertThat(BudgetDuration.parse("30h")).isEqualTo(new BudgetDuration(30, BudgetDuration.Unit.HOURS));
        assertThat(BudgetDuration.parse("30d")).isEqualTo(new BudgetDuration(30, BudgetDuration.Unit.DAYS));
        assertThat(BudgetDuration.parse("2w")).isEqualTo(new BudgetDuration(2, BudgetDuration.Unit.WEEKS));
        assertThat(BudgetDuration.parse("1mo")).isEqualTo(new BudgetDuration(1, BudgetDuration.Unit.MONTHS));
        assertThat(BudgetDuration.parse(" 1Y ")).isEqualTo(new BudgetDuration(1, BudgetDuration.Unit.YEARS));
        assertThat(BudgetDuration.parse(null)).isNull();
        assertThat(BudgetDuration.parse("30d").toString()).isEqualTo("30d");
        assertThatThrownBy(() -> BudgetDuration.parse("monthly")).hasMessageContaining("must be a positive number followed by a unit");
        assertThatThrownBy(() -> BudgetDuration.parse("0d")).isInstanceOf(IllegalArgumentException.class);
        assertThat(BudgetDuration.parseOrNull("soon")).isNull();
    }

    @Test
    void nextEndSkipsWindowsNobodyUsed() {
        Instant end = Instant.parse("2026-01-31T00:00:00Z");
        assertThat(BudgetDuration.parse("1mo").nextEnd(end, Instant.parse("2026-01-30T00:00:00Z"))).isEqualTo(end);
        assertThat(BudgetDuration.parse("1mo").nextEnd(end, end)).isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
        assertThat(BudgetDuration.parse("1mo").nextEnd(end, Instant.parse("2026-05-01T00:00:00Z"))).isEqualTo(Instant.parse("2026-05-31T00:00:00Z"));
        assertThat(BudgetDuration.parse("1y").nextEnd(end, Instant.parse("2029-02-01T00:00:00Z"))).isEqualTo(Instant.parse("2030-01-31T00:00:00Z"));
        assertThat(BudgetDuration.parse("30s").nextEnd(end, end.plusSeconds(3600 * 24 * 365))).isEqualTo(end.plusSeconds(3600 * 24 * 365 + 30));
    }

    @Test
    void alignedWindowsEndOnUtcBoundaries() {
        Instant t = Instant.parse("2026-03-10T12:34:56Z");
        assertThat(BudgetDuration.parse("1d").alignedEnd(t)).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
        assertThat(BudgetDuration.parse("1h").alignedEnd(t)).isEqualTo(Instant.parse("2026-03-10T13:00:00Z"));
        assertThat(BudgetDuration.parse("1mo").alignedEnd(t)).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(BudgetDuration.parse("1y").alignedEnd(t)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetDuration.parse("1d").alignedEnd(Instant.parse("2026-03-11T00:00:00Z"))).isEqualTo(Instant.parse("2026-03-12T00:00:00Z"));
    }
}
