package dev.aigateway.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponsesTest {
    @Test
    void millisecondsWithMicrosecondPrecision() {
        assertThat(Responses.millis(1.2345)).isEqualTo("1.235");
        assertThat(Responses.millis(0.0504)).isEqualTo("0.050");
        assertThat(Responses.millis(0.007)).isEqualTo("0.007");
        assertThat(Responses.millis(12)).isEqualTo("12.000");
        assertThat(Responses.millis(0)).isEqualTo("0.000");
    }
}
