package dev.aigateway.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.SseParser;
import dev.aigateway.provider.http.StreamDecoder;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Meters a Responses API stream that is passed through: the text and arguments streamed so far (an estimate when
 * the stream is cut) and, from the final {@code response.completed} / {@code response.incomplete}, the finish and the
 * usage, as OpenAI chat chunks for the gateway's accounting. An {@code error} or {@code response.failed} event is
 * the upstream's failure; a stream that stops before its final event was cut.
 */
public final class ResponsesEventMeter implements StreamDecoder {
    private final String provider;
    private final SseParser parser = new SseParser(this::onEvent);
    private ChunkSink sink;
    private boolean finished;

    public ResponsesEventMeter(String provider) {
        this.provider = provider;
    }

    @Override
    public void feed(Buffer data, ChunkSink sink) {
        this.sink = sink;
        parser.feed(data);
    }

    @Override
    public void end(ChunkSink sink) {
        this.sink = sink;
        parser.finish();
        if (!finished) throw GatewayException.upstream(provider + " stream ended before response.completed: the connection was cut mid-answer.");
    }

    private void onEvent(String event, String data) {
        if (finished || data == null || data.isEmpty()) return;
        JsonNode n = Json.tryParse(data.getBytes(StandardCharsets.UTF_8));
        if (!(n instanceof ObjectNode e)) return;
        String type = e.path("type").asText(event == null ? "" : event);
        switch (type) {
            case "response.output_text.delta", "response.function_call_arguments.delta", "response.custom_tool_call_input.delta",
                 "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> sink.chunk(delta(e.path("delta").asText("")));
            case "response.completed", "response.incomplete" -> {
                finished = true;
                JsonNode usage = e.path("response").get("usage");
                ObjectNode chunk = delta("");
                ((ObjectNode) chunk.withArray("choices").get(0)).put("finish_reason", "response.completed".equals(type) ? "stop" : "length");
                if (usage != null && usage.isObject()) chunk.set("usage", ResponseShape.chatUsage(usage));
                sink.chunk(chunk);
            }
            case "response.failed", "error" -> {
                JsonNode err = "error".equals(type) ? e : e.path("response").path("error");
                if (err.has("error")) err = err.get("error");
                String message = err.path("message").asText("response failed");
                // the upstream's own error event reached the client already: the sink adds none of its own
                throw GatewayException.upstream(provider + " stream error: " + message)
                        .withProviderError(new GatewayException.ProviderError(err.path("code").asText("server_error"), message, 200));
            }
            default -> {}
        }
    }

    private static ObjectNode delta(String text) {
        ObjectNode chunk = Json.object().put("object", "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").put("content", text);
        return chunk;
    }
}
