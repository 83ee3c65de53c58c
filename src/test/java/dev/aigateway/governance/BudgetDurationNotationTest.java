package dev.aigateway.governance;

import dev.aigateway.core.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetDurationNotationTest {
    static final Instant T0 = Instant.parse("2026-01-31T10:00:00Z");

    @Test
    void eachUnitEndsTheWindowWhereLiteLlmWould() {
        assertThat(BudgetDuration.parse("30s", "budget_duration").after(T0)).isEqualTo(T0.plusSeconds(30));
        assertThat(BudgetDuration.parse("30m", "budget_duration").after(T0)).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(BudgetDuration.parse("30min", "budget_duration").after(T0)).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(BudgetDuration.parse("30h", "budget_duration").after(T0)).isEqualTo(T0.plus(Duration.ofHours(30)));
        assertThat(BudgetDuration.parse("30d", "budget_duration").after(T0)).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(BudgetDuration.parse("2w", "budget_duration").after(T0)).isEqualTo(T0.plus(Duration.ofDays(14)));
        // calendar months: Jan 31 + 1 month is the last day of February
        assertThat(BudgetDuration.parse("1mo", "budget_duration").after(T0)).isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
        assertThat(BudgetDuration.parse("3mo", "budget_duration").after(T0)).isEqualTo(Instant.parse("2026-04-30T10:00:00Z"));
        assertThat(BudgetDuration.parse("1mo", "budget_duration").text()).isEqualTo("1mo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "d", "0d", "-1d", "30x", "30 days", "1.5h", "30dd", "mo1", "9999999999d"})
    void anythingElseIsA400NamingTheField(String text) {
        assertThatThrownBy(() -> BudgetDuration.parse(text, "budget_duration"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("budget_duration");
                    assertThat(e.getMessage()).contains("budget_duration").contains("30d");
                });
    }

    @Test
    void errorsEchoABoundedPartOfTheInput() {
        String huge = "9".repeat(100_000) + "parsecs";
        assertThatThrownBy(() -> BudgetDuration.parse(huge, "duration"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(400).contains("9999..."));
    }

    @Test
    void nullIsA400Too() {
        assertThatThrownBy(() -> BudgetDuration.parse(null, "duration"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("duration"));
    }

    /** A window or lifetime of more than a century: its end could not be computed (year 1e9) or stored. */
    @ParameterizedTest
    @ValueSource(strings = {"101y", "999999999y", "1201mo", "999999999mo", "5300w", "999999999w", "36601d", "999999999d", "878401h",
            "999999999h", "52704001m"})
    void windowsLongerThanACenturyAreA400(String text) {
        assertThatThrownBy(() -> BudgetDuration.parse(text, "duration"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("duration");
                    assertThat(e.getMessage()).contains("100 years");
                });
    }

    @Test
    void aCenturyIsTheLongest() {
        for (String text : new String[]{"100y", "1200mo", "36600d", "5228w", "878400h"}) {
            assertThat(BudgetDuration.parse(text, "duration").after(T0)).as(text).isAfter(T0.plus(Duration.ofDays(365 * 99)));
        }
    }
}
