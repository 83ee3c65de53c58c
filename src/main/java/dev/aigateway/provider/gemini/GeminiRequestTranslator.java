package dev.aigateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ReasoningEffort;

import java.util.Map;

/**
 * An OpenAI chat request to a Gemini {@code generateContent} body: contents and system instruction,
 * {@code generationConfig}, tools and {@code toolConfig}. Parameters Gemini has no counterpart for
 * (user, parallel_tool_calls, logit_bias ...) are dropped, as LiteLLM drops them.
 */
final class GeminiRequestTranslator {
    /** Gemini's built-in tools, accepted in OpenAI's tools list as LiteLLM accepts them. */
    private static final Map<String, String> BUILT_IN_TOOLS = Map.of(
            "googleSearch", "googleSearch", "google_search", "googleSearch",
            "googleSearchRetrieval", "googleSearchRetrieval", "google_search_retrieval", "googleSearchRetrieval",
            "codeExecution", "codeExecution", "code_execution", "codeExecution",
            "urlContext", "urlContext", "url_context", "urlContext");

    private GeminiRequestTranslator() {}

    static ObjectNode translate(ObjectNode openAi, Deployment deployment) {
        ObjectNode out = Json.object();
        GeminiMessages.Translated messages = GeminiMessages.translate(openAi.get("messages"), deployment.model());
        out.set("contents", messages.contents());
        if (messages.systemInstruction() != null) out.set("systemInstruction", messages.systemInstruction());
        ObjectNode config = generationConfig(openAi);
        if (!config.isEmpty()) out.set("generationConfig", config);
        ArrayNode tools = tools(openAi.get("tools"));
        if (!tools.isEmpty()) out.set("tools", tools);
        ObjectNode toolConfig = toolConfig(openAi.get("tool_choice"));
        if (toolConfig != null) out.set("toolConfig", toolConfig);
        JsonNode safety = openAi.has("safety_settings") ? openAi.get("safety_settings")
                : deployment.params() == null ? null : deployment.params().get("safety_settings");
        if (safety != null && safety.isArray()) out.set("safetySettings", safety);
        return out;
    }

    private static ObjectNode generationConfig(ObjectNode in) {
        ObjectNode c = Json.object();
        copyNumber(in, "temperature", c, "temperature");
        copyNumber(in, "top_p", c, "topP");
        copyNumber(in, "top_k", c, "topK");
        copyNumber(in, "presence_penalty", c, "presencePenalty");
        copyNumber(in, "frequency_penalty", c, "frequencyPenalty");
        copyNumber(in, "seed", c, "seed");
        copyNumber(in, "n", c, "candidateCount");
        copyNumber(in, "max_tokens", c, "maxOutputTokens");
        copyNumber(in, "max_completion_tokens", c, "maxOutputTokens"); // the newer name wins
        JsonNode stop = in.get("stop");
        if (stop != null && stop.isTextual()) {
            c.putArray("stopSequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            c.set("stopSequences", stop);
        }
        responseFormat(in.get("response_format"), c);
        thinking(in, c);
        return c;
    }

    private static void copyNumber(ObjectNode in, String from, ObjectNode out, String to) {
        JsonNode v = in.get(from);
        if (v != null && v.isNumber()) out.set(to, v);
    }

    private static void responseFormat(JsonNode format, ObjectNode c) {
        if (format == null || !format.isObject()) return;
        switch (format.path("type").asText("")) {
            case "json_object" -> c.put("responseMimeType", "application/json");
            case "json_schema" -> {
                c.put("responseMimeType", "application/json");
                JsonNode schema = format.path("json_schema").get("schema");
                if (schema != null && schema.isObject()) c.set("responseSchema", GeminiSchema.clean(schema));
            }
            default -> { /* "text": Gemini's default */ }
        }
    }

    /**
     * reasoning_effort (OpenAI, LiteLLM's budgets) or thinking (Anthropic style, which wins: its budget is exact) to a
     * thinking budget. Adaptive thinking is Gemini's dynamic budget (-1): the model decides how much to think.
     */
    private static void thinking(ObjectNode in, ObjectNode c) {
        Integer budget = null;
        JsonNode effort = in.get("reasoning_effort");
        if (effort != null && effort.isTextual()) {
            budget = ReasoningEffort.budget(effort.asText());
            if (budget == null) {
                throw GatewayException.badRequest("reasoning_effort must be one of none, minimal, low, medium, high.", "reasoning_effort");
            }
        }
        JsonNode thinking = in.get("thinking");
        if (thinking != null && thinking.isObject()) {
            switch (thinking.path("type").asText()) {
                case "disabled" -> budget = 0;
                case "adaptive" -> budget = -1;
                default -> {
                    if (thinking.path("budget_tokens").isNumber()) budget = thinking.get("budget_tokens").asInt();
                }
            }
        }
        if (budget == null) return;
        ObjectNode tc = c.putObject("thinkingConfig").put("thinkingBudget", budget);
        // Thoughts are only returned on request; they become reasoning_content.
        if (budget != 0) tc.put("includeThoughts", true);
    }

    private static ArrayNode tools(JsonNode tools) {
        ArrayNode out = Json.array();
        if (tools == null || !tools.isArray()) return out;
        ArrayNode declarations = Json.array();
        for (JsonNode t : tools) {
            JsonNode fn = t.get("function");
            if (fn != null && fn.isObject()) {
                ObjectNode d = declarations.addObject();
                d.put("name", fn.path("name").asText(""));
                if (fn.hasNonNull("description")) d.put("description", fn.get("description").asText());
                JsonNode params = fn.get("parameters");
                if (params != null && params.isObject() && !GeminiSchema.hasNoProperties(params)) {
                    d.set("parameters", GeminiSchema.clean(params));
                }
                continue;
            }
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                String builtIn = BUILT_IN_TOOLS.get(e.getKey());
                if (builtIn != null) out.addObject().set(builtIn, e.getValue().isObject() ? e.getValue() : Json.object());
            }
        }
        if (!declarations.isEmpty()) out.insertObject(0).set("functionDeclarations", declarations);
        return out;
    }

    private static ObjectNode toolConfig(JsonNode choice) {
        if (choice == null || choice.isNull()) return null;
        ObjectNode config = Json.object();
        ObjectNode fcc = config.putObject("functionCallingConfig");
        if (choice.isTextual()) {
            switch (choice.asText()) {
                case "auto" -> fcc.put("mode", "AUTO");
                case "none" -> fcc.put("mode", "NONE");
                case "required", "any" -> fcc.put("mode", "ANY");
                default -> throw GatewayException.badRequest("tool_choice must be auto, none, required or a function.", "tool_choice");
            }
            return config;
        }
        String name = choice.path("function").path("name").asText("");
        if (name.isEmpty()) throw GatewayException.badRequest("tool_choice names no function.", "tool_choice");
        fcc.put("mode", "ANY");
        fcc.putArray("allowedFunctionNames").add(name);
        return config;
    }
}
