package dev.aigateway.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.bool;
import static dev.aigateway.server.RequestFields.integer;
import static dev.aigateway.server.RequestFields.maxItems;
import static dev.aigateway.server.RequestFields.number;
import static dev.aigateway.server.RequestFields.string;

/**
 * Checks a chat completion request the way OpenAI does, so a bad request fails here with a 400 naming
 * the field instead of as a provider's puzzling error (or a 500). Only shape and bounds are checked: values a
 * provider may accept differently (model names, extra fields) pass through.
 *
 * <p>Every number and count a request gives is bounded here, the one place for the chat API (and for
 * /v1/messages, which is validated again as chat after translation): whatever sizes work downstream (the
 * cost estimate multiplies {@code n} by the output tokens, translators add one node per message or tool)
 * stays within what a long and the heap can hold, and a value beyond a bound is a 400 naming it.
 */
public final class ChatRequestValidator {
    /** Messages per request: Anthropic's documented maximum (OpenAI documents none). */
    public static final int MAX_MESSAGES = 100_000;
    /** Choices per request ({@code n}): OpenAI's maximum. */
    public static final int MAX_N = 128;
    /**
     * Output tokens ({@code max_tokens}, {@code max_completion_tokens}, a thinking budget): the largest value the
     * providers' own APIs take (a 32-bit integer); it keeps n x tokens x price far inside a long of nano-dollars.
     */
    public static final long MAX_OUTPUT_TOKENS = Integer.MAX_VALUE;
    /** {@code top_logprobs}: OpenAI's maximum. */
    public static final int MAX_TOP_LOGPROBS = 20;
    /**
     * Tools offered per request: the most any provider takes (Anthropic's tool search catalogues up to 10,000, deferred);
     * a provider with a lower limit (OpenAI: 128) answers its own error. A coding agent with many MCP servers offers
     * hundreds: OpenAI's 128 here would refuse what Anthropic and Gemini accept.
     */
    public static final int MAX_TOOLS = 10_000;
    /** Stop sequences: OpenAI takes 4 and Gemini 5; others take more, so the gateway passes up to 16. */
    public static final int MAX_STOP = 16;
    /** {@code top_k} (Anthropic, Gemini, Ollama): a 32-bit integer, as those APIs define it. */
    public static final long MAX_TOP_K = Integer.MAX_VALUE;

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final Set<String> FORMATS = Set.of("text", "json_object", "json_schema");

    private ChatRequestValidator() {}

    public static ObjectNode validate(ObjectNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) throw bad("Missing required parameter: 'messages'.", "messages");
        if (!messages.isArray()) throw bad("Invalid type for 'messages': expected an array of message objects.", "messages");
        if (messages.isEmpty()) throw bad("'messages' must contain at least one message.", "messages");
        maxItems(messages, "messages", MAX_MESSAGES);
        for (int i = 0; i < messages.size(); i++) message(messages.get(i), "messages[" + i + "]");
        bool(body, "stream");
        number(body, "temperature", 0, 2);
        number(body, "top_p", 0, 1);
        number(body, "presence_penalty", -2, 2);
        number(body, "frequency_penalty", -2, 2);
        integer(body, "n", 1, MAX_N);
        integer(body, "max_tokens", 1, MAX_OUTPUT_TOKENS);
        integer(body, "max_completion_tokens", 1, MAX_OUTPUT_TOKENS);
        integer(body, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        integer(body, "top_k", 0, MAX_TOP_K);
        bool(body, "logprobs");
        integer(body, "top_logprobs", 0, MAX_TOP_LOGPROBS);
        thinking(body);
        string(body, "user");
        stop(body);
        tools(body);
        responseFormat(body);
        JsonNode so = body.get("stream_options");
        if (so != null && !so.isNull() && !so.isObject()) throw bad("Invalid type for 'stream_options': expected an object.", "stream_options");
        return body;
    }

