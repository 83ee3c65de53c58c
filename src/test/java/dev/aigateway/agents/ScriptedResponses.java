package dev.aigateway.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
import dev.aigateway.fakes.Scenario;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) in its exact wire format, playing Codex's agent turn: a request
 * that offers Codex's shell tool ({@link AgentScript#CODEX_SHELL_TOOL}) gets a {@code function_call} running
 * {@link AgentScript#SHELL_COMMAND}; a request whose last input item is a {@code function_call_output} gets
 * {@link AgentScript#FINAL_TEXT}; one whose last message asks {@link AgentScript#FOLLOW_UP} gets
 * {@link AgentScript#FOLLOW_UP_ANSWER} (another agent's tool may replace Codex's); anything else a short text. Streams when the request asks ({@code stream: true},
 * as Codex always does) as named SSE events carrying {@code sequence_number}: response.created, response.in_progress,
 * then per output item output_item.added, its deltas (content_part.added / output_text.delta / output_text.done /
 * content_part.done, or function_call_arguments.delta / .done), output_item.done, and finally response.completed
 * with the usage. Authenticates {@code Authorization: Bearer} {@link #KEY} and answers OpenAI's error object
 * otherwise. The scenario the base class holds is ignored: the script is chosen by what each request contains.
 */
final class ScriptedResponses extends FakeUpstream {
    static final String KEY = "sk-openai-responses-upstream-test-key";
    static final int INPUT_TOKENS = 1500;
    static final int CACHED_TOKENS = 1024;
    static final int OUTPUT_TOKENS = 30;
    static final String CALL_ID = "call_GatewayCodexLoop01";

    private final AtomicInteger responses = new AtomicInteger();
    private final String toolName;
    private final Supplier<ObjectNode> toolInput;

    /** Codex's turn: a {@code function_call} of its shell tool. */
    ScriptedResponses() {
        this(AgentScript.CODEX_SHELL_TOOL, AgentScript::execCommandInput);
    }

    /** Another agent's turn: a {@code function_call} of {@code toolName} with {@code toolInput} when the request offers it. */
    ScriptedResponses(String toolName, Supplier<ObjectNode> toolInput) {
        this.toolName = toolName;
        this.toolInput = toolInput;
    }

    /** The {@code openai/} deployment's api_base (and Codex's base_url when it talks to the fake directly). */
    String openAiBase() {
        return host() + "/v1";
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded rec, Scenario ignored) {
        HttpServerResponse resp = req.response();
        if (!("Bearer " + KEY).equals(rec.headers().get("authorization"))) {
            error(resp, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
            return;
        }
        if (!"POST".equals(rec.method()) || !"/v1/responses".equals(rec.path())) {
            error(resp, 404, "invalid_request_error", null, "Invalid URL (" + rec.method() + " " + rec.path() + ")");
            return;
        }
        JsonNode body = rec.json();
        if (!body.path("model").isTextual() || !body.has("input")) {
            error(resp, 400, "invalid_request_error", "missing_required_parameter", "Missing required parameter: 'model' or 'input'.");
            return;
        }
        String id = "resp_68b1fake" + responses.incrementAndGet();
        ObjectNode item;
        if (AgentScript.endsWithFunctionCallOutput(body)) {
            item = message(id, AgentScript.FINAL_TEXT);
        } else if (AgentScript.asksFollowUp(body)) {
            item = message(id, AgentScript.FOLLOW_UP_ANSWER);
        } else if (!AgentScript.offersTool(body, toolName)) {
            item = message(id, "ok");
        } else {
            item = Json.object().put("id", "fc_" + id).put("type", "function_call").put("status", "completed")
                    .put("arguments", toolInput.get().toString()).put("call_id", CALL_ID)
                    .put("name", toolName);
        }
        ObjectNode done = response(id, body, "completed");
        done.withArray("output").add(item);
        done.set("usage", usage());
        if (body.path("stream").asBoolean(false)) stream(resp, body, id, item, done);
        else json(resp, 200, done);
    }

    private static ObjectNode message(String responseId, String text) {
        ObjectNode m = Json.object().put("id", "msg_" + responseId).put("type", "message").put("status", "completed").put("role", "assistant");
        m.putArray("content").add(outputText(text));
        return m;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = Json.object().put("type", "output_text");
        part.putArray("annotations");
        part.putArray("logprobs");
        return part.put("text", text);
    }

    /** The response object, as created (no output, no usage) or as completed; it echoes the request's settings. */
    private static ObjectNode response(String id, JsonNode request, String status) {
        ObjectNode r = Json.object().put("id", id).put("object", "response").put("created_at", 1_796_666_992L).put("status", status)
                .put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.set("instructions", request.path("instructions").isMissingNode() ? NullNode.instance : request.get("instructions"));
        r.putNull("max_output_tokens");
        r.put("model", request.path("model").asText());
        r.putArray("output");
        r.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        r.set("previous_response_id", request.path("previous_response_id").isTextual() ? request.get("previous_response_id") : NullNode.instance);
        r.put("prompt_cache_key", request.path("prompt_cache_key").asText(null));
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set("effort", request.path("reasoning").path("effort").isMissingNode() ? NullNode.instance : request.path("reasoning").get("effort"));
        reasoning.set("summary", request.path("reasoning").path("summary").isMissingNode() ? NullNode.instance : request.path("reasoning").get("summary"));
        r.put("service_tier", "default").put("store", request.path("store").asBoolean(true)).put("temperature", 1.0);
        r.putObject("text").putObject("format").put("type", "text");
        r.put("tool_choice", request.path("tool_choice").asText("auto"));
        r.set("tools", request.path("tools").isArray() ? request.get("tools") : Json.array());
        r.put("top_p", 1.0).put("truncation", "disabled");
        r.putNull("usage");
        r.putNull("user");
        r.putObject("metadata");
        return r;
    }

    private static ObjectNode usage() {
        ObjectNode u = Json.object().put("input_tokens", INPUT_TOKENS);
        u.putObject("input_tokens_details").put("cached_tokens", CACHED_TOKENS);
        u.put("output_tokens", OUTPUT_TOKENS);
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        return u.put("total_tokens", INPUT_TOKENS + OUTPUT_TOKENS);
    }

    private static void stream(HttpServerResponse resp, JsonNode request, String id, ObjectNode item, ObjectNode done) {
        Events events = new Events();
        ObjectNode created = response(id, request, "in_progress");
        events.add("response.created", Json.object().set("response", created));
        events.add("response.in_progress", Json.object().set("response", created));
        String itemId = item.path("id").asText();
        ObjectNode added = item.deepCopy().put("status", "in_progress");
        if ("function_call".equals(item.path("type").asText())) {
            added.put("arguments", "");
            events.add("response.output_item.added", Json.object().put("output_index", 0).set("item", added));
            String args = item.path("arguments").asText();
            for (int at = 0; at < args.length(); at += 12) { // in pieces, as the real service streams arguments
                events.add("response.function_call_arguments.delta", Json.object().put("item_id", itemId).put("output_index", 0)
                        .put("delta", args.substring(at, Math.min(args.length(), at + 12))));
            }
            events.add("response.function_call_arguments.done", Json.object().put("item_id", itemId).put("output_index", 0)
                    .put("name", item.path("name").asText()).put("arguments", args));
        } else {
            added.putArray("content");
            events.add("response.output_item.added", Json.object().put("output_index", 0).set("item", added));
            String text = item.path("content").get(0).path("text").asText();
            events.add("response.content_part.added", part(itemId).set("part", outputText("")));
            for (String piece : text.split("(?<= )")) {
                ObjectNode delta = part(itemId).put("delta", piece);
                delta.putArray("logprobs");
                events.add("response.output_text.delta", delta);
            }
            ObjectNode textDone = part(itemId).put("text", text);
            textDone.putArray("logprobs");
            events.add("response.output_text.done", textDone);
            events.add("response.content_part.done", part(itemId).set("part", outputText(text)));
        }
        events.add("response.output_item.done", Json.object().put("output_index", 0).set("item", item));
        events.add("response.completed", Json.object().set("response", done));
        resp.setStatusCode(200).putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache")
                .putHeader("x-request-id", "req_fakeCodexLoop").putHeader("openai-processing-ms", "12").setChunked(true);
        events.sse.forEach(resp::write);
        resp.end();
    }

    private static ObjectNode part(String itemId) {
        return Json.object().put("item_id", itemId).put("output_index", 0).put("content_index", 0);
    }

    /** Named SSE events, each carrying its {@code type} and the stream's next {@code sequence_number}. */
    private static final class Events {
        final List<String> sse = new ArrayList<>();

        void add(String type, JsonNode fields) {
            ObjectNode data = Json.object().put("type", type).put("sequence_number", sse.size());
            data.setAll((ObjectNode) fields);
            sse.add("event: " + type + "\ndata: " + data + "\n\n");
        }
    }

    private static void json(HttpServerResponse resp, int status, ObjectNode body) {
        resp.setStatusCode(status).putHeader("content-type", "application/json").putHeader("x-request-id", "req_fakeCodexLoop")
                .end(body.toString());
    }

    private static void error(HttpServerResponse resp, int status, String type, String code, String message) {
        ObjectNode b = Json.object();
        ObjectNode e = b.putObject("error").put("message", message).put("type", type);
        e.putNull("param");
        if (code == null) e.putNull("code");
        else e.put("code", code);
        json(resp, status, b);
    }
}
