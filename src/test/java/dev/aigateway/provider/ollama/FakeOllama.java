package dev.aigateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama's native API as an in-process server: {@code POST /api/chat} (one JSON object when {@code stream:false};
 * otherwise, and by default, NDJSON lines ending in a {@code done:true} line with the token counts) and
 * {@code POST /api/embed}. Like Ollama (Go net/http), it speaks HTTP/1.1 only, answers unknown routes with a plain
 * "404 page not found", and reports errors as {@code {"error":"..."}}.
 *
 * <p>No auth by default, as a local Ollama; {@link #FakeOllama(String)} requires a bearer key like ollama.com or a
 * proxy in front. Scenario kinds: {@code Error(400, "context_length")}, {@code Error(status, "in_stream")} (a
 * streamed request gets 200, one line, then an {@code {"error"}} line).
 */
public final class FakeOllama extends FakeUpstream {
    public static final int PROMPT_EVAL_COUNT = 26;
    public static final int EVAL_COUNT = 11;
    public static final int DEFAULT_DIMENSIONS = 4;

    private final String expectedKey;
    private volatile String doneReason = "stop";
    private volatile String thinking;

    public FakeOllama() {
        this(null);
    }

    /** @param expectedKey required as {@code Authorization: Bearer}; null for none */
    public FakeOllama(String expectedKey) {
        this.expectedKey = expectedKey;
    }

    /** The done_reason of the next answers ("stop", "length", "load"). */
    public void doneReason(String reason) {
        this.doneReason = reason;
    }

    /** Reasoning text sent before the answer (message.thinking), as thinking models do; null for none. */
    public void thinking(String text) {
        this.thinking = text;
    }

    @Override
    public void reset() {
        super.reset();
        doneReason = "stop";
        thinking = null;
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded recorded, Scenario scenario) {
        if (req.version() != HttpVersion.HTTP_1_1 && req.version() != HttpVersion.HTTP_1_0) {
            req.connection().close(); // Go's server has no h2c: a prior-knowledge preface is refused
            return;
        }
        String op = switch (req.path()) {
            case "/api/chat" -> "chat";
            case "/api/embed" -> "embed";
            default -> null;
        };
        if (op == null) {
            req.response().setStatusCode(404).putHeader("content-type", "text/plain").end("404 page not found");
            return;
        }
        if (!"POST".equals(recorded.method())) {
            req.response().setStatusCode(405).putHeader("content-type", "text/plain").end("405 method not allowed");
            return;
        }
        if (expectedKey != null && !("Bearer " + expectedKey).equals(req.getHeader("authorization"))) {
            sendError(req, 401, "unauthorized");
            return;
        }
        JsonNode parsed = Json.tryParse(recorded.body().getBytes());
        if (!(parsed instanceof ObjectNode body)) {
            sendError(req, 400, "invalid character 'x' looking for beginning of value");
            return;
        }
        String model = body.path("model").asText("");
        if (model.isEmpty()) {
            sendError(req, 400, "model is required");
            return;
        }
        boolean stream = !body.has("stream") || body.get("stream").asBoolean(); // Ollama streams unless told not to
        switch (scenario) {
            case Scenario.Hang h -> { /* never answer */ }
            case Scenario.Error e when "in_stream".equals(e.kind()) && stream && op.equals("chat") -> {
                List<String> lines = List.of(line(model, message("Hel"), false).toString(),
                        Json.object().put("error", "an error was encountered while running the model: unexpected EOF").toString());
                sendLines(req, lines, 0, false);
            }
            case Scenario.Error e when "echo_key".equals(e.kind()) -> sendError(req, e.status(), "unauthorized: " + presentedCredential(recorded));
            case Scenario.Error e -> sendError(req, e.status(), errorMessage(e, model));
            case Scenario.CutStream c -> {
                if (!stream) req.connection().close();
                else sendLines(req, textLines(model, "Hello from the fake, cut short mid-answer", c.chunks()), 0, true);
            }
            case Scenario.SlowStream s -> answer(req, op, body, model, stream, s.text(), null, s.gapMs());
            case Scenario.Text t -> answer(req, op, body, model, stream, t.text(), null, 0);
            case Scenario.ToolCall t -> answer(req, op, body, model, stream, null, t, 0);
        }
    }

    private void answer(HttpServerRequest req, String op, ObjectNode body, String model, boolean stream,
                        String text, Scenario.ToolCall tool, long gapMs) {
        if (op.equals("embed")) {
            sendJson(req, 200, embed(body, model));
            return;
        }
        if (!stream) {
            ObjectNode msg = tool != null ? toolMessage(tool) : message(text);
            if (thinking != null) msg.put("thinking", thinking);
            sendJson(req, 200, finalLine(line(model, msg, true)));
            return;
        }
        List<String> lines = new ArrayList<>();
        if (thinking != null) {
            for (String word : words(thinking)) {
                ObjectNode msg = message("");
                msg.put("thinking", word);
                lines.add(line(model, msg, false).toString());
            }
        }
        if (tool != null) lines.add(line(model, toolMessage(tool), false).toString());
        else lines.addAll(textLines(model, text, -1));
        lines.add(finalLine(line(model, message(""), true)).toString());
        sendLines(req, lines, gapMs, false);
    }

    private List<String> textLines(String model, String text, int limit) {
        List<String> lines = new ArrayList<>();
        for (String word : words(text)) {
            if (limit >= 0 && lines.size() == limit) break;
            lines.add(line(model, message(word), false).toString());
        }
        return lines;
    }

    private static ObjectNode line(String model, ObjectNode message, boolean done) {
        ObjectNode o = Json.object();
        o.put("model", model);
        o.put("created_at", Instant.now().toString());
        o.set("message", message);
        o.put("done", done);
        return o;
    }

    /** The statistics Ollama appends to the last object. */
    private ObjectNode finalLine(ObjectNode o) {
        o.put("done_reason", doneReason);
        o.put("total_duration", 4_883_583_458L);
        o.put("load_duration", 1_334_875L);
        o.put("prompt_eval_count", PROMPT_EVAL_COUNT);
        o.put("prompt_eval_duration", 342_546_000L);
        o.put("eval_count", EVAL_COUNT);
        o.put("eval_duration", 4_535_599_000L);
        return o;
    }

    private static ObjectNode message(String content) {
        return Json.object().put("role", "assistant").put("content", content);
    }

    /** Ollama's tool call: arguments as an object, no id. */
    private static ObjectNode toolMessage(Scenario.ToolCall tool) {
        ObjectNode msg = message("");
        ObjectNode fn = msg.putArray("tool_calls").addObject().putObject("function");
        fn.put("name", tool.name());
        fn.set("arguments", Json.parse(tool.argumentsJson()));
        return msg;
    }

    private static ObjectNode embed(ObjectNode body, String model) {
        JsonNode input = body.get("input");
        int count = input != null && input.isArray() ? input.size() : 1;
        int dims = body.path("dimensions").asInt(DEFAULT_DIMENSIONS);
        ObjectNode out = Json.object();
        out.put("model", model);
        ArrayNode embeddings = out.putArray("embeddings");
        for (int i = 0; i < count; i++) {
            ArrayNode v = embeddings.addArray();
            for (float f : vector(i, dims)) v.add(f);
        }
        out.put("total_duration", 14_143_917L);
        out.put("load_duration", 1_019_500L);
        out.put("prompt_eval_count", PROMPT_EVAL_COUNT);
        return out;
    }

    /** The embedding returned for input {@code index}: exact binary fractions. */
    public static float[] vector(int index, int dims) {
        float[] v = new float[dims];
        for (int j = 0; j < dims; j++) v[j] = (index + 1) * 0.25f - j * 0.0625f;
        return v;
    }

    /** Ollama's real messages for each status. */
    private static String errorMessage(Scenario.Error e, String model) {
        return switch (e.status()) {
            case 400 -> "context_length".equals(e.kind())
                    ? "the input length exceeds the context length"
                    : "registry.ollama.ai/library/" + model + " does not support tools";
            case 401 -> "unauthorized";
            case 404 -> "model \"" + model + "\" not found, try pulling it first";
            case 500 -> "llama runner process has terminated: exit status 2";
            case 503 -> "server busy, please try again.  maximum pending requests exceeded";
            default -> "fake error with status " + e.status();
        };
    }

    private static void sendError(HttpServerRequest req, int status, String message) {
        sendJson(req, status, Json.object().put("error", message));
    }

    private static void sendJson(HttpServerRequest req, int status, ObjectNode body) {
        req.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8").end(body.toString());
    }

    /** NDJSON, one object per line, optionally paced, optionally ending by dropping the connection. */
    private void sendLines(HttpServerRequest req, List<String> lines, long gapMs, boolean cut) {
        req.response().setStatusCode(200).setChunked(true).putHeader("content-type", "application/x-ndjson");
        writeFrom(req, lines, 0, gapMs, cut);
    }

    private void writeFrom(HttpServerRequest req, List<String> lines, int i, long gapMs, boolean cut) {
        HttpServerResponse resp = req.response();
        while (i < lines.size()) {
            var written = resp.write(lines.get(i++) + "\n");
            if (gapMs > 0 && i < lines.size()) {
                int next = i;
                vertx.setTimer(gapMs, t -> writeFrom(req, lines, next, gapMs, cut));
                return;
            }
            if (i == lines.size() && cut) {
                written.onComplete(v -> req.connection().close());
                return;
            }
        }
        if (cut) req.connection().close();
        else resp.end();
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }
}
