package dev.aigateway.server.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.integer;
import static dev.aigateway.server.RequestFields.maxItems;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_MESSAGES;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_OUTPUT_TOKENS;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_STOP;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_TOOLS;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_TOP_K;

/**
 * The bounds of an Anthropic Messages request, checked in Anthropic's field names before it is translated (so a 400
 * names {@code stop_sequences}, not the chat field it becomes). They are the chat API's limits: after translation the
 * request is validated again as a chat completion, which checks the shapes.
 */
public final class MessagesRequestValidator {
    private MessagesRequestValidator() {}

    public static ObjectNode validate(ObjectNode body) {
        maxItems(body.get("messages"), "messages", MAX_MESSAGES);
        integer(body, "max_tokens", 1, MAX_OUTPUT_TOKENS);
        integer(body, "top_k", 0, MAX_TOP_K);
        JsonNode stop = body.get("stop_sequences");
        if (stop != null && !stop.isNull() && !stop.isArray()) throw bad("stop_sequences: must be an array of strings", "stop_sequences");
        maxItems(stop, "stop_sequences", MAX_STOP);
        maxItems(body.get("tools"), "tools", MAX_TOOLS);
        JsonNode thinking = body.get("thinking");
        if (thinking != null && thinking.isObject()) integer(thinking, "budget_tokens", "thinking.budget_tokens", 0, MAX_OUTPUT_TOKENS);
        return body;
    }
}
