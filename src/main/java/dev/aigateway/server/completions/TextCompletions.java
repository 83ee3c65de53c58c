package dev.aigateway.server.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;

/**
 * The legacy completions API expressed as chat, for providers that only have chat: the prompt becomes
 * one user message, and each chat choice or chunk becomes a {@code text_completion} one.
 */
final class TextCompletions {
    private static final String[] COPIED = {"max_tokens", "temperature", "top_p", "n", "stop", "seed", "user",
            "presence_penalty", "frequency_penalty", "stream", "stream_options", "logit_bias"};

    private TextCompletions() {}

    static String prompt(ObjectNode body) {
        JsonNode p = body.get("prompt");
        if (p == null || p.isNull()) throw GatewayException.badRequest("Missing required parameter: 'prompt'.", "prompt");
        if (p.isTextual()) return p.asText();
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) return p.get(0).asText();
        if (p.isArray()) {
            throw GatewayException.badRequest("This model's provider has no native completions endpoint, so 'prompt' must be "
                    + "a single string (batched or token prompts need an OpenAI-compatible provider).", "prompt");
        }
        throw GatewayException.badRequest("Invalid type for 'prompt': expected a string or an array of strings.", "prompt");
    }

    static ObjectNode toChat(ObjectNode body) {
        ObjectNode chat = Json.object();
        chat.set("model", body.get("model"));
        chat.putArray("messages").addObject().put("role", "user").put("content", prompt(body));
        for (String f : COPIED) if (body.has(f)) chat.set(f, body.get(f));
        return chat;
    }

    static ObjectNode fromChat(ObjectNode chat) {
        return asTextCompletion(chat, choice -> choice.path("message"));
    }

    static ObjectNode chunkFromChat(ObjectNode chunk) {
        return asTextCompletion(chunk, choice -> choice.path("delta"));
    }

    /** A chat completion or chunk as a {@code text_completion}; {@code content} finds a choice's message or delta. */
    private static ObjectNode asTextCompletion(ObjectNode chat, java.util.function.Function<JsonNode, JsonNode> content) {
        ObjectNode out = Json.object();
        out.put("id", chat.path("id").asText("cmpl").replaceFirst("^chatcmpl", "cmpl"));
        out.put("object", "text_completion");
        out.put("created", chat.path("created").asLong(System.currentTimeMillis() / 1000));
        out.put("model", chat.path("model").asText());
        ArrayNode choices = out.putArray("choices");
        for (JsonNode c : chat.path("choices")) {
            ObjectNode tc = choices.addObject();
            tc.put("text", content.apply(c).path("content").asText(""));
            tc.put("index", c.path("index").asInt());
            tc.putNull("logprobs");
            tc.set("finish_reason", c.get("finish_reason"));
        }
        if (chat.has("usage")) out.set("usage", chat.get("usage"));
        return out;
    }
}
