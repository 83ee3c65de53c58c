package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Anthropic's Messages API as the real service speaks it: {@code POST /v1/messages} with {@code x-api-key}
 * and {@code anthropic-version}; message bodies, the named-event SSE stream (with pings), and
 * {@code {"type":"error","error":{...},"request_id":...}} error bodies. It honours stop_sequences and
 * max_tokens (one word = one token) and answers a thinking request with a signed thinking block.
 *
 * <p>Scenario.Error kinds: for 400, "context_length" is the prompt-too-long error; kind "in_stream" on a
 * streamed request answers 200 and sends the error as an {@code event: error} after some text.
 */
public final class FakeAnthropic extends FakeUpstream {
    public static final String KEY = "test-key";
    public static final int INPUT_TOKENS = 25;
    public static final int CACHE_READ = 10;
    public static final int CACHE_CREATION = 5;
    static final String THINKING = "Let me think about it.";
    /** What every count_tokens answer starts from (see {@link #countTokens}). */
    public static final long COUNT_BASE = 100_000;

    private final AtomicInteger aborted = new AtomicInteger();
    private final String expectedKey;
    /** A canned answer replayed as it is, instead of the scenario's (null: the scenario answers). */
    private volatile Canned canned;

    /**
     * An answer given byte for byte. A stream's bytes go out in pieces of {@code pieceBytes} that ignore event
     * boundaries, as TCP may deliver them; 0 sends the body in one write.
     */
    public record Canned(int status, String contentType, String body, int pieceBytes) {}

    public FakeAnthropic() {
        this(KEY);
    }

    /** @param expectedKey the only {@code x-api-key} accepted (a recognisable value lets a test look for it in answers and logs) */
    public FakeAnthropic(String expectedKey) {
        this.expectedKey = expectedKey;
    }

    /**
     * Answers the client abandoned before they were complete. Unlike {@link #disconnects()} this also sees
     * an HTTP/2 stream reset, which is what cancelling does when the client speaks HTTP/2 to this fake.
     */
    public int aborted() {
        return aborted.get();
    }

    /** Answers every later call with {@code answer} until {@link #reset()}. */
    public void replay(Canned answer) {
        this.canned = answer;
    }

