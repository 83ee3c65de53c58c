package dev.aigateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ReasoningEffort;
import dev.aigateway.pricing.PriceTable;

/**
 * An OpenAI chat request -> an Anthropic Messages API request. Parameters Anthropic has no counterpart for
 * (n, seed, penalties, logprobs, logit_bias) are dropped, as LiteLLM does with drop_params.
 */
final class AnthropicRequestTranslator {
    static final long FALLBACK_MAX_TOKENS = 4096;

    private AnthropicRequestTranslator() {}

    static ObjectNode translate(ObjectNode body, Deployment deployment, boolean stream) {
        ObjectNode out = Json.object();
        out.put("model", deployment.model());
        out.put("max_tokens", maxTokens(body, deployment));

        AnthropicMessageTranslator.Result conversation = AnthropicMessageTranslator.translate(body.get("messages"));
        JsonNode system = withResponseFormat(conversation.system(), body.get("response_format"));
        if (system != null) out.set("system", system);
        out.set("messages", conversation.messages());

        JsonNode stop = body.get("stop");
        if (stop != null && stop.isTextual()) out.putArray("stop_sequences").add(stop.asText());
        else if (stop != null && stop.isArray() && !stop.isEmpty()) out.set("stop_sequences", stop);
        copyNumber(body, out, "temperature");
        copyNumber(body, out, "top_p");
        copyNumber(body, out, "top_k");
        JsonNode user = body.get("user");
        if (user != null && user.isTextual()) out.putObject("metadata").put("user_id", user.asText());

        tools(body, out);
        thinking(body, out);
        if (stream) out.put("stream", true);
        return out;
    }

    /**
     * Anthropic requires max_tokens; when the client gave none: the deployment's {@code max_tokens}, else the
     * model's maximum output from model_info or the price table, else a fallback.
     */
    static long defaultMaxTokens(Deployment deployment) {
        Long configured = deployment.longParam("max_tokens");
        if (configured != null && configured > 0) return configured;
        Long fromInfo = deployment.modelInfo() == null ? null : PriceTable.fromJson(deployment.modelInfo()).maxOutputTokens();
        if (fromInfo != null && fromInfo > 0) return fromInfo;
        Long fromTable = PriceTable.bundled().lookup("anthropic", deployment.model()).maxOutputTokens();
        return fromTable != null && fromTable > 0 ? fromTable : FALLBACK_MAX_TOKENS;
    }

    private static long maxTokens(ObjectNode body, Deployment deployment) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode n = body.get(field);
            if (n == null || n.isNull()) continue;
            if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 1) {
                throw GatewayException.badRequest("'" + field + "' must be a positive integer.", field);
            }
            return n.asLong();
        }
        return defaultMaxTokens(deployment);
    }

    private static void copyNumber(ObjectNode from, ObjectNode to, String field) {
        JsonNode n = from.get(field);
        if (n != null && n.isNumber()) to.set(field, n);
    }

    private static void tools(ObjectNode body, ObjectNode out) {
        JsonNode tools = body.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) return; // tool_choice without tools means nothing
        ArrayNode translated = out.putArray("tools");
        for (JsonNode tool : tools) {
            JsonNode fn = tool.get("function");
            if (fn == null || !fn.isObject()) {
                // Not an OpenAI function tool: an Anthropic-native tool (web_search_..., bash_...) given as is.
                translated.add(tool);
                continue;
            }
            ObjectNode t = translated.addObject();
            t.put("name", fn.path("name").asText());
            if (fn.hasNonNull("description")) t.put("description", fn.get("description").asText());
            JsonNode schema = fn.get("parameters");
            if (schema != null && schema.isObject()) t.set("input_schema", schema);
            else t.putObject("input_schema").put("type", "object").putObject("properties");
            if (tool.has("cache_control")) t.set("cache_control", tool.get("cache_control"));
        }
        ObjectNode choice = toolChoice(body.get("tool_choice"));
        JsonNode parallel = body.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
            if (choice == null) choice = Json.object().put("type", "auto");
            if (!"none".equals(choice.path("type").asText())) choice.put("disable_parallel_tool_use", true);
        }
        if (choice != null) out.set("tool_choice", choice);
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) return null;
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> Json.object().put("type", "auto");
                case "required" -> Json.object().put("type", "any");
                case "none" -> Json.object().put("type", "none");
                default -> throw GatewayException.badRequest(
                        "'tool_choice' must be auto, required, none or a function.", "tool_choice");
            };
        }
        String name = choice.path("function").path("name").asText("");
        if (name.isEmpty()) throw GatewayException.badRequest("'tool_choice.function.name' is required.", "tool_choice");
        return Json.object().put("type", "tool").put("name", name);
    }

    /**
     * JSON mode, best effort: the stable Messages API (2023-06-01) has no response_format, so the schema
     * becomes a system instruction. The answer is not validated against it.
     */
    private static JsonNode withResponseFormat(JsonNode system, JsonNode format) {
        String instruction = switch (format == null ? "" : format.path("type").asText("")) {
            case "json_object" -> "Respond only with a valid JSON object, without any other text or code fences.";
            case "json_schema" -> "Respond only with a JSON object, without any other text or code fences, that matches this JSON schema: "
                    + format.path("json_schema").path("schema").toString();
            default -> null;
        };
        if (instruction == null) return system;
        if (system == null) return Json.MAPPER.getNodeFactory().textNode(instruction);
        if (system.isTextual()) return Json.MAPPER.getNodeFactory().textNode(system.asText() + "\n\n" + instruction);
        ArrayNode blocks = ((ArrayNode) system).deepCopy();
        blocks.addObject().put("type", "text").put("text", instruction);
        return blocks;
    }

    /**
     * reasoning_effort -> extended thinking. Anthropic counts the thinking budget inside max_tokens, so a
     * max_tokens at or below the budget is raised to leave the client's amount for the answer; and it
     * refuses temperature, top_k and a low top_p alongside thinking, so those are dropped.
     */
    private static void thinking(ObjectNode body, ObjectNode out) {
        JsonNode thinking = body.get("thinking"); // Anthropic's own parameter, as LiteLLM accepts it
        if (thinking == null || !thinking.isObject()) {
            JsonNode effort = body.get("reasoning_effort");
            if (effort == null || effort.isNull()) return;
            Integer effortBudget = ReasoningEffort.budget(effort.asText());
            if (effortBudget == null) {
                throw GatewayException.badRequest("'reasoning_effort' must be none, minimal, low, medium or high.", "reasoning_effort");
            }
            if (effortBudget == 0) return;
            long budget = Math.max(ReasoningEffort.LOW, effortBudget); // Anthropic's smallest budget
            thinking = Json.object().put("type", "enabled").put("budget_tokens", budget);
        }
        out.set("thinking", thinking);
        if (!"enabled".equals(thinking.path("type").asText())) return;
        long budget = thinking.path("budget_tokens").asLong(0);
        long maxTokens = out.get("max_tokens").asLong();
        if (maxTokens <= budget) out.put("max_tokens", budget + maxTokens);
        out.remove("temperature");
        out.remove("top_k");
        if (out.path("top_p").asDouble(1) < 0.95) out.remove("top_p");
    }
}
