package dev.aigateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenAI's HTTP API as an in-process server, byte-compatible where clients look: {@code POST /v1/chat/completions}
 * (JSON, or SSE {@code data: {chunk}} events ending in {@code data: [DONE]}, with the usage chunk only when
 * {@code stream_options.include_usage} is true), {@code /v1/completions} and {@code /v1/embeddings} (floats, or
 * base64 little-endian float32 when {@code encoding_format=base64}), and the image, audio, moderation and rerank
 * routes ({@link FakeMediaApis}).
 *
 * <p>It also serves Azure OpenAI's shape of the same routes, {@code /openai/deployments/{deployment}/...?api-version=}
 * with the key in an {@code api-key} header (or an Entra bearer token), answering errors with Azure's bodies and
 * opening streams with Azure's prompt-filter chunk. Every request is recorded as a {@link Call} saying which API,
 * operation, deployment, api-version and auth form it used.
 *
 * <p>Usage: {@code var fake = new FakeOpenAi("sk-test"); api_base = fake.openAiBase()} (or {@code fake.host()} for
 * Azure); {@code fake.scenario(new Scenario.Error(429))}; {@code fake.lastCall().json()}.
 *
 * <p>Scenario kinds: {@code Error(400, "context_length")}, {@code Error(400, "content_policy")},
 * {@code Error(429, "quota")} (insufficient_quota), {@code Error(status, "in_stream")} (a streamed request gets 200,
 * one chunk, then an error event; a non-streamed one the plain error).
 */
public class FakeOpenAi extends FakeUpstream {
    public static final int DEFAULT_PROMPT_TOKENS = 17;
    public static final int DEFAULT_COMPLETION_TOKENS = 5;
    /** Embedding width when the request does not ask for {@code dimensions}. */
    public static final int DEFAULT_DIMENSIONS = 8;
    /** Sent in the Retry-After header of 429 answers. */
    public static final String RETRY_AFTER_SECONDS = "7";

    public enum Api { OPENAI, AZURE }

    public enum Auth { BEARER, API_KEY, NONE }

    /** One request as routed: which API shape, operation ("chat/completions", "completions", "embeddings"), auth. */
    public record Call(Api api, String operation, String deployment, String apiVersion, Auth auth, Recorded request) {
        public ObjectNode json() {
            return (ObjectNode) request.json();
        }

        public String path() {
            return request.path();
        }

        public String header(String name) {
            return request.headers().get(name);
        }
    }

    private final String expectedKey;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final FakeMediaApis media = new FakeMediaApis(vertx);
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int promptTokens = DEFAULT_PROMPT_TOKENS;
    private volatile int completionTokens = DEFAULT_COMPLETION_TOKENS;

    /** @param expectedKey the only key accepted, as {@code Authorization: Bearer} (OpenAI) or {@code api-key} (Azure) */
    public FakeOpenAi(String expectedKey) {
        this.expectedKey = expectedKey;
    }

    /** The api_base for an openai/ deployment (OpenAI's bases end in /v1). Azure deployments use {@link #host()}. */
    public String openAiBase() {
        return host() + "/v1";
    }

    /** Token counts reported in usage from now on. */
    public void usage(int prompt, int completion) {
        this.promptTokens = prompt;
        this.completionTokens = completion;
    }

    /** Requests to a known route, including refused ones (unknown paths are only in {@link #requests()}). */
    public List<Call> calls() {
        return calls;
    }

    /** The last transcription upload as this fake parsed it (its own parser), or null. */
    public FakeMediaApis.Form lastForm() {
        return media.lastForm();
    }

    public Call lastCall() {
        if (calls.isEmpty()) throw new AssertionError("FakeOpenAi received no call");
        return calls.get(calls.size() - 1);
    }