    private static void message(JsonNode m, String where) {
        if (!m.isObject()) throw bad("Invalid type for '" + where + "': expected an object with 'role' and 'content'.", "messages");
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual()) throw bad("Missing required parameter: '" + where + ".role'.", "messages");
        if (!ROLES.contains(role.asText())) {
            throw bad("Invalid value for '" + where + ".role': '" + role.asText() + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.", "messages");
        }
        JsonNode content = m.get("content");
        boolean hasToolCalls = m.hasNonNull("tool_calls") || m.hasNonNull("function_call");
        if (content == null || content.isNull()) {
            if (!"assistant".equals(role.asText()) || !hasToolCalls) {
                throw bad("Missing required parameter: '" + where + ".content'.", "messages");
            }
        } else if (content.isArray()) {
            for (int i = 0; i < content.size(); i++) part(content.get(i), where + ".content[" + i + "]");
        } else if (!content.isTextual()) {
            throw bad("Invalid type for '" + where + ".content': expected a string or an array of content parts.", "messages");
        }
        if ("tool".equals(role.asText()) && !m.path("tool_call_id").isTextual()) {
            throw bad("Missing required parameter: '" + where + ".tool_call_id'.", "messages");
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && !calls.isNull()) {
            if (!calls.isArray()) throw bad("Invalid type for '" + where + ".tool_calls': expected an array.", "messages");
            for (int i = 0; i < calls.size(); i++) {
                JsonNode fn = calls.get(i).path("function");
                if (!fn.path("name").isTextual()) throw bad("Missing required parameter: '" + where + ".tool_calls[" + i + "].function.name'.", "messages");
            }
        }
    }

    private static void part(JsonNode p, String where) {
        String type = p.path("type").asText(null);
        if (type == null) throw bad("Missing required parameter: '" + where + ".type'.", "messages");
        switch (type) {
            case "text" -> {
                if (!p.path("text").isTextual()) throw bad("Missing required parameter: '" + where + ".text'.", "messages");
            }
            case "image_url" -> {
                JsonNode url = p.get("image_url");
                String u = url == null ? null : url.isTextual() ? url.asText() : url.path("url").asText(null);
                if (u == null) throw bad("Missing required parameter: '" + where + ".image_url.url'.", "messages");
            }
            default -> { /* input_audio, file, ...: passed to the provider as given */ }
        }
    }

    private static void stop(ObjectNode body) {
        JsonNode stop = body.get("stop");
        if (stop == null || stop.isNull() || stop.isTextual()) return;
        if (!stop.isArray()) throw bad("Invalid type for 'stop': expected a string or an array of strings.", "stop");
        maxItems(stop, "stop", MAX_STOP);
        for (JsonNode s : stop) if (!s.isTextual()) throw bad("Invalid type for 'stop': expected a string or an array of strings.", "stop");
    }

    private static void tools(ObjectNode body) {
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) throw bad("Invalid type for 'tools': expected an array.", "tools");
            maxItems(tools, "tools", MAX_TOOLS);
            for (int i = 0; i < tools.size(); i++) {
                JsonNode t = tools.get(i);
                if (!"function".equals(t.path("type").asText("function"))) continue;
                if (!t.path("function").path("name").isTextual()) throw bad("Missing required parameter: 'tools[" + i + "].function.name'.", "tools");
            }
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null && !choice.isNull() && !choice.isTextual() && !choice.isObject()) {
            throw bad("Invalid type for 'tool_choice': expected a string or an object.", "tool_choice");
        }
    }

    private static void responseFormat(ObjectNode body) {
        JsonNode rf = body.get("response_format");
        if (rf == null || rf.isNull()) return;
        if (!rf.isObject()) throw bad("Invalid type for 'response_format': expected an object.", "response_format");
        String type = rf.path("type").asText(null);
        if (type == null || !FORMATS.contains(type)) {
            throw bad("Invalid value for 'response_format.type': supported values are 'text', 'json_object' and 'json_schema'.", "response_format");
        }
        if ("json_schema".equals(type) && !rf.path("json_schema").isObject()) {
            throw bad("Missing required parameter: 'response_format.json_schema'.", "response_format");
        }
    }

    /** Anthropic-style {@code thinking: {type, budget_tokens}}: the budget is added to max_tokens downstream. */
    private static void thinking(ObjectNode body) {
        JsonNode t = body.get("thinking");
        if (t == null || t.isNull()) return;
        if (!t.isObject()) throw bad("Invalid type for 'thinking': expected an object.", "thinking");
        integer(t, "budget_tokens", "thinking.budget_tokens", 0, MAX_OUTPUT_TOKENS);
    }
}
