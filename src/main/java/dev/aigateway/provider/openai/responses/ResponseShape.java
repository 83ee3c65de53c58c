package dev.aigateway.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The parts of a Response object both the JSON answer and the stream's events write: its ids, the request's fields
 * a Response echoes back, and usage in the Responses API's names (and back to chat's, for accounting).
 */
final class ResponseShape {
    private ResponseShape() {}

    /** An id as OpenAI forms them: a prefix ({@code resp}, {@code msg}, {@code fc}, {@code rs}, {@code ctc}), then 48 hex digits. */
    static String id(String prefix) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(prefix.length() + 49).append(prefix).append('_');
        for (int i = 0; i < 3; i++) {
            String h = Long.toHexString(r.nextLong());
            b.append("0".repeat(16 - h.length())).append(h);
        }
        return b.toString();
    }

    /**
     * A Response with no output yet: every field OpenAI's own Response carries, the request's settings echoed
     * (null where the request left them out, as OpenAI reports its defaults only for what it applied).
     */
    static ObjectNode skeleton(ObjectNode request, String id, long createdAt, String model, String status) {
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        echo(request, r, "instructions");
        echo(request, r, "max_output_tokens");
        echo(request, r, "max_tool_calls");
        r.put("model", model);
        r.putArray("output");
        r.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        echo(request, r, "previous_response_id");
        echo(request, r, "prompt_cache_key");
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set("effort", orNull(request.path("reasoning").get("effort")));
        reasoning.set("summary", orNull(request.path("reasoning").get("summary")));
        echo(request, r, "safety_identifier");
        r.put("store", request.path("store").asBoolean(true));
        r.set("temperature", request.hasNonNull("temperature") ? request.get("temperature") : Json.MAPPER.getNodeFactory().numberNode(1.0));
        ObjectNode text = r.putObject("text");
        JsonNode format = request.path("text").get("format");
        text.set("format", format != null && format.isObject() ? format : Json.object().put("type", "text"));
        r.set("tool_choice", request.hasNonNull("tool_choice") ? request.get("tool_choice") : Json.MAPPER.getNodeFactory().textNode("auto"));
        r.set("tools", request.get("tools") != null && request.get("tools").isArray() ? request.get("tools") : Json.array());
        r.set("top_p", request.hasNonNull("top_p") ? request.get("top_p") : Json.MAPPER.getNodeFactory().numberNode(1.0));
        r.put("truncation", request.path("truncation").asText("disabled"));
        r.putNull("usage");
        echo(request, r, "user");
        r.set("metadata", request.get("metadata") != null && request.get("metadata").isObject() ? request.get("metadata") : Json.object());
        return r;
    }

    private static void echo(ObjectNode from, ObjectNode to, String field) {
        to.set(field, orNull(from.get(field)));
    }

    private static JsonNode orNull(JsonNode v) {
        return v == null ? Json.MAPPER.getNodeFactory().nullNode() : v;
    }

    /** The names of the request's {@code custom} tools: their calls come back as custom_tool_call items. */
    static Set<String> customTools(ObjectNode request) {
        Set<String> names = new HashSet<>();
        for (JsonNode t : request.path("tools")) {
            if ("custom".equals(t.path("type").asText()) && t.path("name").isTextual()) names.add(t.get("name").asText());
        }
        return names;
    }

    /** Chat usage as a Response's: input (cached within), output (reasoning within), total. */
    static ObjectNode usage(JsonNode chat) {
        long input = chat.path("prompt_tokens").asLong(0);
        long output = chat.path("completion_tokens").asLong(0);
        ObjectNode u = Json.object();
        u.put("input_tokens", input);
        u.putObject("input_tokens_details").put("cached_tokens", chat.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        u.put("output_tokens", output);
        u.putObject("output_tokens_details").put("reasoning_tokens", chat.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
        u.put("total_tokens", chat.path("total_tokens").asLong(input + output));
        return u;
    }

    /** A Response's usage as chat's, which accounting reads. */
    static ObjectNode chatUsage(JsonNode responses) {
        long input = responses.path("input_tokens").asLong(0);
        long output = responses.path("output_tokens").asLong(0);
        ObjectNode u = Json.object();
        u.put("prompt_tokens", input);
        u.put("completion_tokens", output);
        u.put("total_tokens", responses.path("total_tokens").asLong(input + output));
        u.putObject("prompt_tokens_details").put("cached_tokens", responses.path("input_tokens_details").path("cached_tokens").asLong(0));
        u.putObject("completion_tokens_details").put("reasoning_tokens", responses.path("output_tokens_details").path("reasoning_tokens").asLong(0));
        return u;
    }

    /** Output items of a finished answer: a function call, or a custom tool's call when {@code name} is a custom tool. */
    static ObjectNode toolCallItem(String callId, String name, String arguments, boolean custom) {
        ObjectNode item = Json.object();
        if (custom) {
            item.put("type", "custom_tool_call").put("id", id("ctc")).put("status", "completed").put("call_id", callId)
                    .put("name", name).put("input", customInput(arguments));
        } else {
            item.put("type", "function_call").put("id", id("fc")).put("status", "completed").put("call_id", callId)
                    .put("name", name).put("arguments", arguments);
        }
        return item;
    }

    /** The text a custom tool's call carried in its one parameter; the arguments as they are when they are not that. */
    static String customInput(String arguments) {
        JsonNode args = Json.tryParse(arguments.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode input = args == null ? null : args.get(ResponsesRequestTranslator.CUSTOM_INPUT);
        return input != null && input.isTextual() ? input.asText() : arguments;
    }

    /** A chat message's or delta's reasoning: {@code reasoning_content} (DeepSeek, vLLM, Gemini, Ollama) or {@code reasoning} (OpenRouter, newer vLLM). */
    static String reasoning(JsonNode messageOrDelta) {
        JsonNode r = messageOrDelta.get("reasoning_content");
        if (r == null || !r.isTextual()) r = messageOrDelta.get("reasoning");
        return r != null && r.isTextual() ? r.asText() : "";
    }

    static ObjectNode textPart(String text) {
        ObjectNode p = Json.object().put("type", "output_text");
        p.putArray("annotations");
        p.putArray("logprobs");
        p.put("text", text);
        return p;
    }

    /** Chat's finish reason as a Response's incomplete_details reason; null when the answer is complete. */
    static String incompleteReason(String finishReason) {
        return switch (finishReason == null ? "" : finishReason) {
            case "length" -> "max_output_tokens";
            case "content_filter" -> "content_filter";
            default -> null;
        };
    }
}
