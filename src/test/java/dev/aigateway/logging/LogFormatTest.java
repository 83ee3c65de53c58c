package dev.aigateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.config.LogSettings;
import dev.aigateway.core.Json;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LogFormatTest {

    @Test
    void theConfiguredFormatNamesTheEncoder() { // how the setting is read: config/LogSettingsTest
        assertThat(LogFormat.of(LogSettings.Format.JSON)).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.of(LogSettings.Format.TEXT)).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void jsonSwapsTheConsoleEncoderBehindTheAsyncAppenderAndTextPutsItBack() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var consoles = LogFormat.consoleAppenders(context);
        assertThat(consoles).as("LogConfigurator's STDOUT behind ASYNC").extracting(OutputStreamAppender::getName).contains("STDOUT");
        var original = consoles.get(0).getEncoder();
        try {
            LogFormat.JSON.apply();
            assertThat(consoles.get(0).getEncoder()).isInstanceOf(JsonLineEncoder.class);
            LogFormat.JSON.apply(); // idempotent
            LogFormat.TEXT.apply();
            assertThat(consoles.get(0).getEncoder()).isSameAs(original);
        } finally {
            LogFormat.TEXT.apply();
        }
    }

    @Test
    void encodesAccessLinesAsFlatFieldsAndErrorsWithTheirStackTrace() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        AccessLine line = new AccessLine("req-1", "POST", "/v1/chat/completions", "team-a", "gpt-4o", "gpt-4o-1", 200, 812.456, 0.2134);
        LoggingEvent event = new LoggingEvent("x", context.getLogger("access"), Level.INFO, "{}", null, new Object[]{line});
        String out = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(out).endsWith("}\n").doesNotContain("\n{");
        JsonNode n = Json.parse(out);
        assertThat(n.path("logger").asText()).isEqualTo("access");
        assertThat(n.path("level").asText()).isEqualTo("INFO");
        assertThat(n.path("message").asText())
                .isEqualTo("req-1 POST /v1/chat/completions key=team-a model=gpt-4o deployment=gpt-4o-1 status=200 latency_ms=812.46 overhead_ms=0.213");
        assertThat(n.path("request_id").asText()).isEqualTo("req-1");
        assertThat(n.path("key_alias").asText()).isEqualTo("team-a");
        assertThat(n.path("deployment").asText()).isEqualTo("gpt-4o-1");
        assertThat(n.path("status").asInt()).isEqualTo(200);
        assertThat(n.path("latency_ms").asDouble()).isEqualTo(812.46);
        assertThat(n.path("overhead_ms").asDouble()).isEqualTo(0.213);

        LoggingEvent error = new LoggingEvent("x", context.getLogger("dev.aigateway.X"), Level.ERROR, "Unexpected error in request {}",
                new IllegalStateException("boom\nsecond line"), new Object[]{"req-2"});
        JsonNode e = Json.parse(new String(encoder.encode(error), StandardCharsets.UTF_8));
        assertThat(e.path("message").asText()).isEqualTo("Unexpected error in request req-2");
        assertThat(e.path("exception").asText()).contains("IllegalStateException: boom").contains("at dev.aigateway");
        assertThat(e.has("request_id")).isFalse();
    }

    @Test
    void accessLineTextKeepsTheExistingFormat() {
        assertThat(new AccessLine("r", "GET", "/health", null, null, null, 200, 1.006, 0.0004).toString())
                .isEqualTo("r GET /health key=- model=- deployment=- status=200 latency_ms=1.01 overhead_ms=0.000");
    }
}
