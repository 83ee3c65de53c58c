package dev.aigateway.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.governance.spend.Tokenizer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * An OpenAI-compatible chat server that behaves like a real provider where budgets are concerned, and bills like one:
 * <ul>
 *   <li>it honours the output limit ({@code max_completion_tokens}, else {@code max_tokens}, else its own maximum
 *       {@link #maxOutput}) per answer, {@code n} answers, and a {@code thinking.budget_tokens} on top of the limit;</li>
 *   <li>each answer "wants" a length derived from the request (deterministic), cut to the limit;</li>
 *   <li>usage is counted as OpenAI counts it: 3 tokens per message plus its content (o200k), 3 to prime the reply;
 *       completion = answer and thinking tokens;</li>
 *   <li>streams send one token per chunk, a finish chunk per answer, then (after {@link #usageDelayMs}) the usage
 *       chunk when asked for, then {@code [DONE]};</li>
 *   <li>{@link #bills()} holds what it generated per call, as a provider bills it: a stream the gateway cut is billed
 *       for the tokens written before the connection closed.</li>
 * </ul>
 * The first path segment picks the behaviour, so one fake serves several deployments: {@code /ok/v1},
 * {@code /down/v1} (every call 500), {@code /flaky/v1} (every other call 500), {@code /slow/v1} (non-streamed answers
 * after {@link #slowMs}); any other name behaves like {@code ok}. A request's tag ({@code [tag:xyz]} in its last
 * message) is recorded with its calls and bills.
 */
public final class MeteredOpenAi extends FakeUpstream {
    private static final Pattern PATH = Pattern.compile("^/([a-z0-9-]+)/v1/chat/completions$");
    private static final Pattern TAG = Pattern.compile("\\[tag:([A-Za-z0-9-]+)]");
    /** A word o200k counts as one token. */
    private static final String WORD = " hi";
    private static final String THOUGHT = " hm";

    /** What one call generated: the tokens a provider would bill. */
    public record Bill(String route, String tag, long promptTokens, long completionTokens) {}

    /** One call as received: its route, tag, and the output limit it carried (null when none). */
    public record Call(String route, String tag, Long outputLimit, String limitField, int n, boolean stream) {}

    private final Queue<Bill> bills = new ConcurrentLinkedQueue<>();
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> perRoute = new ConcurrentHashMap<>();
    private volatile long maxOutput = 2_000;
    private volatile int shortestAnswer = 1;
    private volatile int longestAnswer = 300;
    private volatile long usageDelayMs = 30;
    private volatile long slowMs = 400;

    public MeteredOpenAi() {
        Tokenizer.load();
    }

    /** The provider's own maximum output per answer (what a request without a limit may produce). */
    public MeteredOpenAi maxOutput(long tokens) {
        this.maxOutput = tokens;
        return this;
    }

    /** How long answers "want" to be (before their limit): from {@code shortest} to {@code longest} tokens. */
    public MeteredOpenAi answers(int shortest, int longest) {
        this.shortestAnswer = shortest;
        this.longestAnswer = longest;
        return this;
    }

    public MeteredOpenAi usageDelayMs(long ms) {
        this.usageDelayMs = ms;
        return this;
    }

    public MeteredOpenAi slowMs(long ms) {
        this.slowMs = ms;
        return this;
    }

    /** The api_base of a deployment with behaviour {@code route}. */
    public String base(String route) {
        return host() + "/" + route + "/v1";
    }

    public List<Bill> bills() {
        return new ArrayList<>(bills);
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /** Calls received on a route. */
    public int calls(String route) {
        AtomicInteger n = perRoute.get(route);
        return n == null ? 0 : n.get();
    }

    @Override
    public void reset() {
        super.reset();
        bills.clear();
        calls.clear();
        perRoute.clear();
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded recorded, Scenario ignored) {
        Matcher m = PATH.matcher(req.path());
        if (!m.matches() || !"POST".equals(recorded.method())) {
            sendJson(req.response(), 404, error("Invalid URL (" + recorded.method() + " " + req.path() + ")", "invalid_request_error"));
            return;
        }
        String route = m.group(1);
        int count = perRoute.computeIfAbsent(route, r -> new AtomicInteger()).incrementAndGet();
        ObjectNode body = (ObjectNode) recorded.json();
        Answer a = answer(route, body);
        calls.add(new Call(route, a.tag, a.explicitLimit, a.limitField, a.content.length, a.stream));
        if (route.equals("down") || route.equals("flaky") && count % 2 == 1) {
            sendJson(req.response(), 500, error("The server had an error while processing your request.", "server_error"));
            return;
        }
        if (a.stream) {
            stream(req, a);
        } else if (route.equals("slow")) {
            vertx.setTimer(slowMs, t -> complete(req, a));
        } else {
            complete(req, a);
        }
    }

    /** What the request gets: per answer, its thinking and content token counts. */
    private record Answer(String route, String tag, String model, long promptTokens, int[] thinking, int[] content,
                          boolean stream, boolean includeUsage, Long explicitLimit, String limitField) {
        long generated() {
            long t = 0;
            for (int i = 0; i < content.length; i++) t += thinking[i] + content[i];
            return t;
        }
    }

    private Answer answer(String route, ObjectNode body) {
        Long limit = null;
        String field = null;
        for (String f : new String[]{"max_completion_tokens", "max_tokens"}) {
            if (body.path(f).canConvertToLong()) {
                limit = body.get(f).asLong();
                field = f;
                break;
            }
        }
        long perAnswer = limit != null ? Math.min(limit, maxOutput) : maxOutput;
        int n = Math.max(1, body.path("n").asInt(1));
        JsonNode thinking = body.path("thinking");
        long thinkingBudget = "enabled".equals(thinking.path("type").asText()) ? thinking.path("budget_tokens").asLong(0) : 0;
        String text = body.path("messages").toString();
        Matcher t = TAG.matcher(text);
        String tag = t.find() ? t.group(1) : null;
        int[] think = new int[n];
        int[] content = new int[n];
        for (int i = 0; i < n; i++) {
            long want = shortestAnswer + Math.floorMod(hash(text + "#" + i), longestAnswer - shortestAnswer + 1);
            content[i] = (int) Math.min(want, perAnswer);
            think[i] = (int) Math.min(thinkingBudget, want / 2);
        }
        return new Answer(route, tag, body.path("model").asText(), promptTokens(body.path("messages")), think, content,
                body.path("stream").asBoolean(false), body.path("stream_options").path("include_usage").asBoolean(false), limit, field);
    }

    /** OpenAI's count: 3 tokens per message, its content, 3 to prime the reply. */
    static long promptTokens(JsonNode messages) {
        long t = 3;
        for (JsonNode msg : messages) t += 3 + Tokenizer.count(msg.path("content").asText(""));
        return t;
    }

    private void complete(HttpServerRequest req, Answer a) {
        ObjectNode out = Json.object();
        out.put("id", "chatcmpl-metered").put("object", "chat.completion").put("created", System.currentTimeMillis() / 1000).put("model", a.model);
        ArrayNode choices = out.putArray("choices");
        for (int i = 0; i < a.content.length; i++) {
            ObjectNode c = choices.addObject().put("index", i);
            ObjectNode msg = c.putObject("message").put("role", "assistant").put("content", WORD.repeat(a.content[i]));
            if (a.thinking[i] > 0) msg.put("reasoning_content", THOUGHT.repeat(a.thinking[i]));
            c.put("finish_reason", "stop");
        }
        out.set("usage", usage(a.promptTokens, a.generated()));
        bills.add(new Bill(a.route, a.tag, a.promptTokens, a.generated()));
        sendJson(req.response(), 200, out);
    }

    private void stream(HttpServerRequest req, Answer a) {
        HttpServerResponse resp = req.response();
        resp.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream");
        List<String> events = new ArrayList<>();
        List<Integer> tokensIn = new ArrayList<>(); // tokens each event carries
        for (int i = 0; i < a.content.length; i++) {
            events.add(chunk(a, i, Json.object().put("role", "assistant").put("content", ""), null));
            tokensIn.add(0);
            for (int k = 0; k < a.thinking[i]; k++) {
                events.add(chunk(a, i, Json.object().put("reasoning_content", THOUGHT), null));
                tokensIn.add(1);
            }
            for (int k = 0; k < a.content[i]; k++) {
                events.add(chunk(a, i, Json.object().put("content", WORD), null));
                tokensIn.add(1);
            }
            events.add(chunk(a, i, Json.object(), "stop"));
            tokensIn.add(0);
        }
        Streamed s = new Streamed(a, events, tokensIn);
        req.connection().closeHandler(v -> s.bill());
        s.writeFrom(resp, 0);
    }

    /** One stream's progress: what was written, billed once when it ends or the connection closes. */
    private final class Streamed {
        final Answer a;
        final List<String> events;
        final List<Integer> tokensIn;
        long written;
        final AtomicBoolean billed = new AtomicBoolean();

        Streamed(Answer a, List<String> events, List<Integer> tokensIn) {
            this.a = a;
            this.events = events;
            this.tokensIn = tokensIn;
        }

        void writeFrom(HttpServerResponse resp, int i) {
            if (resp.closed()) {
                bill();
                return;
            }
            int end = Math.min(events.size(), i + 32); // some chunks per write, then a pause: clients can cut mid-answer
            for (; i < end; i++) {
                resp.write("data: " + events.get(i) + "\n\n");
                written += tokensIn.get(i);
            }
            if (i < events.size()) {
                int next = i;
                vertx.setTimer(1, t -> writeFrom(resp, next));
                return;
            }
            vertx.setTimer(Math.max(1, usageDelayMs), t -> finish(resp));
        }

        void finish(HttpServerResponse resp) {
            bill();
            if (resp.closed()) return;
            if (a.includeUsage) {
                ObjectNode u = Json.object().put("id", "chatcmpl-metered").put("object", "chat.completion.chunk")
                        .put("created", System.currentTimeMillis() / 1000).put("model", a.model);
                u.putArray("choices");
                u.set("usage", usage(a.promptTokens, a.generated()));
                resp.write("data: " + u + "\n\n");
            }
            resp.end("data: [DONE]\n\n");
        }

        void bill() {
            if (billed.compareAndSet(false, true)) bills.add(new Bill(a.route, a.tag, a.promptTokens, written));
        }
    }

    private static String chunk(Answer a, int index, ObjectNode delta, String finish) {
        ObjectNode c = Json.object().put("id", "chatcmpl-metered").put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000).put("model", a.model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        return c.toString();
    }

    private static ObjectNode usage(long prompt, long completion) {
        return Json.object().put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    }

    private static ObjectNode error(String message, String type) {
        ObjectNode root = Json.object();
        root.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
        return root;
    }

    private static void sendJson(HttpServerResponse resp, int status, ObjectNode body) {
        if (resp.closed()) return;
        resp.setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }

    private static long hash(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
