package dev.aigateway.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecimalsTest {
    @ParameterizedTest
    @CsvSource({"30,30", "' 0.5 ',0.5", "-2,-2", ".25,0.25", "1e3,1000", "2.5E-1,0.25", "+7,7", "10.,10"})
    void plainDecimalsAreNumbers(String text, double value) {
        assertThat(Decimals.parse(text)).isEqualTo(value);
    }

    /** Java's parseDouble takes all of these: "5d" would have been five seconds. */
    @ParameterizedTest
    @ValueSource(strings = {"5d", "1f", "0x1p3", "Infinity", "NaN", "1_000", "", " ", "1e", "--1", "1.2.3"})
    void javaSpecificFormsAreNot(String text) {
        assertThatThrownBy(() -> Decimals.parse(text)).isInstanceOf(NumberFormatException.class);
    }
}
