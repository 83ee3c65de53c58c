package dev.aigateway.agents;

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
import java.util.function.Supplier;

/**
 * An Anthropic upstream that plays one agent turn the way Claude answers a coding agent, in Anthropic's exact wire
 * format: a request that offers the {@code Write} tool (or the tool it was built with) gets (thinking, when asked
 * for, then) a {@code tool_use} that writes {@link AgentScript#FILE_NAME} (or runs Codex's shell command that does);
 * a request whose last message carries a {@code tool_result} gets {@link AgentScript#FINAL_TEXT}; one whose last
 * message asks {@link AgentScript#FOLLOW_UP} gets {@link AgentScript#FOLLOW_UP_ANSWER}; anything else
 * (side requests an agent makes) gets a short text. Streams as named SSE events when the request streams.
 * {@code /v1/messages/count_tokens} answers a fixed count. The scenario the base class holds is ignored: the script
 * is chosen by what each request contains.
 */
final class ScriptedAnthropic extends FakeUpstream {
    static final String KEY = "sk-ant-upstream-test-key";
    static final int INPUT_TOKENS = 1200;
    static final int OUTPUT_TOKENS = 40;
    static final String SIGNATURE = "EqQBCkYIBRgCIkB-signature-from-the-fake";

    private final String toolName;
    private final Supplier<ObjectNode> toolInput;

    /** Claude Code's turn: a {@code tool_use} of its {@code Write} tool. */
    ScriptedAnthropic(AgentScript script) {
        this("Write", script::writeInput);
    }

    /** Another agent's turn: a {@code tool_use} of {@code toolName} with {@code toolInput} when the request offers it. */
    ScriptedAnthropic(String toolName, Supplier<ObjectNode> toolInput) {
        this.toolName = toolName;
        this.toolInput = toolInput;
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded rec, Scenario ignored) {
        HttpServerResponse resp = req.response();
        if (!KEY.equals(rec.headers().get("x-api-key"))) {
            error(resp, 401, "authentication_error", "invalid x-api-key");
            return;
        }
        if ("POST".equals(rec.method()) && "/v1/messages/count_tokens".equals(rec.path())) {
            resp.putHeader("content-type", "application/json").end("{\"input_tokens\":" + INPUT_TOKENS + "}");
            return;
        }
        if (!"POST".equals(rec.method()) || !"/v1/messages".equals(rec.path())) {
            error(resp, 404, "not_found_error", "Not Found");
            return;
        }
        if (rec.headers().get("anthropic-version") == null) {
            error(resp, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }
        JsonNode body = rec.json();
        boolean thinking = body.path("thinking").path("type").asText().matches("enabled|adaptive");
        ArrayNode content = Json.array();
        String stopReason;
        if (AgentScript.endsWithToolResult(body)) {
            content.addObject().put("type", "text").put("text", AgentScript.FINAL_TEXT);
            stopReason = "end_turn";
        } else if (AgentScript.asksFollowUp(body)) {
            content.addObject().put("type", "text").put("text", AgentScript.FOLLOW_UP_ANSWER);
            stopReason = "end_turn";
        } else if (AgentScript.offersTool(body, toolName)) {
            if (thinking) content.addObject().put("type", "thinking").put("thinking", "I will write the file.").put("signature", SIGNATURE);
            content.addObject().put("type", "tool_use").put("id", AgentScript.TOOL_USE_ID).put("name", toolName).set("input", toolInput.get());
            stopReason = "tool_use";
        } else {
            content.addObject().put("type", "text").put("text", "ok");
            stopReason = "end_turn";
        }
        String model = body.path("model").asText();
        if (body.path("stream").asBoolean(false)) stream(resp, model, content, stopReason);
        else json(resp, 200, message(model, content, stopReason, OUTPUT_TOKENS));
    }

    private static void stream(HttpServerResponse resp, String model, ArrayNode content, String stopReason) {
        List<String> events = new ArrayList<>();
        ObjectNode start = Json.object().put("type", "message_start");
        start.set("message", message(model, Json.array(), null, 1));
        events.add(sse("message_start", start));
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String type = block.path("type").asText();
            ObjectNode empty = Json.object().put("type", type);
            switch (type) {
                case "thinking" -> empty.put("thinking", "").put("signature", "");
                case "tool_use" -> empty.put("id", block.path("id").asText()).put("name", block.path("name").asText()).putObject("input");
                default -> empty.put("text", "");
            }
            ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", i);
            blockStart.set("content_block", empty);
            events.add(sse("content_block_start", blockStart));
            if (i == 0) events.add(sse("ping", Json.object().put("type", "ping")));
            switch (type) {
                case "thinking" -> {
                    events.add(delta(i, Json.object().put("type", "thinking_delta").put("thinking", block.path("thinking").asText())));
                    events.add(delta(i, Json.object().put("type", "signature_delta").put("signature", block.path("signature").asText())));
                }
                case "tool_use" -> {
                    String args = block.path("input").toString();
                    for (int at = 0; at < args.length(); at += 16) { // in pieces, as the real service streams tool input
                        events.add(delta(i, Json.object().put("type", "input_json_delta")
                                .put("partial_json", args.substring(at, Math.min(args.length(), at + 16)))));
                    }
                }
                default -> events.add(delta(i, Json.object().put("type", "text_delta").put("text", block.path("text").asText())));
            }
            events.add(sse("content_block_stop", Json.object().put("type", "content_block_stop").put("index", i)));
        }
        ObjectNode messageDelta = Json.object().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", OUTPUT_TOKENS);
        events.add(sse("message_delta", messageDelta));
        events.add(sse("message_stop", Json.object().put("type", "message_stop")));
        resp.setStatusCode(200).putHeader("content-type", "text/event-stream; charset=utf-8").putHeader("cache-control", "no-cache")
                .putHeader("request-id", "req_011CCFakeAgentLoop").setChunked(true);
        events.forEach(resp::write);
        resp.end();
    }

    private static ObjectNode message(String model, ArrayNode content, String stopReason, int outputTokens) {
        ObjectNode m = Json.object().put("id", "msg_01AgentLoopFake").put("type", "message").put("role", "assistant").put("model", model);
        m.set("content", content);
        m.put("stop_reason", stopReason).putNull("stop_sequence");
        m.putObject("usage").put("input_tokens", INPUT_TOKENS).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", outputTokens).put("service_tier", "standard");
        return m;
    }

    private static String delta(int index, ObjectNode delta) {
        ObjectNode e = Json.object().put("type", "content_block_delta").put("index", index);
        e.set("delta", delta);
        return sse("content_block_delta", e);
    }

    private static String sse(String event, JsonNode data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    private static void json(HttpServerResponse resp, int status, ObjectNode body) {
        resp.setStatusCode(status).putHeader("content-type", "application/json").putHeader("request-id", "req_011CCFakeAgentLoop")
                .end(body.toString());
    }

    private static void error(HttpServerResponse resp, int status, String type, String message) {
        ObjectNode b = Json.object().put("type", "error");
        b.putObject("error").put("type", type).put("message", message);
        b.put("request_id", "req_011CCFakeAgentLoop");
        json(resp, status, b);
    }
}
