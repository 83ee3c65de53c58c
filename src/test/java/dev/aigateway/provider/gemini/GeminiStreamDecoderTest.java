package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.testing.RecordingSink;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GeminiStreamDecoderTest {
    private final GeminiStreamDecoder decoder = new GeminiStreamDecoder("gemini-2.5-flash", new GeminiErrors("gemini"));
    private final RecordingSink sink = new RecordingSink();

    private static String event(String json) {
        return "data: " + Json.parse(json) + "\r\n\r\n";
    }

    /** Feeds the bytes one at a time: events and UTF-8 characters cut anywhere must survive. */
    private void feedByteByByte(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) decoder.feed(Buffer.buffer(new byte[]{b}), sink);
    }

    @Test
    void thoughtsTextAndUsageSplitAnywhere() {
        feedByteByByte(event("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Hmm…","thought":true}]},"index":0}],
                 "usageMetadata":{"promptTokenCount":3,"totalTokenCount":3},"modelVersion":"gemini-2.5-pro","responseId":"r1"}""")
                + event("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"Grüße "}]},"index":0}],
                 "usageMetadata":{"promptTokenCount":3,"totalTokenCount":3},"modelVersion":"gemini-2.5-pro","responseId":"r1"}""")
                + event("""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"🌍"}]},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"thoughtsTokenCount":6,"totalTokenCount":13},
                 "modelVersion":"gemini-2.5-pro","responseId":"r1"}"""));
        decoder.end(sink);

        List<ObjectNode> c = sink.chunks();
        assertThat(c.get(0).path("choices").get(0).path("delta")).isEqualTo(Json.parse("{\"role\":\"assistant\",\"content\":\"\"}"));
        assertThat(c.get(1).path("choices").get(0).path("delta")).isEqualTo(Json.parse("{\"reasoning_content\":\"Hmm…\"}"));
        assertThat(sink.text(0)).isEqualTo("Grüße 🌍");
        assertThat(sink.finishReasons()).containsExactly("stop");
        assertThat(c).allSatisfy(ch -> {
            assertThat(ch.path("id").asText()).isEqualTo("r1");
            assertThat(ch.path("model").asText()).isEqualTo("gemini-2.5-pro");
        });
        JsonNode last = c.get(c.size() - 1);
        assertThat(last.path("choices")).isEmpty();
        assertThat(last.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
        assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(10);
        assertThat(last.path("usage").path("total_tokens").asInt()).isEqualTo(13);
    }

    @Test
    void functionCallsAreWholeDeltasWithTheirOwnIndex() {
        decoder.feed(Buffer.buffer(event("""
                {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"a","args":{"q":"x"}},"thoughtSignature":"SIG"}]},"index":0}]}""")
                + event("""
                {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"b","args":{}}}]},"finishReason":"STOP","index":0}]}""")), sink);
        decoder.end(sink);

        List<JsonNode> calls = sink.chunks().stream()
                .flatMap(ch -> java.util.stream.StreamSupport.stream(ch.path("choices").path(0).path("delta").path("tool_calls").spliterator(), false))
                .toList();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("index").asInt()).isZero();
        assertThat(calls.get(0).path("id").asText()).endsWith("__thought__SIG");
        assertThat(calls.get(0).path("function")).isEqualTo(Json.parse("{\"name\":\"a\",\"arguments\":\"{\\\"q\\\":\\\"x\\\"}\"}"));
        assertThat(calls.get(1).path("index").asInt()).isEqualTo(1);
        assertThat(calls.get(1).path("type").asText()).isEqualTo("function");
        // The finish came in an event with no call of its own: still tool_calls.
        assertThat(sink.finishReasons()).containsExactly("tool_calls");
        assertThat(sink.last().path("usage").path("total_tokens").asInt()).isZero();
    }

    @Test
    void severalCandidatesAreSeveralChoices() {
        decoder.feed(Buffer.buffer(event("""
                {"candidates":[{"content":{"parts":[{"text":"A"}]},"index":0},{"content":{"parts":[{"text":"B"}]},"index":1}]}""")
                + event("""
                {"candidates":[{"content":{"parts":[{"text":"."}]},"finishReason":"STOP","index":0},
                  {"content":{"parts":[{"text":"!"}]},"finishReason":"MAX_TOKENS","index":1}]}""")), sink);
        decoder.end(sink);
        StringBuilder second = new StringBuilder();
        for (ObjectNode c : sink.chunks()) {
            for (JsonNode ch : c.path("choices")) {
                if (ch.path("index").asInt() == 1) second.append(ch.path("delta").path("content").asText(""));
            }
        }
        assertThat(sink.text(0)).isEqualTo("A.");
        assertThat(second.toString()).isEqualTo("B!");
        assertThat(sink.finishReasons()).containsExactly("stop", "length");
    }

    @Test
    void aBlockedPromptIsAContentFilterFinish() {
        decoder.feed(Buffer.buffer(event("""
                {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}""")), sink);
        decoder.end(sink);
        assertThat(sink.finishReasons()).containsExactly("content_filter");
        assertThat(sink.last().path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
    }

    @Test
    void endingWithoutAFinishReasonIsACutStream() {
        decoder.feed(Buffer.buffer(event("""
                {"candidates":[{"content":{"parts":[{"text":"Half an ans"}]},"index":0}]}""")), sink);
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> decoder.end(sink));
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.getMessage()).contains("gemini");
        assertThat(sink.chunks()).noneMatch(c -> c.has("usage"));
    }

    @Test
    void anErrorEventInTheStreamIsMapped() {
        assertThatThrownBy(() -> decoder.feed(Buffer.buffer(event("""
                {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""")), sink))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("gemini").contains("overloaded");
                });
    }
}
