package dev.aigateway.provider.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.provider.ReasoningEffort;

import java.util.Locale;

/**
 * A Responses API request as an OpenAI chat request, for deployments that do not speak the Responses API. What the
 * chat format cannot carry is either dropped where it only helps the model (reasoning items, whose
 * {@code encrypted_content} only OpenAI can read; {@code store}, {@code metadata}) or, where dropping it would change
 * the answer (a built-in tool, a file input, an item reference), marked so that a translated attempt answers a 400
 * naming it ({@link ResponsesApi#untranslatable}) while the request still routes, and still passes through to a
 * deployment that speaks the Responses API.
 */
final class ResponsesRequestTranslator {
    /** Set on a translation that left something out (the first problem, as the 400's message); never sent upstream. */
    static final String UNTRANSLATABLE = "__untranslatable_responses_item";
    /** And the field that problem is about. */
    static final String UNTRANSLATABLE_PARAM = "__untranslatable_responses_param";

    /** The one parameter a {@code custom} tool becomes: the model's free-form text input. */
    static final String CUSTOM_INPUT = "input";

    private ResponsesRequestTranslator() {}

    private static final class Problems {
        String message;
        String param;

        void add(String message, String param) {
            if (this.message == null) {
                this.message = message;
                this.param = param;
            }
        }
    }

