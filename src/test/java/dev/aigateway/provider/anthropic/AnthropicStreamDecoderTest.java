package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.testing.RecordingSink;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicStreamDecoderTest {
    /** Text, then two tool calls (blocks 1 and 2), with a ping, an unknown event and CRLF line ends. */
    private static final String STREAM = String.join("\r\n",
            "event: message_start",
            "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-x\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}",
            "",
            "event: content_block_start",
            "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "",
            "event: ping",
            "data: {\"type\": \"ping\"}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Sur ✓ \"}}",
            "",
            "event: content_block_stop",
            "data: {\"type\":\"content_block_stop\",\"index\":0}",
            "",
            "event: content_block_start",
            "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"f\",\"input\":{}}}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}",
            "",
            "event: content_block_stop",
            "data: {\"type\":\"content_block_stop\",\"index\":1}",
            "",
            "event: some_future_event",
            "data: {\"type\":\"some_future_event\"}",
            "",
            "event: content_block_start",
            "data: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"g\",\"input\":{}}}",
            "",
            "event: content_block_delta",
            "data: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}",
            "",
            "event: content_block_stop",
            "data: {\"type\":\"content_block_stop\",\"index\":2}",
            "",
            "event: message_delta",
            "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":12,\"cache_read_input_tokens\":100,\"output_tokens\":40}}",
            "",
            "event: message_stop",
            "data: {\"type\":\"message_stop\"}",
            "", "");

    @Test
    void decodesAStreamFedOneByteAtATime() {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder("anthropic", "fallback");
        RecordingSink sink = new RecordingSink();
        for (byte b : STREAM.getBytes(StandardCharsets.UTF_8)) decoder.feed(Buffer.buffer(new byte[] {b}), sink);
        decoder.end(sink);

        assertThat(sink.text()).isEqualTo("Sur ✓ ");
        assertThat(sink.toolArguments(0)).isEqualTo("{\"a\":1}");
        assertThat(sink.toolArguments(1)).isEqualTo("{}");
        JsonNode second = sink.chunks().stream()
                .map(c -> c.path("choices").path(0).path("delta").path("tool_calls").path(0))
                .filter(tc -> "toolu_b".equals(tc.path("id").asText())).findFirst().orElseThrow();
        assertThat(second.path("index").asInt()).isEqualTo(1);
        assertThat(second.path("function").path("name").asText()).isEqualTo("g");
        assertThat(sink.chunks()).allSatisfy(c -> {
            assertThat(c.path("id").asText()).isEqualTo("msg_1");
            assertThat(c.path("model").asText()).isEqualTo("claude-x");
        });
        var last = sink.last();
        assertThat(last.path("choices")).isEmpty();
        assertThat(last.path("usage").path("prompt_tokens").asInt()).isEqualTo(112);
        assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(40);
        assertThat(sink.chunks().get(sink.chunks().size() - 2).path("choices").get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void streamWithoutMessageStopIsCut() {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder("anthropic", "m");
        RecordingSink sink = new RecordingSink();
        String partial = STREAM.substring(0, STREAM.indexOf("event: message_stop"));
        decoder.feed(Buffer.buffer(partial), sink);
        assertThatThrownBy(() -> decoder.end(sink))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.getMessage()).contains("anthropic").contains("message_stop");
                });
    }

    @Test
    void errorEventsMapLikeHttpErrorsOfTheirType() {
        assertThat(errorEvent("overloaded_error").status()).isEqualTo(503);
        assertThat(errorEvent("rate_limit_error").status()).isEqualTo(429);
        assertThat(errorEvent("api_error").status()).isEqualTo(502);
        assertThat(errorEvent("invalid_request_error").status()).isEqualTo(400);
        assertThat(errorEvent("something_new").status()).isEqualTo(502);
    }

    private static GatewayException errorEvent(String type) {
        AnthropicStreamDecoder decoder = new AnthropicStreamDecoder("anthropic", "m");
        String sse = "event: error\ndata: " + Json.parse("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"boom\"}}") + "\n\n";
        try {
            decoder.feed(Buffer.buffer(sse), new RecordingSink());
        } catch (GatewayException e) {
            assertThat(e.getMessage()).contains("anthropic").contains("boom");
            return e;
        }
        throw new AssertionError("no error raised for " + type);
    }
}