    @Override
    public void reset() {
        super.reset();
        aborted.set(0);
        canned = null;
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded rec, Scenario scenario) {
        HttpServerResponse resp = req.response();
        resp.exceptionHandler(t -> { /* reset by the client: counted below */ });
        resp.closeHandler(v -> {
            if (!resp.ended()) aborted.incrementAndGet();
        });
        boolean count = "/v1/messages/count_tokens".equals(rec.path());
        if (!"POST".equals(rec.method()) || !"/v1/messages".equals(rec.path()) && !count) {
            error(resp, 404, "not_found_error", "Not Found");
            return;
        }
        if (!expectedKey.equals(rec.headers().get("x-api-key"))) {
            error(resp, 401, "authentication_error", "invalid x-api-key");
            return;
        }
        if (rec.headers().get("anthropic-version") == null) {
            error(resp, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }
        Canned answer = canned;
        if (answer != null) {
            replay(resp, answer);
            return;
        }
        JsonNode body = rec.json();
        if (count) {
            countTokens(resp, rec, body, scenario);
            return;
        }
        boolean stream = body.path("stream").asBoolean(false);
        String model = body.path("model").asText();
        switch (scenario) {
            case Scenario.Text t -> answer(resp, body, model, stream, t.text(), 0);
            case Scenario.SlowStream s -> answer(resp, body, model, stream, s.text(), s.gapMs());
            case Scenario.ToolCall tc -> toolCall(resp, model, stream, tc);
            case Scenario.Error e when stream && "in_stream".equals(e.kind()) -> inStreamError(resp, model, e.status());
            case Scenario.Error e when "echo_key".equals(e.kind()) ->
                    error(resp, e.status(), typeFor(e.status()), "invalid x-api-key: " + presentedCredential(rec));
            case Scenario.Error e -> error(resp, e.status(), e.kind());
            case Scenario.CutStream c -> cut(resp, model, c.chunks());
            case Scenario.Hang h -> { /* never answers */ }
        }
    }

    /**
     * {@code POST /v1/messages/count_tokens}: {@link #COUNT_BASE} plus one token per word of the body's text (messages,
     * system, tools as written), so a test can tell this count from the gateway's estimate. Error scenarios answer
     * as on /v1/messages; other scenarios count.
     */
    private void countTokens(HttpServerResponse resp, Recorded rec, JsonNode body, Scenario scenario) {
        switch (scenario) {
            case Scenario.Error e when "echo_key".equals(e.kind()) ->
                    error(resp, e.status(), typeFor(e.status()), "invalid x-api-key: " + presentedCredential(rec));
            case Scenario.Error e -> error(resp, e.status(), e.kind());
            default -> {
                if (body.has("max_tokens")) {
                    error(resp, 400, "invalid_request_error", "max_tokens: Extra inputs are not permitted");
                    return;
                }
                long words = 0;
                for (String f : new String[]{"system", "messages", "tools"}) {
                    String text = body.path(f).toString().strip();
                    if (body.has(f) && !text.isEmpty()) words += text.split("\\s+").length;
                }
                json(resp, Json.object().put("input_tokens", COUNT_BASE + words));
            }
        }
    }

    private static void replay(HttpServerResponse resp, Canned c) {
        resp.setStatusCode(c.status()).putHeader("content-type", c.contentType())
                .putHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
        if (c.pieceBytes() <= 0) {
            resp.end(c.body());
            return;
        }
        resp.setChunked(true);
        byte[] bytes = c.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += c.pieceBytes()) {
            resp.write(io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + c.pieceBytes()))));
        }
        resp.end();
    }

    private void answer(HttpServerResponse resp, JsonNode req, String model, boolean stream, String text, long gapMs) {
        List<String> words = words(text);
        String stopReason = "end_turn";
        String stopSequence = null;
        for (JsonNode s : req.path("stop_sequences")) {
            int at = text.indexOf(s.asText());
            if (at >= 0) {
                words = words(text.substring(0, at));
                stopReason = "stop_sequence";
                stopSequence = s.asText();
                break;
            }
        }
        long maxTokens = req.path("max_tokens").asLong();
        if (words.size() > maxTokens) {
            words = words.subList(0, (int) maxTokens);
            stopReason = "max_tokens";
            stopSequence = null;
        }
        boolean thinking = "enabled".equals(req.path("thinking").path("type").asText());
        if (!stream) {
            ArrayNode content = Json.array();
            if (thinking) content.addObject().put("type", "thinking").put("thinking", THINKING).put("signature", "sig-123");
            content.addObject().put("type", "text").put("text", String.join("", words));
            json(resp, message(model, content, stopReason, stopSequence, words.size()));
            return;
        }
        List<String> events = new ArrayList<>();
        events.add(messageStart(model));
        int index = 0;
        if (thinking) {
            events.add(sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"));
            events.add(delta(0, Json.object().put("type", "thinking_delta").put("thinking", THINKING)));
            events.add(delta(0, Json.object().put("type", "signature_delta").put("signature", "sig-123")));
            events.add(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
            index = 1;
        }
        events.add(sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        events.add(sse("ping", "{\"type\": \"ping\"}"));
        for (String w : words) events.add(delta(index, Json.object().put("type", "text_delta").put("text", w)));
        events.add(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
        events.add(messageDelta(stopReason, stopSequence, words.size()));
        events.add(sse("message_stop", "{\"type\":\"message_stop\"}"));
        send(resp, events, gapMs, true);
    }

    private void toolCall(HttpServerResponse resp, String model, boolean stream, Scenario.ToolCall tc) {
        String id = "toolu_01A09q90qw90lq917835lq9";
        if (!stream) {
            ArrayNode content = Json.array();
            content.addObject().put("type", "text").put("text", "Let me check.");
            // arguments that are not JSON (a broken upstream, as the fuzz suite plays one) go out as a string: the
            // gateway must cope with an input of the wrong type; the fake itself must not throw
            com.fasterxml.jackson.databind.JsonNode input = Json.tryParse(tc.argumentsJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            content.addObject().put("type", "tool_use").put("id", id).put("name", tc.name())
                    .set("input", input != null ? input : Json.object().textNode(tc.argumentsJson()));
            json(resp, message(model, content, "tool_use", null, 12));
            return;
        }
        List<String> events = new ArrayList<>();
        events.add(messageStart(model));
        events.add(sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        events.add(delta(0, Json.object().put("type", "text_delta").put("text", "Let me check.")));
        events.add(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        ObjectNode start = Json.object().put("type", "content_block_start").put("index", 1);
        start.putObject("content_block").put("type", "tool_use").put("id", id).put("name", tc.name()).putObject("input");
        events.add(sse("content_block_start", start.toString()));
        events.add(delta(1, Json.object().put("type", "input_json_delta").put("partial_json", "")));
        String args = tc.argumentsJson();
        for (int i = 0; i < args.length(); i += 7) {
            events.add(delta(1, Json.object().put("type", "input_json_delta").put("partial_json", args.substring(i, Math.min(args.length(), i + 7)))));
        }
        events.add(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"));
        events.add(messageDelta("tool_use", null, 12));
        events.add(sse("message_stop", "{\"type\":\"message_stop\"}"));
        send(resp, events, 0, true);
    }

    private void inStreamError(HttpServerResponse resp, String model, int status) {
        List<String> events = new ArrayList<>();
        events.add(messageStart(model));
        events.add(sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        events.add(delta(0, Json.object().put("type", "text_delta").put("text", "Hel")));
        events.add(sse("error", errorBody(typeFor(status), messageFor(status, null)).toString()));
        send(resp, events, 0, true);
    }

    private void cut(HttpServerResponse resp, String model, int chunks) {
        List<String> events = new ArrayList<>();
        events.add(messageStart(model));
        events.add(sse("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        for (int i = 0; i < chunks; i++) events.add(delta(0, Json.object().put("type", "text_delta").put("text", "word" + i + " ")));
        send(resp, events, 0, false);
        vertx.setTimer(50, t -> resp.reset());
    }

    private void send(HttpServerResponse resp, List<String> events, long gapMs, boolean end) {
        resp.setStatusCode(200);
        resp.putHeader("content-type", "text/event-stream; charset=utf-8");
        resp.putHeader("cache-control", "no-cache");
        resp.putHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
        resp.setChunked(true);
        if (gapMs <= 0) {
            events.forEach(resp::write);
            if (end) resp.end();
            return;
        }
        sendFrom(resp, events, 0, gapMs, end);
    }

    private void sendFrom(HttpServerResponse resp, List<String> events, int i, long gapMs, boolean end) {
        if (i == events.size()) {
            if (end) resp.end();
            return;
        }
        resp.write(events.get(i));
        vertx.setTimer(gapMs, t -> sendFrom(resp, events, i + 1, gapMs, end));
    }

    private static ObjectNode message(String model, ArrayNode content, String stopReason, String stopSequence, int outputTokens) {
        ObjectNode m = Json.object();
        m.put("id", "msg_01XFDUDYJgAACzvnptvVoYEL");
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model);
        m.set("content", content);
        m.put("stop_reason", stopReason);
        m.put("stop_sequence", stopSequence);
        m.putObject("usage").put("input_tokens", INPUT_TOKENS).put("cache_creation_input_tokens", CACHE_CREATION)
                .put("cache_read_input_tokens", CACHE_READ).put("output_tokens", outputTokens).put("service_tier", "standard");
        return m;
    }

    private static String messageStart(String model) {
        ObjectNode e = Json.object().put("type", "message_start");
        ObjectNode m = e.putObject("message");
        m.put("id", "msg_01XFDUDYJgAACzvnptvVoYEL").put("type", "message").put("role", "assistant").put("model", model);
        m.putArray("content");
        m.putNull("stop_reason").putNull("stop_sequence");
        m.putObject("usage").put("input_tokens", INPUT_TOKENS).put("cache_creation_input_tokens", CACHE_CREATION)
                .put("cache_read_input_tokens", CACHE_READ).put("output_tokens", 1);
        return sse("message_start", e.toString());
    }

    private static String messageDelta(String stopReason, String stopSequence, int outputTokens) {
        ObjectNode e = Json.object().put("type", "message_delta");
        e.putObject("delta").put("stop_reason", stopReason).put("stop_sequence", stopSequence);
        e.putObject("usage").put("output_tokens", outputTokens);
        return sse("message_delta", e.toString());
    }

    private static String delta(int index, ObjectNode delta) {
        ObjectNode e = Json.object().put("type", "content_block_delta").put("index", index);
        e.set("delta", delta);
        return sse("content_block_delta", e.toString());
    }

    private static String sse(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    private static void json(HttpServerResponse resp, ObjectNode body) {
        resp.setStatusCode(200).putHeader("content-type", "application/json")
                .putHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy").end(body.toString());
    }

    private void error(HttpServerResponse resp, int status, String kind) {
        if (status == 429) resp.putHeader("retry-after", "7");
        error(resp, status, typeFor(status), messageFor(status, kind));
    }

    private static void error(HttpServerResponse resp, int status, String type, String message) {
        resp.setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy").end(errorBody(type, message).toString());
    }

    private static ObjectNode errorBody(String type, String message) {
        ObjectNode b = Json.object().put("type", "error");
        b.putObject("error").put("type", type).put("message", message);
        b.put("request_id", "req_011CSHoEeqs5C35K2UUqR7Fy");
        return b;
    }

    private static String typeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private static String messageFor(int status, String kind) {
        return switch (status) {
            case 400 -> "context_length".equals(kind)
                    ? "prompt is too long: 210000 tokens > 200000 maximum"
                    : "messages.1.content.0.text: text content blocks must be non-empty";
            case 401 -> "invalid x-api-key";
            case 403 -> "Your API key does not have permission to use the specified resource.";
            case 404 -> "model: claude-nonexistent";
            case 413 -> "Request exceeds the maximum allowed number of bytes.";
            case 429 -> "Number of request tokens has exceeded your per-minute rate limit "
                    + "(https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage.";
            case 529 -> "Overloaded";
            default -> "Internal server error";
        };
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                if (i > start) out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }
}
