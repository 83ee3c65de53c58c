package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ChunkSink;
import dev.aigateway.provider.http.SseParser;
import dev.aigateway.provider.http.StreamDecoder;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Gemini's {@code streamGenerateContent?alt=sse}: every {@code data:} event is a whole
 * GenerateContentResponse holding the next piece of each candidate. Function calls arrive complete, so
 * each becomes one tool_call delta. Usage comes cumulatively with the fragments and is sent once, at the
 * end. Gemini has no terminator event: a stream is complete once a candidate carried a finishReason,
 * and one that ends without it was cut.
 */
final class GeminiStreamDecoder implements StreamDecoder {
    private final String deploymentModel;
    private final GeminiErrors errors;
    private final SseParser parser = new SseParser(this::onEvent);
    private final Map<Integer, CandidateState> candidates = new HashMap<>();
    private final long created = System.currentTimeMillis() / 1000;
    private ChunkSink sink;
    private String id;
    private String model;
    private JsonNode usage;
    private boolean finished;

    /** Where one candidate (one OpenAI choice) stands. */
    private static final class CandidateState {
        boolean started;
        int toolCalls;
        boolean finished;
    }

    GeminiStreamDecoder(String deploymentModel, GeminiErrors errors) {
        this.deploymentModel = deploymentModel;
        this.errors = errors;
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
        if (!finished) {
            throw GatewayException.upstream(GeminiProvider.NAME
                    + " stream ended before any finishReason: the connection was cut mid-answer.");
        }
        ObjectNode last = chunk();
        last.putArray("choices");
        last.set("usage", GeminiUsage.toOpenAi(usage));
        sink.chunk(last);
    }

    private void onEvent(String event, String data) {
        if (data.isBlank()) return;
        JsonNode n = Json.tryParse(data.getBytes(StandardCharsets.UTF_8));
        if (!(n instanceof ObjectNode resp)) {
            throw GatewayException.upstream(GeminiProvider.NAME + " sent a stream event that is not a JSON object.");
        }
        JsonNode err = resp.get("error");
        if (err != null && err.isObject()) throw errors.fromError(err.path("code").asInt(500), err, null);
        if (id == null) {
            id = GeminiResponseTranslator.idOf(resp);
            model = GeminiResponseTranslator.modelOf(resp, deploymentModel);
        }
        if (resp.hasNonNull("usageMetadata")) usage = resp.get("usageMetadata");
        JsonNode cands = resp.path("candidates");
        if (cands.isArray() && !cands.isEmpty()) {
            int i = 0;
            for (JsonNode c : cands) candidate(GeminiCandidate.read(c, i++));
        } else if (GeminiResponseTranslator.isPromptBlocked(resp)) {
            CandidateState s = state(0);
            start(0, s);
            finish(0, s, "content_filter");
        }
    }

    private void candidate(GeminiCandidate c) {
        CandidateState s = state(c.index());
        if (s.finished) return;
        start(c.index(), s);
        if (!c.reasoning().isEmpty()) emit(c.index(), Json.object().put("reasoning_content", c.reasoning()));
        if (!c.text().isEmpty()) emit(c.index(), Json.object().put("content", c.text()));
        for (ObjectNode call : c.toolCalls()) {
            ObjectNode d = Json.object();
            d.put("index", s.toolCalls++);
            d.setAll(call);
            ObjectNode delta = Json.object();
            delta.putArray("tool_calls").add(d);
            emit(c.index(), delta);
        }
        String reason = c.openAiFinishReason(s.toolCalls > 0);
        if (reason != null) finish(c.index(), s, reason);
    }

    private void start(int index, CandidateState s) {
        if (s.started) return;
        s.started = true;
        emit(index, Json.object().put("role", "assistant").put("content", ""));
    }

    private void finish(int index, CandidateState s, String reason) {
        s.finished = true;
        finished = true;
        ObjectNode c = chunk();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", index);
        choice.putObject("delta");
        choice.put("finish_reason", reason);
        sink.chunk(c);
    }

    private void emit(int index, ObjectNode delta) {
        ObjectNode c = chunk();
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", index);
        choice.set("delta", delta);
        choice.putNull("finish_reason");
        sink.chunk(c);
    }

    private CandidateState state(int index) {
        return candidates.computeIfAbsent(index, k -> new CandidateState());
    }

    private ObjectNode chunk() {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        return c;
    }
}
