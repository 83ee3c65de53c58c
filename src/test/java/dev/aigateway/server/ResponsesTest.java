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

    /** Values Vert.x would refuse with an exception (and an exception while answering left the client waiting). */
    @Test
    void headerValuesWithControlCharactersAreRecognised() {
        assertThat(Responses.isHeaderValue("dep-1 (eu)")).isTrue();
        assertThat(Responses.isHeaderValue("tab\tok")).isTrue();
        assertThat(Responses.isHeaderValue("caf\u00e9")).isTrue();
        assertThat(Responses.isHeaderValue("a\r\nX-Evil: 1")).isFalse();
        assertThat(Responses.isHeaderValue("a\nb")).isFalse();
        assertThat(Responses.isHeaderValue("nul\0")).isFalse();
        assertThat(Responses.isHeaderValue("del\u007f")).isFalse();
        assertThat(Responses.isHeaderValue(null)).isFalse();
    }
}
