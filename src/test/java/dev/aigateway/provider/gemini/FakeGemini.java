package dev.aigateway.provider.gemini;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's Generative Language API as the gateway sees it: {@code /v1beta/models/{model}:generateContent},
 * {@code :streamGenerateContent?alt=sse} (SSE, CRLF framing, a whole GenerateContentResponse per event,
 * no terminator), {@code :batchEmbedContents}; key in {@code x-goog-api-key}; Google's error bodies,
 * including its 400 for a bad key and 403 for a missing one.
 */
public final class FakeGemini extends FakeUpstream {
    public static final String KEY = "test-key";
    static final String THOUGHT_SIGNATURE = "c2lnbmF0dXJlLW9mLXRoZS10aG91Z2h0";
    private static final Pattern PATH = Pattern.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)");
    private static final int PROMPT_TOKENS = 11;
    private static final int THOUGHT_TOKENS = 5;
    /** The thought summary answered, before the text, to a request that asks for thoughts ({@code includeThoughts}). */
    public static final String THOUGHT = "**Weighing it** The user wants a short answer.";
    private final AtomicInteger abandoned = new AtomicInteger();
    private volatile String lastHttpVersion;

    @Override
    protected void handle(HttpServerRequest req, Recorded rec, Scenario scenario) {
        lastHttpVersion = req.version().name();
        // The gateway speaks HTTP/2 (h2c) to the fake: a cancelled call resets its stream and keeps the
        // connection, so the base class's connection count does not see it; the response's close does.
        req.response().closeHandler(v -> {
            if (!req.response().ended()) abandoned.incrementAndGet();
        });
        Matcher m = PATH.matcher(rec.path());
        if (!"POST".equals(rec.method()) || !m.matches()) {
            // Google's front end answers unknown paths with an HTML page.
            req.response().setStatusCode(404).putHeader("content-type", "text/html; charset=UTF-8")
                    .end("<!DOCTYPE html><html><body><p><b>404.</b> That's an error.</p></body></html>");
            return;
        }
        String model = m.group(1);
        String method = m.group(2);
        String key = rec.headers().get("x-goog-api-key");
        if (key == null) {
            error(req, 403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established "
                    + "identity). Please use API Key or other form of API consumer identity to call this API.", null);
            return;
        }
        if (!KEY.equals(key)) {
            badKey(req);
            return;
        }
        boolean stream = method.equals("streamGenerateContent");
        if (stream && !"alt=sse".equals(rec.query())) {
            error(req, 400, "INVALID_ARGUMENT", "fake: only alt=sse streaming is implemented", null);
            return;
        }
        if (method.equals("batchEmbedContents")) {
            embeddings(req, rec.json());
            return;
        }
        switch (scenario) {
            case Scenario.Text t -> text(req, rec.json(), model, t.text(), stream, 0);
            case Scenario.SlowStream s -> text(req, rec.json(), model, s.text(), stream, s.gapMs());
            case Scenario.ToolCall t -> toolCall(req, model, t.name(), t.argumentsJson(), stream);
            case Scenario.Error e when "echo_key".equals(e.kind()) -> error(req, e.status(), "INVALID_ARGUMENT",
                    "API key not valid: " + presentedCredential(rec) + ". Please pass a valid API key.", null);
            case Scenario.Error e -> error(req, e.status(), e.kind(), model);
            case Scenario.CutStream c -> cut(req, model, c.chunks());
            case Scenario.Hang h -> { /* never answers */ }
        }
    }

    /** Calls the client gave up on before the answer was complete (stream reset or connection closed). */
    int abandoned() {
        return abandoned.get();
    }

    String lastHttpVersion() {
        return lastHttpVersion;
    }

    @Override
    public void reset() {
        super.reset();
        abandoned.set(0);
    }

    private void text(HttpServerRequest req, JsonNode body, String model, String text, boolean stream, long gapMs) {
        int n = body.path("generationConfig").path("candidateCount").asInt(1);
        boolean thoughts = body.path("generationConfig").path("thinkingConfig").path("includeThoughts").asBoolean(false);
        if (!stream) {
            ObjectNode resp = response(model);
            ArrayNode cands = resp.putArray("candidates");
            for (int i = 0; i < n; i++) {
                ObjectNode c = cands.addObject();
                ArrayNode parts = content(c);
                if (thoughts) parts.addObject().put("text", THOUGHT).put("thought", true);
                parts.addObject().put("text", n == 1 ? text : text + " #" + i);
                c.put("finishReason", "STOP");
                c.put("index", i);
            }
            resp.set("usageMetadata", usage(tokens(text) * n, true));
            json(req, 200, resp);
            return;
        }
        List<String> words = words(text);
        List<ObjectNode> events = new ArrayList<>();
        if (thoughts) { // Gemini streams the thought summary first, in events of its own
            ObjectNode ev = response(model);
            ObjectNode c = ev.putArray("candidates").addObject();
            content(c).addObject().put("text", THOUGHT).put("thought", true);
            c.put("index", 0);
            ev.set("usageMetadata", usage(0, false));
            events.add(ev);
        }
        for (int i = 0; i < words.size(); i++) {
            boolean last = i == words.size() - 1;
            ObjectNode ev = response(model);
            ObjectNode c = ev.putArray("candidates").addObject();
            content(c).addObject().put("text", words.get(i));
            if (last) c.put("finishReason", "STOP");
            c.put("index", 0);
            // Gemini repeats the (cumulative) usage on every event; counts are final on the last one.
            ev.set("usageMetadata", last ? usage(tokens(text), true) : usage(0, false));
            events.add(ev);
        }
        sse(req, events, gapMs, false);
    }

    private void toolCall(HttpServerRequest req, String model, String name, String args, boolean stream) {
        ObjectNode resp = response(model);
        ObjectNode c = resp.putArray("candidates").addObject();
        ObjectNode part = content(c).addObject();
        part.putObject("functionCall").put("name", name).set("args", Json.parse(args));
        part.put("thoughtSignature", THOUGHT_SIGNATURE);
        c.put("finishReason", "STOP");
        c.put("index", 0);
        resp.set("usageMetadata", usage(tokens(name + args), true));
        if (!stream) {
            json(req, 200, resp);
            return;
        }
        // Gemini streams a function call whole, in one event, usually together with the finishReason.
        sse(req, List.of(resp), 0, false);
    }

    private void cut(HttpServerRequest req, String model, int chunks) {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            ObjectNode ev = response(model);
            ObjectNode c = ev.putArray("candidates").addObject();
            content(c).addObject().put("text", "part" + i + " ");
            c.put("index", 0);
            ev.set("usageMetadata", usage(0, false));
            events.add(ev);
        }
        sse(req, events, 0, true);
    }

    private void embeddings(HttpServerRequest req, JsonNode body) {
        ObjectNode resp = Json.object();
        ArrayNode out = resp.putArray("embeddings");
        int i = 0;
        for (JsonNode r : body.path("requests")) {
            int dims = r.path("outputDimensionality").asInt(3);
            ArrayNode values = out.addObject().putArray("values");
            for (int d = 0; d < dims; d++) values.add(0.25 * (i + 1) + d * 0.001);
            i++;
        }
        json(req, 200, resp);
    }

    /** Google's real error bodies, by status (and variant for the 400s). */
    private void error(HttpServerRequest req, int status, String kind, String model) {
        switch (status) {
            case 400 -> {
                if ("bad_key".equals(kind)) {
                    badKey(req);
                } else if ("context_length".equals(kind)) {
                    error(req, 400, "INVALID_ARGUMENT", "The input token count (1234567) exceeds the maximum number of tokens allowed (1048576).", null);
                } else if ("failed_precondition".equals(kind)) {
                    error(req, 400, "FAILED_PRECONDITION", "User location is not supported for the API use.", null);
                } else {
                    error(req, 400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"foo\": Cannot find field.", null);
                }
            }
            case 403 -> error(req, 403, "PERMISSION_DENIED", "The caller does not have permission", null);
            case 404 -> error(req, 404, "NOT_FOUND", "models/" + model + " is not found for API version v1beta, or is not "
                    + "supported for generateContent. Call ListModels to see the list of available models and their supported methods.", null);
            case 429 -> {
                ArrayNode details = Json.array();
                ObjectNode quota = details.addObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
                quota.putArray("violations").addObject()
                        .put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests")
                        .put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")
                        .put("quotaValue", "10");
                details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", "26s");
                error(req, 429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing "
                        + "details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.", details);
            }
            case 500 -> error(req, 500, "INTERNAL", "An internal error has occurred. Please retry or report in "
                    + "https://developers.generativeai.google/guide/troubleshooting", null);
            case 503 -> error(req, 503, "UNAVAILABLE", "The model is overloaded. Please try again later.", null);
            case 504 -> error(req, 504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.", null);
            default -> error(req, status, "UNKNOWN", "fake: unexpected status", null);
        }
    }

    private void badKey(HttpServerRequest req) {
        ArrayNode details = Json.array();
        details.addObject().put("@type", "type.googleapis.com/google.rpc.ErrorInfo").put("reason", "API_KEY_INVALID")
                .put("domain", "googleapis.com").putObject("metadata").put("service", "generativelanguage.googleapis.com");
        details.addObject().put("@type", "type.googleapis.com/google.rpc.LocalizedMessage").put("locale", "en-US")
                .put("message", "API key not valid. Please pass a valid API key.");
        error(req, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", details);
    }

    private void error(HttpServerRequest req, int code, String status, String message, ArrayNode details) {
        ObjectNode body = Json.object();
        ObjectNode err = body.putObject("error");
        err.put("code", code);
        err.put("message", message);
        err.put("status", status);
        if (details != null) err.set("details", details);
        json(req, code, body);
    }

    private void json(HttpServerRequest req, int status, ObjectNode body) {
        req.response().setStatusCode(status).putHeader("content-type", "application/json; charset=UTF-8")
                .end(body.toPrettyString());
    }

    private void sse(HttpServerRequest req, List<ObjectNode> events, long gapMs, boolean cutAtEnd) {
        HttpServerResponse resp = req.response().setStatusCode(200).setChunked(true)
                .putHeader("content-type", "text/event-stream");
        send(req, resp, events, 0, gapMs, cutAtEnd);
    }

    private void send(HttpServerRequest req, HttpServerResponse resp, List<ObjectNode> events, int i, long gapMs, boolean cutAtEnd) {
        if (i == events.size()) {
            if (cutAtEnd) req.connection().close();
            else resp.end();
            return;
        }
        resp.write("data: " + events.get(i) + "\r\n\r\n");
        if (gapMs > 0) vertx.setTimer(gapMs, t -> send(req, resp, events, i + 1, gapMs, cutAtEnd));
        else send(req, resp, events, i + 1, gapMs, cutAtEnd);
    }

    private static ObjectNode response(String model) {
        ObjectNode r = Json.object();
        r.put("modelVersion", model);
        r.put("responseId", "fake-response-id");
        return r;
    }

    private static ArrayNode content(ObjectNode candidate) {
        ObjectNode content = candidate.putObject("content");
        ArrayNode parts = content.putArray("parts");
        content.put("role", "model");
        return parts;
    }

    private static ObjectNode usage(int candidates, boolean complete) {
        ObjectNode u = Json.object();
        u.put("promptTokenCount", PROMPT_TOKENS);
        if (complete) {
            u.put("candidatesTokenCount", candidates);
            u.put("thoughtsTokenCount", THOUGHT_TOKENS);
        }
        u.put("totalTokenCount", PROMPT_TOKENS + (complete ? candidates + THOUGHT_TOKENS : 0));
        u.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", PROMPT_TOKENS);
        return u;
    }

    static int tokens(String s) {
        return Math.max(1, (s.length() + 3) / 4);
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
        if (out.isEmpty()) out.add("");
        return out;
    }
}
