package dev.aigateway.provider.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeBedrock;
import dev.aigateway.testing.RecordingSink;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConverseStreamDecoderTest {
    private static Buffer event(String type, String json) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":event-type", type);
        h.put(":content-type", "application/json");
        h.put(":message-type", "event");
        return FakeBedrock.frame(h, json.getBytes());
    }

    private static ConverseStreamDecoder decoder() {
        return new ConverseStreamDecoder("m", new BedrockErrors(BedrockProvider.INVOKE_STREAM));
    }

    @Test
    void framesFedOneByteAtATimeDecodeToChunks() {
        Buffer all = Buffer.buffer()
                .appendBuffer(event("messageStart", "{\"role\":\"assistant\"}"))
                .appendBuffer(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"hmm\"}}}"))
                .appendBuffer(event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"text\":\"Hi\"}}"))
                .appendBuffer(event("messageStop", "{\"stopReason\":\"max_tokens\"}"))
                .appendBuffer(event("metadata", "{\"usage\":{\"inputTokens\":5,\"outputTokens\":2}}"));
        RecordingSink sink = new RecordingSink();
        ConverseStreamDecoder d = decoder();
        for (int i = 0; i < all.length(); i++) d.feed(all.getBuffer(i, i + 1), sink);
        d.end(sink);
        var chunks = sink.chunks();
        assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        assertThat(chunks.get(1).path("choices").get(0).path("delta").path("reasoning_content").asText()).isEqualTo("hmm");
        assertThat(chunks.get(2).path("choices").get(0).path("delta").path("content").asText()).isEqualTo("Hi");
        assertThat(chunks.get(3).path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(chunks.get(4).path("usage").path("total_tokens").asInt()).isEqualTo(7);
    }

    @Test
    void corruptedFrameFailsOnItsCrc() {
        Buffer f = event("messageStart", "{\"role\":\"assistant\"}");
        f.setByte(f.length() - 6, (byte) (f.getByte(f.length() - 6) ^ 1));
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> decoder().feed(f, new RecordingSink()));
        assertThat(e.getMessage()).contains("CRC");
    }

    @Test
    void exceptionFrameIsTheMappedError() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":exception-type", "throttlingException");
        h.put(":content-type", "application/json");
        h.put(":message-type", "exception");
        Buffer f = FakeBedrock.frame(h, "{\"message\":\"Too many tokens\"}".getBytes());
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> decoder().feed(f, new RecordingSink()));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.getMessage()).contains("Too many tokens");
    }

    @Test
    void streamWithoutMessageStopWasCut() {
        RecordingSink sink = new RecordingSink();
        ConverseStreamDecoder d = decoder();
        d.feed(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"), sink);
        assertThat(catchThrowableOfType(GatewayException.class, () -> d.end(sink)).getMessage()).contains("cut");
    }

    @Test
    void cacheControlBecomesACachePoint() {
        ObjectNode out = ConverseRequest.translate((ObjectNode) Json.parse("""
                {"messages":[{"role":"system","content":[{"type":"text","text":"Long rules","cache_control":{"type":"ephemeral"}}]},
                  {"role":"user","content":[{"type":"text","text":"Doc","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Q"}]}]}"""));
        assertThat(out.path("system")).isEqualTo(Json.parse("[{\"text\":\"Long rules\"},{\"cachePoint\":{\"type\":\"default\"}}]"));
        assertThat(out.path("messages").get(0).path("content")).isEqualTo(Json.parse(
                "[{\"text\":\"Doc\"},{\"cachePoint\":{\"type\":\"default\"}},{\"text\":\"Q\"}]"));
    }

    @Test
    void imagesAndStopSequencesTranslate() {
        ObjectNode out = ConverseRequest.translate((ObjectNode) Json.parse("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"What is it?"},
                  {"type":"image_url","image_url":{"url":"data:image/jpg;base64,AAAA"}}]}],"stop":"END","top_p":0.9,
                 "tool_choice":"required","tools":[{"type":"function","function":{"name":"f"}}]}"""));
        assertThat(out.path("messages").get(0).path("content").get(1)).isEqualTo(Json.parse("""
                {"image":{"format":"jpeg","source":{"bytes":"AAAA"}}}"""));
        assertThat(out.path("inferenceConfig")).isEqualTo(Json.parse("{\"topP\":0.9,\"stopSequences\":[\"END\"]}"));
        assertThat(out.path("toolConfig").path("toolChoice")).isEqualTo(Json.parse("{\"any\":{}}"));
        GatewayException e = catchThrowableOfType(GatewayException.class, () -> ConverseRequest.translate((ObjectNode) Json.parse("""
                {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}""")));
        assertThat(e.status()).isEqualTo(400);
    }
}
