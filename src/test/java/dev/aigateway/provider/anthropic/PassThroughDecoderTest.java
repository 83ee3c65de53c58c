package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.PassThroughDecoder;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pass-through decoder cuts at event boundaries wherever TCP splits, keeps every byte, and meters as it goes. */
class PassThroughDecoderTest {
    static final String START = "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\","
            + "\"usage\":{\"input_tokens\":7,\"cache_read_input_tokens\":3,\"output_tokens\":1}}}\r\n\r\n";
    static final String DELTA = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n";
    static final String END = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
            + "\"usage\":{\"output_tokens\":4}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    /** Records what a pass-through sink receives. */
    static final class Sink implements ChunkSink {
        final List<String> events = new ArrayList<>();
        final List<Boolean> last = new ArrayList<>();
        final List<ObjectNode> chunks = new ArrayList<>();

        @Override public void passThrough(Buffer event, boolean isLast) {
            events.add(event.toString(StandardCharsets.UTF_8));
            last.add(isLast);
        }
        @Override public void chunk(ObjectNode chunk) { chunks.add(chunk); }
        @Override public void end() {}
        @Override public void fail(GatewayException error) {}
        @Override public boolean writeQueueFull() { return false; }
        @Override public void drainHandler(Runnable onDrain) {}
    }

    @Test
    void everyByteGoesThroughOnceWhateverThePiecesAndTheUsageIsMetered() {
        String all = START + DELTA + END;
        byte[] bytes = all.getBytes(StandardCharsets.UTF_8);
        for (int piece = 1; piece <= bytes.length; piece += 5) {
            Sink sink = new Sink();
            PassThroughDecoder d = new PassThroughDecoder(new AnthropicStreamDecoder("anthropic", "c"), java.util.List.of("message_stop"), h -> h);
            for (int i = 0; i < bytes.length; i += piece) {
                d.feed(Buffer.buffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + piece))), sink);
            }
            d.end(sink);
            assertThat(String.join("", sink.events)).as("piece %d", piece).isEqualTo(all);
            assertThat(sink.events).as("one event each, CRLF framing too").hasSize(4);
            assertThat(sink.last).containsExactly(false, false, false, true);
            ObjectNode usage = (ObjectNode) sink.chunks.get(sink.chunks.size() - 1).get("usage");
            assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(10);
            assertThat(usage.path("completion_tokens").asLong()).isEqualTo(4);
        }
    }

    @Test
    void aStreamCutBeforeMessageStopPassesWhatCameAndFails() {
        Sink sink = new Sink();
        PassThroughDecoder d = new PassThroughDecoder(new AnthropicStreamDecoder("anthropic", "c"), java.util.List.of("message_stop"), h -> h);
        String cut = START + "event: content_block_delta\ndata: {\"type\"";
        d.feed(Buffer.buffer(cut), sink);
        assertThatThrownBy(() -> d.end(sink)).isInstanceOf(GatewayException.class);
        assertThat(String.join("", sink.events)).isEqualTo(cut);
    }
}
