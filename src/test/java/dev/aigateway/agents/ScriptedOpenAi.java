package dev.aigateway.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.openai.FakeOpenAi;
import io.vertx.core.http.HttpServerRequest;

/**
 * OpenAI's Chat Completions (FakeOpenAi's exact wire format) playing {@link AgentScript}: a request offering the
 * {@code Write} function gets a tool call, a request whose last message is a {@code tool} result gets the final
 * text, anything else a short text.
 */
final class ScriptedOpenAi extends FakeOpenAi {
    static final String KEY = "sk-openai-upstream-test-key";

    private final AgentScript script;

    ScriptedOpenAi(AgentScript script) {
        super(KEY);
        this.script = script;
    }

    @Override
    protected void handle(HttpServerRequest req, Recorded recorded, Scenario ignored) {
        super.handle(req, recorded, choose(recorded));
    }

    private Scenario choose(Recorded recorded) {
        if (!"POST".equals(recorded.method()) || recorded.body().length() == 0) return new Scenario.Text("ok");
        JsonNode body = recorded.json();
        JsonNode messages = body.path("messages");
        boolean toolResult = !messages.isEmpty() && "tool".equals(messages.get(messages.size() - 1).path("role").asText());
        if (toolResult) return new Scenario.Text(AgentScript.FINAL_TEXT);
        if (AgentScript.offersTool(body, "Write")) return new Scenario.ToolCall("Write", script.writeInput().toString());
        return new Scenario.Text("ok");
    }
}
