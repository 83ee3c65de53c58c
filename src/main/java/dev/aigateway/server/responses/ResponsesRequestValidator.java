package dev.aigateway.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

import static dev.aigateway.server.RequestFields.bad;
import static dev.aigateway.server.RequestFields.bool;
import static dev.aigateway.server.RequestFields.integer;
import static dev.aigateway.server.RequestFields.kind;
import static dev.aigateway.server.RequestFields.maxItems;
import static dev.aigateway.server.RequestFields.number;
import static dev.aigateway.server.RequestFields.string;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_MESSAGES;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_OUTPUT_TOKENS;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_TOOLS;
import static dev.aigateway.server.chat.ChatRequestValidator.MAX_TOP_LOGPROBS;

/**
 * The bounds of a Responses API request, checked in the Responses API's field names before it is translated (a 400
 * names {@code max_output_tokens}, not the chat field it becomes), and before it may pass through untranslated: every
 * count and size a client controls is bounded here. After translation the request is validated again as a chat
 * completion, which checks the shapes of messages and tools.
 */
final class ResponsesRequestValidator {
    /** OpenAI's own limits on {@code metadata}: 16 pairs, keys of 64 characters, values of 512. */
    static final int MAX_METADATA = 16;
    static final int MAX_METADATA_KEY = 64;
    static final int MAX_METADATA_VALUE = 512;
    /** Content parts in one input message (as many as a chat request's messages: the body size bounds it first). */
    static final int MAX_PARTS = MAX_MESSAGES;
    /** {@code include} values (OpenAI knows about ten). */
    static final int MAX_INCLUDE = 32;

    private ResponsesRequestValidator() {}

    static ObjectNode validate(ObjectNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) throw bad("Missing required parameter: 'input'.", "input");
        if (!input.isTextual() && !input.isArray()) {
            throw bad("Invalid type for 'input': expected a string or an array of input items, but got " + kind(input) + " instead.", "input");
        }
        maxItems(input, "input", MAX_MESSAGES);
        if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.get(i);
                if (!item.isObject()) throw bad("Invalid type for 'input[" + i + "]': expected an object, but got " + kind(item) + " instead.", "input");
                maxItems(item.get("content"), "input[" + i + "].content", MAX_PARTS);
                if (item.path("output").isArray()) maxItems(item.get("output"), "input[" + i + "].output", MAX_PARTS);
            }
        }
        string(body, "instructions");
        string(body, "previous_response_id");
        string(body, "prompt_cache_key");
        string(body, "user");
        string(body, "safety_identifier");
        integer(body, "max_output_tokens", 1, MAX_OUTPUT_TOKENS);
        integer(body, "max_tool_calls", 1, MAX_TOOLS);
        integer(body, "top_logprobs", 0, MAX_TOP_LOGPROBS);
        number(body, "temperature", 0, 2);
        number(body, "top_p", 0, 1);
        bool(body, "stream");
        bool(body, "store");
        bool(body, "parallel_tool_calls");
        bool(body, "background");
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull() && !tools.isArray()) throw bad("Invalid type for 'tools': expected an array, but got " + kind(tools) + " instead.", "tools");
        maxItems(tools, "tools", MAX_TOOLS);
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                JsonNode t = tools.get(i);
                if (!t.isObject() || !t.path("type").isTextual()) throw bad("Missing required parameter: 'tools[" + i + "].type'.", "tools");
                String type = t.get("type").asText();
                if (("function".equals(type) || "custom".equals(type)) && !t.path("name").isTextual()) {
                    throw bad("Missing required parameter: 'tools[" + i + "].name'.", "tools");
                }
                if ("namespace".equals(type)) maxItems(t.get("tools"), "tools[" + i + "].tools", MAX_TOOLS);
            }
        }
        JsonNode include = body.get("include");
        if (include != null && !include.isNull() && !include.isArray()) throw bad("Invalid type for 'include': expected an array of strings.", "include");
        maxItems(include, "include", MAX_INCLUDE);
        metadata(body.get("metadata"));
        JsonNode reasoning = body.get("reasoning");
        if (reasoning != null && !reasoning.isNull() && !reasoning.isObject()) throw bad("Invalid type for 'reasoning': expected an object.", "reasoning");
        JsonNode text = body.get("text");
        if (text != null && !text.isNull() && !text.isObject()) throw bad("Invalid type for 'text': expected an object.", "text");
        return body;
    }

    private static void metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) return;
        if (!metadata.isObject()) throw bad("Invalid type for 'metadata': expected an object, but got " + kind(metadata) + " instead.", "metadata");
        if (metadata.size() > MAX_METADATA) {
            throw bad("Invalid 'metadata': too many properties. Expected an object with at most " + MAX_METADATA
                    + " properties, but got an object with " + metadata.size() + " properties instead.", "metadata");
        }
        for (Map.Entry<String, JsonNode> e : metadata.properties()) {
            if (e.getKey().length() > MAX_METADATA_KEY) {
                throw bad("Invalid 'metadata': keys are at most " + MAX_METADATA_KEY + " characters long.", "metadata");
            }
            if (!e.getValue().isTextual()) throw bad("Invalid type for 'metadata." + e.getKey() + "': expected a string.", "metadata");
            if (e.getValue().asText().length() > MAX_METADATA_VALUE) {
                throw bad("Invalid 'metadata." + e.getKey() + "': values are at most " + MAX_METADATA_VALUE + " characters long.", "metadata");
            }
        }
    }
}
