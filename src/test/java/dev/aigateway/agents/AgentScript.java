package dev.aigateway.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Json;

import java.nio.file.Path;

/**
 * The one agent turn the scripted upstreams play, in terms of what the agent sends: write {@link #FILE_NAME} with
 * {@link #FILE_CONTENT} through the agent's {@code Write} tool, then answer {@link #FINAL_TEXT} once the tool's
 * result comes back. Shared by the Anthropic and the OpenAI fakes so both runs check the same loop.
 */
record AgentScript(Path workDir) {
    static final String FILE_NAME = "hello.txt";
    static final String FILE_CONTENT = "hello from the gateway\n";
    static final String FINAL_TEXT = "Wrote hello.txt through the gateway.";
    static final String TOOL_USE_ID = "toolu_01GatewayAgentLoop";
    /** Codex's turn: the shell command its {@code exec_command} tool runs; it writes the file and prints it back. */
    static final String SHELL_COMMAND = "printf 'hello from the gateway\\n' > " + FILE_NAME + " && cat " + FILE_NAME;
    /** Codex's shell tool in 0.171 (unified exec): a function tool whose one required argument is {@code cmd}. */
    static final String CODEX_SHELL_TOOL = "exec_command";
    /** A question that continues a finished loop (the Agents SDK's second run); the fakes answer it {@link #FOLLOW_UP_ANSWER}. */
    static final String FOLLOW_UP = "Which file did you write?";
    static final String FOLLOW_UP_ANSWER = "I wrote hello.txt, as you asked.";

    /** The Write tool's input: Claude Code's Write wants an absolute path. */
    ObjectNode writeInput() {
        return Json.object().put("file_path", workDir.resolve(FILE_NAME).toString()).put("content", FILE_CONTENT);
    }

    /** Codex's {@code exec_command} arguments running {@link #SHELL_COMMAND} (in the turn's working directory). */
    static ObjectNode execCommandInput() {
        return Json.object().put("cmd", SHELL_COMMAND);
    }

    /** The Agents SDK test's {@code write_file} function tool: a path relative to the agent's working directory. */
    static final String WRITE_FILE_TOOL = "write_file";

    /** {@link #WRITE_FILE_TOOL}'s arguments writing {@link #FILE_NAME}. */
    static ObjectNode writeFileInput() {
        return Json.object().put("path", FILE_NAME).put("content", FILE_CONTENT);
    }

    /** A Responses API request whose last input item returns a function's output. */
    static boolean endsWithFunctionCallOutput(JsonNode responsesBody) {
        JsonNode input = responsesBody.path("input");
        return !input.isEmpty() && "function_call_output".equals(input.get(input.size() - 1).path("type").asText());
    }

    /** An Anthropic request whose last message returns a tool's result. */
    static boolean endsWithToolResult(JsonNode anthropicBody) {
        JsonNode messages = anthropicBody.path("messages");
        if (messages.isEmpty()) return false;
        JsonNode last = messages.get(messages.size() - 1);
        for (JsonNode block : last.path("content")) {
            if ("tool_result".equals(block.path("type").asText())) return true;
        }
        return false;
    }

    /** An Anthropic or Responses API request whose last message is the user asking {@link #FOLLOW_UP}. */
    static boolean asksFollowUp(JsonNode body) {
        JsonNode turns = body.has("messages") ? body.path("messages") : body.path("input");
        if (turns.isTextual()) return turns.asText().contains(FOLLOW_UP);
        if (turns.isEmpty()) return false;
        JsonNode last = turns.get(turns.size() - 1);
        if (!"user".equals(last.path("role").asText())) return false;
        JsonNode content = last.path("content");
        if (content.isTextual()) return content.asText().contains(FOLLOW_UP);
        for (JsonNode part : content) if (part.path("text").asText().contains(FOLLOW_UP)) return true;
        return false;
    }

    /** An Anthropic or OpenAI request that offers a tool of this name. */
    static boolean offersTool(JsonNode body, String name) {
        for (JsonNode tool : body.path("tools")) {
            if (name.equals(tool.path("name").asText()) || name.equals(tool.path("function").path("name").asText())) return true;
        }
        return false;
    }
}