    static ObjectNode translate(ObjectNode req) {
        ObjectNode out = Json.object();
        if (req.has("model")) out.set("model", req.get("model"));
        Problems problems = new Problems();
        out.set("messages", messages(req, problems));
        JsonNode maxOut = req.get("max_output_tokens");
        if (maxOut != null && maxOut.isIntegralNumber()) out.put("max_tokens", maxOut.asLong());
        for (String f : new String[] {"temperature", "top_p", "prompt_cache_key", "user", "top_logprobs"}) {
            if (req.hasNonNull(f)) out.set(f, req.get(f));
        }
        if (!req.hasNonNull("user") && req.path("safety_identifier").isTextual()) out.set("user", req.get("safety_identifier"));
        String effort = effort(req.path("reasoning").path("effort"));
        if (effort != null) out.put("reasoning_effort", effort);
        responseFormat(req.path("text").get("format"), out);
        boolean hasTools = tools(req.get("tools"), req.get("tool_choice"), out, problems);
        if (hasTools) {
            JsonNode choice = toolChoice(req.get("tool_choice"));
            if (choice != null) out.set("tool_choice", choice);
            if (req.path("parallel_tool_calls").isBoolean()) out.set("parallel_tool_calls", req.get("parallel_tool_calls"));
        }
        if (req.path("stream").asBoolean(false)) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true);
        }
        if (problems.message != null) {
            out.put(UNTRANSLATABLE, problems.message);
            out.put(UNTRANSLATABLE_PARAM, problems.param);
        }
        return out;
    }

    /**
     * Only the conversation ({@code instructions} and {@code input}) as chat messages, for a chat request that sent
     * Responses-style {@code input} instead of {@code messages}; what chat cannot carry is a 400 here.
     */
    static ArrayNode messagesOnly(ObjectNode req) {
        Problems problems = new Problems();
        ArrayNode msgs = messages(req, problems);
        if (problems.message != null) throw GatewayException.badRequest(problems.message, problems.param);
        return msgs;
    }

    /** OpenAI's efforts; {@code xhigh} (Codex's highest) is {@code high}, the most chat models take; others are left out. */
    private static String effort(JsonNode effort) {
        if (!effort.isTextual()) return null;
        String e = effort.asText().toLowerCase(Locale.ROOT);
        if ("xhigh".equals(e)) return "high";
        return ReasoningEffort.budget(e) == null ? null : e;
    }

    private static ArrayNode messages(ObjectNode req, Problems problems) {
        ArrayNode msgs = Json.array();
        JsonNode instructions = req.get("instructions");
        if (instructions != null && instructions.isTextual() && !instructions.asText().isEmpty()) {
            msgs.addObject().put("role", "system").put("content", instructions.asText());
        }
        JsonNode input = req.get("input");
        if (input == null || input.isNull()) return msgs;
        if (input.isTextual()) {
            msgs.addObject().put("role", "user").put("content", input.asText());
            return msgs;
        }
        for (int i = 0; i < input.size(); i++) item(input.get(i), "input[" + i + "]", msgs, problems);
        return msgs;
    }

    private static void item(JsonNode item, String where, ArrayNode msgs, Problems problems) {
        if (!item.isObject()) throw GatewayException.badRequest("Invalid type for '" + where + "': expected an object.", "input");
        String type = item.path("type").asText(item.has("role") ? "message" : "");
        switch (type) {
            case "message" -> message(item, where, msgs, problems);
            case "function_call" -> toolCall(msgs, item, where, item.path("name").asText(), text(item.get("arguments"), "{}"));
            case "custom_tool_call" -> {
                ObjectNode args = Json.object().put(CUSTOM_INPUT, item.path("input").asText(""));
                toolCall(msgs, item, where, item.path("name").asText(), Json.toString(args));
            }
            case "function_call_output", "custom_tool_call_output" -> {
                String callId = callId(item, where);
                msgs.addObject().put("role", "tool").put("tool_call_id", callId).put("content", output(item.get("output")));
            }
            // a model's reasoning: only the model that wrote it reads encrypted_content; the summary is not an input
            case "reasoning" -> {}
            case "item_reference" -> problems.add(where + ": item_reference needs the response store; send the item itself.", "input");
            default -> problems.add(where + ": input items of type '" + type + "' are only understood by deployments that speak "
                    + "OpenAI's Responses API.", "input");
        }
    }

    private static String callId(JsonNode item, String where) {
        JsonNode id = item.get("call_id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw GatewayException.badRequest("Missing required parameter: '" + where + ".call_id'.", "input");
        }
        return id.asText();
    }

    /** Consecutive calls (and the assistant text before them) are one assistant turn, as a chat request writes them. */
    private static void toolCall(ArrayNode msgs, JsonNode item, String where, String name, String arguments) {
        ObjectNode assistant = null;
        if (!msgs.isEmpty() && msgs.get(msgs.size() - 1) instanceof ObjectNode last && "assistant".equals(last.path("role").asText())) {
            assistant = last;
        }
        if (assistant == null) {
            assistant = msgs.addObject().put("role", "assistant");
            assistant.putNull("content");
        }
        ArrayNode calls = assistant.get("tool_calls") instanceof ArrayNode a ? a : assistant.putArray("tool_calls");
        ObjectNode call = calls.addObject().put("id", callId(item, where)).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
    }

    /** A tool's output: a string, or content parts whose text is joined (chat tool messages carry text). */
    private static String output(JsonNode output) {
        if (output == null || output.isNull()) return "";
        if (output.isTextual()) return output.asText();
        if (output.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode part : output) {
                if (part.path("text").isTextual()) b.append(part.get("text").asText());
            }
            return b.toString();
        }
        return Json.toString(output);
    }

    private static String text(JsonNode v, String fallback) {
        return v != null && v.isTextual() ? v.asText() : fallback;
    }

    private static void message(JsonNode item, String where, ArrayNode msgs, Problems problems) {
        String role = item.path("role").asText("");
        if (!role.equals("user") && !role.equals("assistant") && !role.equals("system") && !role.equals("developer")) {
            throw GatewayException.badRequest("Invalid value for '" + where + ".role': '" + role
                    + "'. Supported values are: 'user', 'assistant', 'system' and 'developer'.", "input");
        }
        JsonNode content = item.get("content");
        ObjectNode m = Json.object().put("role", role);
        if (content == null || content.isNull()) {
            m.put("content", "");
        } else if (content.isTextual()) {
            m.put("content", content.asText());
        } else if (content.isArray()) {
            if (!role.equals("user")) { // chat's system, developer and assistant messages take text
                StringBuilder b = new StringBuilder();
                for (JsonNode part : content) {
                    String t = part.path("type").asText();
                    if (part.path("text").isTextual()) b.append(part.get("text").asText());
                    else if ("refusal".equals(t)) b.append(part.path("refusal").asText(""));
                }
                m.put("content", b.toString());
            } else {
                ArrayNode parts = m.putArray("content");
                for (int i = 0; i < content.size(); i++) part(content.get(i), where + ".content[" + i + "]", parts, problems);
            }
        } else {
            throw GatewayException.badRequest("Invalid type for '" + where + ".content': expected a string or an array of content parts.", "input");
        }
        msgs.add(m);
    }

    private static void part(JsonNode part, String where, ArrayNode parts, Problems problems) {
        String type = part.path("type").asText("");
        switch (type) {
            case "input_text", "output_text", "text" -> parts.addObject().put("type", "text").put("text", part.path("text").asText(""));
            case "input_image" -> {
                JsonNode url = part.get("image_url");
                if (url == null || !url.isTextual()) {
                    problems.add(where + ": images given by file_id are only understood by deployments that speak OpenAI's Responses API.", "input");
                    return;
                }
                ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url").put("url", url.asText());
                if (part.path("detail").isTextual()) image.set("detail", part.get("detail"));
            }
            default -> problems.add(where + ": content of type '" + type + "' is only understood by deployments that speak "
                    + "OpenAI's Responses API.", "input");
        }
    }

    /** {@code text.format}: json_schema and json_object become chat's response_format; text is the default. */
    private static void responseFormat(JsonNode format, ObjectNode out) {
        if (format == null || !format.isObject()) return;
        switch (format.path("type").asText()) {
            case "json_schema" -> {
                ObjectNode schema = out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                for (String f : new String[] {"name", "description", "schema", "strict"}) {
                    if (format.has(f)) schema.set(f, format.get(f));
                }
            }
            case "json_object" -> out.putObject("response_format").put("type", "json_object");
            default -> {}
        }
    }

    /**
     * Function tools as chat tools; custom tools as a function of one string; a namespace's tools as top-level ones
     * (Codex groups its multi-agent tools in one). Hosted tools ({@code web_search}, {@code file_search}, ...) run
     * only at OpenAI: a translated attempt offers the model the others and leaves them out (Codex offers web_search
     * on every turn), unless {@code tool_choice} forces one, which only a deployment speaking the API can honour.
     */
    private static boolean tools(JsonNode tools, JsonNode toolChoice, ObjectNode out, Problems problems) {
        if (tools == null || !tools.isArray() || tools.isEmpty()) return false;
        ArrayNode chat = Json.array();
        String forced = toolChoice != null && toolChoice.isObject() ? toolChoice.path("type").asText("") : "";
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String type = t.path("type").asText("");
            if (type.equals("namespace")) {
                JsonNode inner = t.path("tools");
                for (int j = 0; j < inner.size(); j++) tool(inner.get(j), "tools[" + i + "].tools[" + j + "]", forced, chat, problems);
            } else {
                tool(t, "tools[" + i + "]", forced, chat, problems);
            }
        }
        if (chat.isEmpty()) return false;
        out.set("tools", chat);
        return true;
    }

    private static void tool(JsonNode t, String where, String forcedType, ArrayNode chat, Problems problems) {
        String type = t.path("type").asText("");
        switch (type) {
            case "function" -> {
                ObjectNode fn = chat.addObject().put("type", "function").putObject("function");
                fn.set("name", t.get("name"));
                if (t.hasNonNull("description")) fn.set("description", t.get("description"));
                fn.set("parameters", t.hasNonNull("parameters") ? t.get("parameters") : Json.object().put("type", "object"));
                if (t.path("strict").isBoolean()) fn.set("strict", t.get("strict"));
            }
            case "custom" -> chat.add(customAsFunction(t));
            default -> {
                if (type.equals(forcedType)) {
                    problems.add(where + ": 'tool_choice' forces '" + type + "', a built-in tool of OpenAI's Responses API: only "
                            + "deployments that speak that API run it. Use an openai/ or azure/ deployment.", "tool_choice");
                }
            }
        }
    }

    /**
     * A custom (free-form) tool, e.g. Codex's {@code apply_patch}, as a function taking its text in one string
     * parameter; the grammar the text must follow, if any, goes into the description so the model can follow it.
     */
    private static ObjectNode customAsFunction(JsonNode t) {
        ObjectNode tool = Json.object().put("type", "function");
        ObjectNode fn = tool.putObject("function");
        fn.set("name", t.get("name"));
        StringBuilder description = new StringBuilder(t.path("description").asText(""));
        JsonNode format = t.path("format");
        if ("grammar".equals(format.path("type").asText()) && format.path("definition").isTextual()) {
            if (!description.isEmpty()) description.append("\n\n");
            description.append("The input must follow this ").append(format.path("syntax").asText("grammar"))
                    .append(" grammar:\n").append(format.get("definition").asText());
        }
        if (!description.isEmpty()) fn.put("description", description.toString());
        ObjectNode params = fn.putObject("parameters").put("type", "object");
        params.putObject("properties").putObject(CUSTOM_INPUT).put("type", "string").put("description", "The tool's raw text input.");
        params.putArray("required").add(CUSTOM_INPUT);
        params.put("additionalProperties", false);
        return tool;
    }

    private static JsonNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) return null;
        if (choice.isTextual()) return choice;
        String type = choice.path("type").asText();
        if (("function".equals(type) || "custom".equals(type)) && choice.path("name").isTextual()) {
            ObjectNode out = Json.object().put("type", "function");
            out.putObject("function").put("name", choice.get("name").asText());
            return out;
        }
        return null; // allowed_tools, built-in tool choices: the model chooses
    }
}
