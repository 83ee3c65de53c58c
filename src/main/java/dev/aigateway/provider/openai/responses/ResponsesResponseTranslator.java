package dev.aigateway.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.util.Set;

/**
 * A chat completion as the Response OpenAI's Responses API would have answered: reasoning first (its summary from
 * {@code reasoning_content}), then the message, then the tool calls, each an output item.
 */
final class ResponsesResponseTranslator {
    private ResponsesResponseTranslator() {}

    static ObjectNode translate(ObjectNode completion, ObjectNode request, String model) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        String incomplete = ResponseShape.incompleteReason(choice.path("finish_reason").asText(null));
        long created = completion.path("created").asLong(System.currentTimeMillis() / 1000);
        ObjectNode r = ResponseShape.skeleton(request, ResponseShape.id("resp"), created, model,
                incomplete == null ? "completed" : "incomplete");
        if (incomplete != null) r.putObject("incomplete_details").put("reason", incomplete);
        ArrayNode output = (ArrayNode) r.get("output");
        String reasoning = ResponseShape.reasoning(message);
        if (!reasoning.isEmpty()) output.add(reasoningItem(ResponseShape.id("rs"), reasoning));
        String text = message.path("content").asText("");
        String refusal = message.path("refusal").asText("");
        if (!text.isEmpty() || !refusal.isEmpty()) {
            ObjectNode m = output.addObject().put("id", ResponseShape.id("msg")).put("type", "message")
                    .put("status", incomplete == null ? "completed" : "incomplete").put("role", "assistant");
            ArrayNode content = m.putArray("content");
            if (!text.isEmpty()) content.add(ResponseShape.textPart(text));
            if (!refusal.isEmpty()) content.addObject().put("type", "refusal").put("refusal", refusal);
        }
        Set<String> custom = ResponseShape.customTools(request);
        for (JsonNode call : message.path("tool_calls")) {
            String name = call.path("function").path("name").asText("");
            output.add(ResponseShape.toolCallItem(call.path("id").asText(ResponseShape.id("call")), name,
                    call.path("function").path("arguments").asText(""), custom.contains(name)));
        }
        JsonNode usage = completion.get("usage");
        if (usage != null && usage.isObject()) r.set("usage", ResponseShape.usage(usage));
        return r;
    }

    static ObjectNode reasoningItem(String id, String summary) {
        ObjectNode item = Json.object().put("id", id).put("type", "reasoning");
        ArrayNode parts = item.putArray("summary");
        if (!summary.isEmpty()) parts.addObject().put("type", "summary_text").put("text", summary);
        return item;
    }
}