    @Override
    public void reset() {
        super.reset();
        calls.clear();
        usage(DEFAULT_PROMPT_TOKENS, DEFAULT_COMPLETION_TOKENS);
        cannedType = null;
        cannedBody = null;
        cannedCompaction = null;
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded recorded, Scenario scenario) {
        if ("GET".equals(recorded.method()) && req.path().equals("/v1/models")) { // OpenAI's free key check (the doctor uses it)
            if (!authorized(req, Api.OPENAI)) {
                sendJson(req, 401, Errors.openAiUnauthorized(bearer(req)));
                return;
            }
            ObjectNode list = Json.object().put("object", "list");
            list.putArray("data").addObject().put("id", "gpt-4o-mini").put("object", "model").put("created", 1721172741L).put("owned_by", "system");
            sendJson(req, 200, list);
            return;
        }
        Route route = Route.of(req);
        if (route == null || !"POST".equals(recorded.method())) {
            if (req.path().startsWith("/openai/")) sendJson(req, 404, Errors.azure("404", "Resource not found"));
            else sendJson(req, 404, Errors.openAi("Invalid URL (" + recorded.method() + " " + req.path() + ")", "invalid_request_error", null, null));
            return;
        }
        calls.add(new Call(route.api(), route.operation(), route.deployment(), route.apiVersion(), authForm(req), recorded));
        if (!authorized(req, route.api())) {
            sendJson(req, 401, route.api() == Api.AZURE ? Errors.azureUnauthorized() : Errors.openAiUnauthorized(bearer(req)));
            return;
        }
        if (route.api() == Api.AZURE && route.apiVersion() == null) {
            sendJson(req, 404, Errors.azure("404", "Resource not found"));
            return;
        }
        if (FakeMediaApis.OPERATIONS.contains(route.operation())) {
            Exchange ex = new Exchange(req, route, Json.object(), route.deployment(), false);
            switch (scenario) {
                case Scenario.Hang h -> { /* never answer */ }
                case Scenario.Error e -> error(ex, e);
                case Scenario.CutStream c -> media.cut(req, c.chunks());
                default -> media.answer(req, route.operation(), route.api() == Api.AZURE ? route.deployment() : null, recorded, new FakeMediaApis.Responder() {
                    @Override
                    public void json(int status, ObjectNode body) {
                        sendJson(req, status, body);
                    }

                    @Override
                    public void error(String message, String param) {
                        sendJson(req, 400, Errors.openAi(message, "invalid_request_error", param, null));
                    }

                    @Override
                    public void raw(String contentType, io.vertx.core.buffer.Buffer body) {
                        req.response().setStatusCode(200).putHeader("content-type", contentType).end(body);
                    }
                });
            }
            return;
        }
        JsonNode parsed = Json.tryParse(recorded.body().getBytes());
        if (!(parsed instanceof ObjectNode body)) {
            sendJson(req, 400, Errors.openAi("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. "
                    + "The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)", "invalid_request_error", null, null));
            return;
        }
        if (route.api() == Api.OPENAI && !body.hasNonNull("model")) {
            sendJson(req, 400, Errors.openAi("you must provide a model parameter", "invalid_request_error", null, null));
            return;
        }
        boolean stream = body.path("stream").asBoolean(false);
        if (body.has("stream_options") && !body.get("stream_options").isNull() && !stream) {
            sendJson(req, 400, Errors.openAi("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                    "invalid_request_error", "stream_options", null));
            return;
        }
        String model = route.api() == Api.AZURE && route.deployment() != null ? route.deployment() : body.path("model").asText();
        if ("responses".equals(route.operation()) && !(scenario instanceof Scenario.Error) && !(scenario instanceof Scenario.Hang)) {
            respondResponses(req, body, stream);
            return;
        }
        if ("responses/compact".equals(route.operation()) && !(scenario instanceof Scenario.Error) && !(scenario instanceof Scenario.Hang)) {
            respondCompaction(req, body);
            return;
        }
        Exchange ex = new Exchange(req, route, body, model, stream);
        switch (scenario) {
            case Scenario.Hang h -> { /* never answer */ }
            case Scenario.Error e when "in_stream".equals(e.kind()) && stream -> streamThenError(ex);
            case Scenario.Error e -> error(ex, e);
            case Scenario.CutStream c -> {
                if (!stream) req.connection().close();
                else answer(ex, "Hello from the fake, cut short mid-answer and never finished properly", null, 0, c.chunks());
            }
            case Scenario.SlowStream s -> answer(ex, s.text(), null, s.gapMs(), -1);
            case Scenario.Text t -> answer(ex, t.text(), null, 0, -1);
            case Scenario.ToolCall t -> answer(ex, null, t, 0, -1);
        }
    }

    // ---- the Responses API: canned bytes, or a minimal Response ------------------------------------------------

    private volatile String cannedType;
    private volatile String cannedBody;

    /** The next {@code /responses} answers: exactly these bytes with this content type (status 200). */
    public void replayResponses(String contentType, String body) {
        this.cannedType = contentType;
        this.cannedBody = body;
    }

    private void respondResponses(HttpServerRequest req, ObjectNode body, boolean stream) {
        String type = cannedType;
        String canned = cannedBody;
        if (canned == null) {
            ObjectNode r = Json.object().put("id", "resp_fake" + ids.incrementAndGet()).put("object", "response")
                    .put("created_at", now()).put("status", "completed").put("model", body.path("model").asText());
            ObjectNode msg = r.putArray("output").addObject().put("id", "msg_fake").put("type", "message")
                    .put("status", "completed").put("role", "assistant");
            msg.putArray("content").addObject().put("type", "output_text").put("text", "Hello from the fake!").putArray("annotations");
            r.putObject("usage").put("input_tokens", promptTokens).put("output_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
            type = "application/json";
            canned = r.toString();
        }
        HttpServerResponse resp = req.response().setStatusCode(200).putHeader("content-type", type)
                .putHeader("x-request-id", "req_fake" + ids.incrementAndGet());
        if (!stream) {
            resp.end(canned);
            return;
        }
        resp.setChunked(true);
        // in small pieces, so event boundaries fall inside TCP reads as they do from OpenAI
        for (String piece : pieces(canned, 37)) resp.write(piece);
        resp.end();
    }

    private volatile String cannedCompaction;

    /** The next {@code /responses/compact} answers exactly these bytes (status 200, JSON). */
    public void replayCompaction(String body) {
        this.cannedCompaction = body;
    }

    /**
     * OpenAI's {@code /responses/compact} answer: the input's user messages, then one opaque {@code compaction} item,
     * with usage. OpenAI takes no {@code stream} here and refuses it.
     */
    private void respondCompaction(HttpServerRequest req, ObjectNode body) {
        String canned = cannedCompaction;
        cannedCompaction = null;
        if (canned != null) {
            req.response().setStatusCode(200).putHeader("content-type", "application/json").end(canned);
            return;
        }
        if (body.has("stream")) {
            sendJson(req, 400, Errors.openAi("Unknown parameter: 'stream'.", "invalid_request_error", "stream", "unknown_parameter"));
            return;
        }
        if (!body.hasNonNull("input") && !body.hasNonNull("previous_response_id")) {
            sendJson(req, 400, Errors.openAi("Missing required parameter: 'input'.", "invalid_request_error", "input", "missing_required_parameter"));
            return;
        }
        ObjectNode r = Json.object().put("id", "resp_cmp_fake" + ids.incrementAndGet()).put("object", "response.compaction")
                .put("created_at", now());
        var output = r.putArray("output");
        for (JsonNode item : body.path("input")) {
            if ("user".equals(item.path("role").asText())) output.add(item);
        }
        output.addObject().put("id", "cmp_fake" + ids.incrementAndGet()).put("type", "compaction")
                .put("encrypted_content", "gAAAAB-fake-compaction-" + body.path("input").size());
        r.putObject("usage").put("input_tokens", promptTokens).put("output_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens)
                .<ObjectNode>set("input_tokens_details", Json.object().put("cached_tokens", 0))
                .set("output_tokens_details", Json.object().put("reasoning_tokens", 0));
        req.response().setStatusCode(200).putHeader("content-type", "application/json")
                .putHeader("x-request-id", "req_fake" + ids.incrementAndGet()).end(r.toString());
    }

    // ---- answers -------------------------------------------------------------------------------------------

    private record Exchange(HttpServerRequest req, Route route, ObjectNode body, String model, boolean stream) {
        boolean azure() { return route.api() == Api.AZURE; }

        boolean includeUsage() { return body.path("stream_options").path("include_usage").asBoolean(false); }
    }

    /** Routes to the operation; {@code cutAfter >= 0} drops the connection after that many content events. */
    private void answer(Exchange ex, String text, Scenario.ToolCall tool, long gapMs, int cutAfter) {
        switch (ex.route().operation()) {
            case "embeddings" -> sendJson(ex.req(), 200, embeddings(ex));
            case "completions" -> {
                String t = text != null ? text : "Hello from the fake!";
                if (ex.stream()) sendEvents(ex.req(), completionEvents(ex, t, cutAfter), gapMs, cutAfter >= 0);
                else sendJson(ex.req(), 200, completion(ex, t));
            }
            default -> {
                if (ex.stream()) sendEvents(ex.req(), chatEvents(ex, text, tool, cutAfter), gapMs, cutAfter >= 0);
                else sendJson(ex.req(), 200, chatCompletion(ex, text, tool));
            }
        }
    }

    private ObjectNode chatCompletion(Exchange ex, String text, Scenario.ToolCall tool) {
        ObjectNode out = Json.object();
        out.put("id", "chatcmpl-fake" + ids.incrementAndGet());
        out.put("object", "chat.completion");
        out.put("created", now());
        out.put("model", ex.model());
        if (ex.azure()) out.set("prompt_filter_results", AzureFilter.promptResults());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode msg = choice.putObject("message");
        msg.put("role", "assistant");
        if (tool != null) {
            msg.putNull("content");
            ObjectNode call = msg.putArray("tool_calls").addObject();
            call.put("id", "call_fake" + ids.get());
            call.put("type", "function");
            call.putObject("function").put("name", tool.name()).put("arguments", tool.argumentsJson());
        } else {
            msg.put("content", text);
        }
        msg.putNull("refusal");
        msg.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", tool != null ? "tool_calls" : "stop");
        if (ex.azure()) choice.set("content_filter_results", AzureFilter.safe());
        out.set("usage", usage(true));
        if (!ex.azure()) out.put("service_tier", "default");
        out.put("system_fingerprint", "fp_fake");
        return out;
    }

    private List<String> chatEvents(Exchange ex, String text, Scenario.ToolCall tool, int cutAfter) {
        String id = "chatcmpl-fake" + ids.incrementAndGet();
        long created = now();
        List<String> events = new ArrayList<>();
        if (ex.azure()) events.add(AzureFilter.promptChunk().toString());
        ObjectNode first = Json.object().put("role", "assistant");
        if (tool != null) {
            first.putNull("content");
            ObjectNode call = first.putArray("tool_calls").addObject();
            call.put("index", 0).put("id", "call_fake" + ids.get()).put("type", "function");
            call.putObject("function").put("name", tool.name()).put("arguments", "");
        } else {
            first.put("content", "");
        }
        first.putNull("refusal");
        events.add(chatChunk(ex, id, created, first, null).toString());
        List<String> pieces = tool != null ? pieces(tool.argumentsJson(), 6) : words(text);
        int sent = 0;
        for (String piece : pieces) {
            if (cutAfter >= 0 && sent == cutAfter) return events;
            ObjectNode delta = Json.object();
            if (tool != null) {
                delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece);
            } else {
                delta.put("content", piece);
            }
            events.add(chatChunk(ex, id, created, delta, null).toString());
            sent++;
        }
        if (cutAfter >= 0) return events; // asked to cut after more events than the answer has: still no proper end
        events.add(chatChunk(ex, id, created, Json.object(), tool != null ? "tool_calls" : "stop").toString());
        if (ex.includeUsage()) {
            ObjectNode u = chunkBase(ex, id, created, "chat.completion.chunk");
            u.putArray("choices");
            u.set("usage", usage(true));
            events.add(u.toString());
        }
        events.add("[DONE]");
        return events;
    }

    private ObjectNode chatChunk(Exchange ex, String id, long created, ObjectNode delta, String finish) {
        ObjectNode c = chunkBase(ex, id, created, "chat.completion.chunk");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        if (ex.azure() && !delta.isEmpty() && !delta.has("role")) choice.set("content_filter_results", AzureFilter.safe());
        if (ex.includeUsage()) c.putNull("usage");
        return c;
    }

    private ObjectNode chunkBase(Exchange ex, String id, long created, String object) {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", object);
        c.put("created", created);
        c.put("model", ex.model());
        if (!ex.azure()) c.put("service_tier", "default");
        c.put("system_fingerprint", "fp_fake");
        return c;
    }

    private ObjectNode completion(Exchange ex, String text) {
        ObjectNode out = Json.object();
        out.put("id", "cmpl-fake" + ids.incrementAndGet());
        out.put("object", "text_completion");
        out.put("created", now());
        out.put("model", ex.model());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("text", text);
        choice.put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        out.set("usage", usage(false));
        return out;
    }

    private List<String> completionEvents(Exchange ex, String text, int cutAfter) {
        String id = "cmpl-fake" + ids.incrementAndGet();
        long created = now();
        List<String> events = new ArrayList<>();
        int sent = 0;
        for (String word : words(text)) {
            if (cutAfter >= 0 && sent == cutAfter) return events;
            events.add(completionChunk(ex, id, created, word, null).toString());
            sent++;
        }
        if (cutAfter >= 0) return events;
        events.add(completionChunk(ex, id, created, "", "stop").toString());
        if (ex.includeUsage()) {
            ObjectNode u = chunkBase(ex, id, created, "text_completion");
            u.putArray("choices");
            u.set("usage", usage(false));
            events.add(u.toString());
        }
        events.add("[DONE]");
        return events;
    }

    private ObjectNode completionChunk(Exchange ex, String id, long created, String text, String finish) {
        ObjectNode c = chunkBase(ex, id, created, "text_completion");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("text", text);
        choice.put("index", 0);
        choice.putNull("logprobs");
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        return c;
    }

    private ObjectNode embeddings(Exchange ex) {
        int dims = ex.body().path("dimensions").asInt(DEFAULT_DIMENSIONS);
        boolean base64 = "base64".equals(ex.body().path("encoding_format").asText());
        ObjectNode out = Json.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < inputCount(ex.body().get("input")); i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            float[] v = vector(i, dims);
            if (base64) {
                e.put("embedding", base64(v));
            } else {
                ArrayNode a = e.putArray("embedding");
                for (float f : v) a.add(f);
            }
        }
        out.put("model", ex.model());
        out.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return out;
    }

    /** The embedding the fake returns for input {@code index}: exact binary fractions, so float and base64 compare equal. */
    public static float[] vector(int index, int dims) {
        float[] v = new float[dims];
        for (int j = 0; j < dims; j++) v[j] = (index + 1) * 0.5f + j * 0.125f - 1f;
        return v;
    }

    /** OpenAI's base64 embedding encoding: the float32 values, little-endian, base64. */
    public static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static int inputCount(JsonNode input) {
        if (input == null || !input.isArray()) return 1;
        if (!input.isEmpty() && input.get(0).isNumber()) return 1; // one input given as token ids
        return input.size();
    }

    private ObjectNode usage(boolean chat) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", promptTokens);
        u.put("completion_tokens", completionTokens);
        u.put("total_tokens", promptTokens + completionTokens);
        if (chat) {
            u.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
            u.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                    .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        }
        return u;
    }

    // ---- errors --------------------------------------------------------------------------------------------

    private void error(Exchange ex, Scenario.Error e) {
        HttpServerResponse resp = ex.req().response();
        if (e.status() == 429) resp.putHeader("retry-after", RETRY_AFTER_SECONDS);
        if (e.status() == 502 && !ex.azure()) { // what the edge proxy in front of OpenAI answers
            resp.setStatusCode(502).putHeader("content-type", "text/html").end(Errors.BAD_GATEWAY_HTML);
            return;
        }
        ObjectNode body = ex.azure() ? Errors.azureFor(e, ex) : Errors.openAiFor(e, ex, bearer(ex.req()));
        sendJson(ex.req(), e.status(), body);
    }

    private void streamThenError(Exchange ex) {
        String id = "chatcmpl-fake" + ids.incrementAndGet();
        List<String> events = new ArrayList<>();
        events.add(chatChunk(ex, id, now(), Json.object().put("role", "assistant").put("content", "Hel"), null).toString());
        events.add(Errors.openAi("The server had an error while processing your request. Sorry about that!", "server_error", null, null).toString());
        sendEvents(ex.req(), events, 0, false); // OpenAI ends such a stream without [DONE]
    }

    /** OpenAI's and Azure's real error bodies. */
    private static final class Errors {
        static final String BAD_GATEWAY_HTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";

        static ObjectNode openAi(String message, String type, String param, String code) {
            ObjectNode root = Json.object();
            ObjectNode err = root.putObject("error");
            err.put("message", message);
            err.put("type", type);
            err.put("param", param);
            err.put("code", code);
            return root;
        }

        static ObjectNode azure(String code, String message) {
            ObjectNode root = Json.object();
            root.putObject("error").put("code", code).put("message", message);
            return root;
        }

        static ObjectNode openAiUnauthorized(String presented) {
            if (presented == null) {
                return openAi("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth "
                        + "(i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API "
                        + "from your browser and are prompted for a username and password. You can obtain an API key from "
                        + "https://platform.openai.com/account/api-keys.", "invalid_request_error", null, null);
            }
            return openAi("Incorrect API key provided: " + mask(presented)
                    + ". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key");
        }

        static ObjectNode azureUnauthorized() {
            return azure("401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key "
                    + "for an active subscription and use a correct regional API endpoint for your resource.");
        }

        /** OpenAI shows the start and the last four characters of a wrong key. */
        static String mask(String key) {
            if (key.length() <= 8) return key;
            return key.substring(0, 3) + "*".repeat(Math.min(key.length() - 7, 40)) + key.substring(key.length() - 4);
        }

        static ObjectNode openAiFor(Scenario.Error e, Exchange ex, String presentedKey) {
            String kind = e.kind() == null ? "" : e.kind();
            return switch (e.status()) {
                case 400 -> switch (kind) {
                    case "context_length" -> openAi("This model's maximum context length is 128000 tokens. However, your messages resulted in "
                            + "130000 tokens. Please reduce the length of the messages.", "invalid_request_error", "messages", "context_length_exceeded");
                    case "content_policy" -> openAi("Your request was rejected as a result of our safety system. Your prompt may contain text "
                            + "that is not allowed by our safety system.", "invalid_request_error", null, "content_policy_violation");
                    default -> openAi("Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an "
                            + "integer instead.", "invalid_request_error", "messages[0].content", "invalid_type");
                };
                case 401 -> openAiUnauthorized(presentedKey == null ? "sk-none" : presentedKey);
                case 403 -> openAi("Country, region, or territory not supported", "request_forbidden", null, "unsupported_country_region_territory");
                case 404 -> openAi("The model `" + ex.model() + "` does not exist or you do not have access to it.",
                        "invalid_request_error", null, "model_not_found");
                case 429 -> "quota".equals(kind)
                        ? openAi("You exceeded your current quota, please check your plan and billing details. For more information on this "
                                + "error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.", "insufficient_quota", null, "insufficient_quota")
                        : openAi("Rate limit reached for " + ex.model() + " in organization org-fake on tokens per min (TPM): Limit 30000, "
                                + "Used 29000, Requested 1500. Please try again in " + RETRY_AFTER_SECONDS + "s. Visit "
                                + "https://platform.openai.com/account/rate-limits to learn more.", "tokens", null, "rate_limit_exceeded");
                case 500 -> openAi("The server had an error while processing your request. Sorry about that!", "server_error", null, null);
                case 503 -> openAi("The server is overloaded or not ready yet.", "server_error", null, null);
                default -> openAi("Fake error with status " + e.status() + ".", "server_error", null, null);
            };
        }

        static ObjectNode azureFor(Scenario.Error e, Exchange ex) {
            String kind = e.kind() == null ? "" : e.kind();
            return switch (e.status()) {
                case 400 -> switch (kind) {
                    case "context_length" -> openAi("This model's maximum context length is 128000 tokens. However, your messages resulted in "
                            + "130000 tokens. Please reduce the length of the messages.", "invalid_request_error", "messages", "context_length_exceeded");
                    case "content_policy" -> {
                        ObjectNode root = openAi("The response was filtered due to the prompt triggering Azure OpenAI's content management "
                                + "policy. Please modify your prompt and retry. To learn more about our content filtering policies please read "
                                + "our documentation: https://go.microsoft.com/fwlink/?linkid=2198766", null, "prompt", "content_filter");
                        ObjectNode err = (ObjectNode) root.get("error");
                        err.put("status", 400);
                        ObjectNode inner = err.putObject("innererror");
                        inner.put("code", "ResponsibleAIPolicyViolation");
                        ObjectNode result = AzureFilter.safe();
                        result.putObject("violence").put("filtered", true).put("severity", "medium");
                        inner.set("content_filter_result", result);
                        yield root;
                    }
                    default -> openAi("Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an "
                            + "integer instead.", "invalid_request_error", "messages[0].content", "invalid_type");
                };
                case 401 -> azureUnauthorized();
                case 403 -> azure("403", "Access denied due to Virtual Network/Firewall rules.");
                case 404 -> azure("DeploymentNotFound", "The API deployment for this resource does not exist. If you created the deployment "
                        + "within the last 5 minutes, please wait a moment and try again.");
                case 429 -> azure("429", "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version " + ex.route().apiVersion()
                        + " have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after " + RETRY_AFTER_SECONDS
                        + " seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.");
                case 500 -> openAi("The server had an error processing your request. Sorry about that! You can retry your request, or contact us "
                        + "through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 if you keep seeing this error.",
                        "server_error", null, null);
                case 503 -> azure("ServiceUnavailable", "The service is temporarily unable to process your request. Please try again later.");
                default -> azure(Integer.toString(e.status()), "Fake error with status " + e.status() + ".");
            };
        }
    }

    /** Azure's content-filter annotations. */
    private static final class AzureFilter {
        static ObjectNode safe() {
            ObjectNode r = Json.object();
            for (String c : List.of("hate", "self_harm", "sexual", "violence")) r.putObject(c).put("filtered", false).put("severity", "safe");
            return r;
        }

        static ArrayNode promptResults() {
            ArrayNode a = Json.array();
            a.addObject().put("prompt_index", 0).set("content_filter_results", safe());
            return a;
        }

        /** The first event of every Azure stream: no choices, no id, no model, only the prompt's filter results. */
        static ObjectNode promptChunk() {
            ObjectNode c = Json.object();
            c.putArray("choices");
            c.put("created", 0);
            c.put("id", "");
            c.put("model", "");
            c.put("object", "");
            c.set("prompt_filter_results", promptResults());
            return c;
        }
    }

    // ---- routing, auth and transport ----------------------------------------------------------------------

    private record Route(Api api, String operation, String deployment, String apiVersion) {
        private static final List<String> OPERATIONS = List.of("chat/completions", "completions", "embeddings", "responses", "responses/compact",
                "images/generations", "audio/transcriptions", "audio/speech", "moderations", "rerank");

        static Route of(HttpServerRequest req) {
            String path = req.path();
            if (path.startsWith("/v1/")) {
                String op = path.substring("/v1/".length());
                return OPERATIONS.contains(op) ? new Route(Api.OPENAI, op, null, null) : null;
            }
            if (path.equals("/openai/v1/responses") || path.equals("/openai/responses")) { // Azure's Responses API: not per deployment
                return new Route(Api.AZURE, "responses", null, path.startsWith("/openai/v1/") ? "v1" : req.getParam("api-version"));
            }
            if (path.equals("/openai/v1/responses/compact") || path.equals("/openai/responses/compact")) {
                return new Route(Api.AZURE, "responses/compact", null, path.startsWith("/openai/v1/") ? "v1" : req.getParam("api-version"));
            }
            String prefix = "/openai/deployments/";
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash <= 0) return null;
                String op = rest.substring(slash + 1);
                return OPERATIONS.contains(op) ? new Route(Api.AZURE, op, rest.substring(0, slash), req.getParam("api-version")) : null;
            }
            return null;
        }
    }

    private static Auth authForm(HttpServerRequest req) {
        if (req.getHeader("api-key") != null) return Auth.API_KEY;
        if (req.getHeader("authorization") != null) return Auth.BEARER;
        return Auth.NONE;
    }

    private boolean authorized(HttpServerRequest req, Api api) {
        if (api == Api.AZURE && req.getHeader("api-key") != null) return expectedKey.equals(req.getHeader("api-key"));
        return expectedKey.equals(bearer(req));
    }

    private static String bearer(HttpServerRequest req) {
        String h = req.getHeader("authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring("Bearer ".length()) : null;
    }

    private void sendJson(HttpServerRequest req, int status, ObjectNode body) {
        req.response().setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader("x-request-id", "req_fake" + ids.incrementAndGet())
                .end(body.toString());
    }

    /** SSE: {@code data: ...\n\n} per event, optionally paced, optionally ending by dropping the connection. */
    private void sendEvents(HttpServerRequest req, List<String> events, long gapMs, boolean cut) {
        HttpServerResponse resp = req.response();
        resp.setStatusCode(200).setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("x-request-id", "req_fake" + ids.incrementAndGet());
        writeFrom(req, events, 0, gapMs, cut);
    }

    private void writeFrom(HttpServerRequest req, List<String> events, int i, long gapMs, boolean cut) {
        HttpServerResponse resp = req.response();
        while (i < events.size()) {
            var written = resp.write("data: " + events.get(i++) + "\n\n");
            if (gapMs > 0 && i < events.size()) {
                int next = i;
                vertx.setTimer(gapMs, t -> writeFrom(req, events, next, gapMs, cut));
                return;
            }
            if (i == events.size() && cut) {
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

    private static List<String> pieces(String s, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += size) out.add(s.substring(i, Math.min(s.length(), i + size)));
        return out;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
