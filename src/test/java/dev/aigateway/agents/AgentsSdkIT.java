package dev.aigateway.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream.Recorded;
import dev.aigateway.testing.TestGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real OpenAI Agents SDK for JavaScript ({@code @openai/agents}) runs an agent through a real gateway: its OpenAI
 * client's base URL is the gateway's {@code /v1}, its key a developer's virtual key, its API the Responses API. The
 * script ({@code agents-sdk/agent-loop.mjs}) gives the agent one function tool, {@code write_file}; the upstream
 * answers a {@code function_call} of it, the SDK writes {@link AgentScript#FILE_NAME} and sends the
 * {@code function_call_output}, the upstream answers {@link AgentScript#FINAL_TEXT}. A second run continues the
 * first run's last response with {@code previousResponseId} and asks {@link AgentScript#FOLLOW_UP}.
 *
 * <p>Through an {@code openai/} deployment the Responses API passes through and the upstream gets the
 * {@code previous_response_id}; through an {@code anthropic/} one (bridged through the chat translation, streamed
 * and not) the gateway stored the Response it wrote, and the continuation reaches Anthropic as the whole
 * conversation. A {@link RecordingProxy} between the SDK and the gateway records what the SDK sent
 * (target/failsafe-reports/dev.aigateway.agents.AgentsSdkIT-output.txt).
 *
 * <p>Skipped, loudly, when node or the pinned SDK is not installed ({@code .ci/run} installs it from npm).
 */
class AgentsSdkIT {
    static final String OPENAI_MODEL = "gpt-5.1";
    static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";
    static final String PROMPT = "Create the file hello.txt containing a greeting.";
    static final String INSTRUCTIONS = "You write files when asked. Answer briefly.";
    static final long RUN_TIMEOUT_SECONDS = 120;
    /** LiteLLM's {@code call_type} for a {@code /v1/responses} call in /spend/logs. */
    static final String RESPONSES_CALL_TYPE = "aresponses";

    static AgentsSdk sdk;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findSdk() {
        StringBuilder why = new StringBuilder();
        sdk = AgentsSdk.find(why).orElse(null);
        assumeTrue(sdk != null, "SKIPPED: the OpenAI Agents SDK cannot run: " + why + ". .ci/run installs it; by hand: npm install --prefix "
                + AgentsSdk.INSTALL_DIR + " @openai/agents@" + AgentsSdk.PINNED_VERSION);
    }

    @Test
    void agentThroughAnOpenAiDeployment() throws Exception {
        try (ScriptedResponses upstream = new ScriptedResponses(AgentScript.WRITE_FILE_TOOL, AgentScript::writeFileInput);
             TestGateway gw = TestGateway.start(AgentGateway.config(OPENAI_MODEL, "openai/" + OPENAI_MODEL, upstream.openAiBase(), ScriptedResponses.KEY))) {
            Loop loop = runThroughGateway(gw, OPENAI_MODEL, false);
            printSent("the openai/ deployment received", upstream.requests(), null);
            check(gw, loop);

            List<Recorded> turns = upstream.requests();
            assertThat(turns).as("the tool turn, the answer, the continuation, the chained tool turn and its answer").hasSize(5)
                    .allSatisfy(r -> {
                        assertThat(r.method() + " " + r.path()).isEqualTo("POST /v1/responses");
                        assertThat(r.headers().get("authorization")).as("the deployment's key, never the virtual key").isEqualTo("Bearer " + ScriptedResponses.KEY);
                        assertThat(r.json().path("model").asText()).isEqualTo(OPENAI_MODEL);
                        assertThat(r.json().path("instructions").asText()).isEqualTo(INSTRUCTIONS);
                        assertThat(AgentScript.offersTool(r.json(), AgentScript.WRITE_FILE_TOOL)).isTrue();
                    });
            JsonNode tool = turns.get(0).json().path("tools").get(0);
            assertThat(tool.path("type").asText()).isEqualTo("function");
            assertThat(tool.path("strict").asBoolean(false)).as("the SDK's zod tool is strict: %s", tool).isTrue();
            assertThat(tool.path("parameters").path("required")).as(tool.toString()).hasSize(2);
            JsonNode toolTurn = turns.get(1).json();
            assertThat(AgentScript.endsWithFunctionCallOutput(toolTurn)).isTrue();
            JsonNode output = toolTurn.path("input").get(toolTurn.path("input").size() - 1);
            assertThat(output.path("call_id").asText()).isEqualTo(ScriptedResponses.CALL_ID);
            assertThat(output.path("output").toString()).contains("wrote " + AgentScript.FILE_CONTENT.length() + " bytes to " + AgentScript.FILE_NAME);
            JsonNode continuation = turns.get(2).json();
            assertThat(continuation.path("previous_response_id").asText()).as("a native attempt passes the id on: OpenAI holds the conversation")
                    .isEqualTo(loop.summary().path("first").path("lastResponseId").asText());
            assertThat(continuation.path("input")).as("only the new question goes up").hasSize(1);
            assertThat(AgentScript.asksFollowUp(continuation)).isTrue();
            JsonNode chainedOutput = turns.get(4).json();
            assertThat(chainedOutput.path("previous_response_id").asText()).as("the chained tool output names the response that called the tool")
                    .isEqualTo(loop.summary().path("third").path("responseIds").get(0).asText());
            assertThat(chainedOutput.path("input")).hasSize(1);
            assertThat(AgentScript.endsWithFunctionCallOutput(chainedOutput)).isTrue();
        }
    }

    @Test
    void agentBridgedToAnAnthropicDeployment() throws Exception {
        bridgedToAnthropic(false);
    }

    @Test
    void streamedAgentBridgedToAnAnthropicDeployment() throws Exception {
        bridgedToAnthropic(true);
    }

    private void bridgedToAnthropic(boolean stream) throws Exception {
        try (ScriptedAnthropic upstream = new ScriptedAnthropic(AgentScript.WRITE_FILE_TOOL, AgentScript::writeFileInput);
             TestGateway gw = TestGateway.start(AgentGateway.config(ANTHROPIC_MODEL, "anthropic/" + ANTHROPIC_MODEL, upstream.host(), ScriptedAnthropic.KEY))) {
            Loop loop = runThroughGateway(gw, ANTHROPIC_MODEL, stream);
            printSent("the anthropic/ deployment received", upstream.requests(), null);
            check(gw, loop);

            List<Recorded> messages = upstream.requests();
            assertThat(messages).as("the tool turn, the answer, the continuation, the chained tool turn and its answer").hasSize(5)
                    .allSatisfy(r -> {
                        assertThat(r.method() + " " + r.path()).isEqualTo("POST /v1/messages");
                        assertThat(r.headers().get("x-api-key")).as("the deployment's key, never the virtual key").isEqualTo(ScriptedAnthropic.KEY);
                        assertThat(r.json().path("stream").asBoolean(false)).isEqualTo(stream);
                        assertThat(AgentScript.offersTool(r.json(), AgentScript.WRITE_FILE_TOOL)).isTrue();
                    });
            assertThat(messages.get(2).json().toString()).as("the instructions sent again with the continuation").contains(INSTRUCTIONS);

            // The continuation named only the stored response and the new question; the gateway expanded it.
            String firstLast = loop.summary().path("first").path("lastResponseId").asText();
            Recorded sentContinuation = loop.proxy().sent().get(2);
            assertThat(sentContinuation.json().path("previous_response_id").asText()).isEqualTo(firstLast);
            List<String> toolLoop = List.of(
                    "user: text " + PROMPT,
                    "assistant: tool_use " + AgentScript.WRITE_FILE_TOOL + " " + AgentScript.writeFileInput(),
                    "user: tool_result " + AgentScript.TOOL_USE_ID + " wrote " + AgentScript.FILE_CONTENT.length() + " bytes to " + AgentScript.FILE_NAME);
            List<String> expected = new ArrayList<>(toolLoop);
            expected.add("assistant: text " + AgentScript.FINAL_TEXT);
            expected.add("user: text " + AgentScript.FOLLOW_UP);
            assertThat(conversation(messages.get(2).json())).as("the whole conversation reached Anthropic").isEqualTo(expected);
            // The chained loop: the SDK sent only the tool's output and the id of the response holding the call.
            expected.add("assistant: text " + AgentScript.FOLLOW_UP_ANSWER);
            expected.addAll(toolLoop);
            assertThat(conversation(messages.get(4).json())).as("the chained tool output reached Anthropic after the whole conversation")
                    .isEqualTo(expected);

            var stored = gw.get("/v1/responses/" + firstLast, loop.key());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            assertThat(TestGateway.json(stored).path("output").toString()).contains(AgentScript.FINAL_TEXT);
        }
    }

    /** Each message as "role: type detail", text blocks and a string content alike, one line per block. */
    private static List<String> conversation(JsonNode anthropicBody) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : anthropicBody.path("messages")) {
            String role = m.path("role").asText();
            JsonNode content = m.path("content");
            if (content.isTextual()) {
                out.add(role + ": text " + content.asText());
                continue;
            }
            for (JsonNode b : content) {
                String type = b.path("type").asText();
                out.add(role + ": " + type + " " + switch (type) {
                    case "text" -> b.path("text").asText();
                    case "tool_use" -> b.path("name").asText() + " " + b.path("input");
                    case "tool_result" -> b.path("tool_use_id").asText() + " " + (b.path("content").isTextual()
                            ? b.path("content").asText() : b.path("content").path(0).path("text").asText());
                    default -> b.toString();
                });
            }
        }
        return out;
    }

    // ---- running the SDK

    /** One run of the script through the gateway: the developer's key, what the SDK sent, the script's summary. */
    record Loop(AgentsSdk.Run run, JsonNode summary, RecordingProxy proxy, String key, Path work, boolean stream) {}

    private Loop runThroughGateway(TestGateway gw, String model, boolean stream) throws IOException, InterruptedException {
        var generated = gw.post("/key/generate", """
                {"key_alias": "dev-alice", "models": ["%s"], "max_budget": 5, "budget_duration": "30d"}""".formatted(model));
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String key = TestGateway.json(generated).path("key").asText();
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        RecordingProxy proxy = new RecordingProxy(gw.server().port());
        try {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("AGENT_BASE_URL", proxy.host() + "/v1");
            env.put("AGENT_API_KEY", key);
            env.put("AGENT_MODEL", model);
            env.put("AGENT_STREAM", Boolean.toString(stream));
            env.put("AGENT_PROMPT", PROMPT);
            env.put("AGENT_FOLLOW_UP", AgentScript.FOLLOW_UP);
            AgentsSdk.Run run = sdk.run(tmp.resolve("sdk"), work, env, RUN_TIMEOUT_SECONDS);
            System.out.println("== @openai/agents -> gateway (model " + model + ", stream " + stream + "): exit " + run.exitCode()
                    + "\n-- stdout:\n" + run.stdout() + "\n-- stderr (last 3000 chars):\n" + tail(run.stderr(), 3000));
            printSent("the Agents SDK sent to the gateway", proxy.sent(), proxy);
            assertThat(run.exitCode()).as("the script's exit code; stderr: %s", tail(run.stderr(), 3000)).isZero();
            return new Loop(run, run.summary(), proxy, key, work, stream);
        } finally {
            proxy.close();
        }
    }

    // ---- the checks

    /** What every deployment must give the SDK: both runs done, every call answered 200 and billed to the key. */
    private static void check(TestGateway gw, Loop loop) throws IOException, InterruptedException {
        JsonNode s = loop.summary();
        assertThat(s.path("sdkVersion").asText()).isEqualTo(AgentsSdk.PINNED_VERSION);
        JsonNode first = s.path("first");
        assertThat(first.path("finalOutput").asText()).isEqualTo(AgentScript.FINAL_TEXT);
        assertThat(first.path("toolCalls")).hasSize(1);
        JsonNode call = first.path("toolCalls").get(0);
        assertThat(call.path("name").asText()).isEqualTo(AgentScript.WRITE_FILE_TOOL);
        assertThat(Json.parse(call.path("arguments").asText())).as("the arguments arrived whole").isEqualTo(AgentScript.writeFileInput());
        assertThat(first.path("toolOutputs").get(0).path("output").asText())
                .isEqualTo("wrote " + AgentScript.FILE_CONTENT.length() + " bytes to " + AgentScript.FILE_NAME);
        assertThat(loop.work().resolve(AgentScript.FILE_NAME)).as("the SDK ran the tool the model called").exists();
        assertThat(Files.readString(loop.work().resolve(AgentScript.FILE_NAME))).isEqualTo(AgentScript.FILE_CONTENT);
        assertThat(first.path("responseIds")).hasSize(2);
        assertThat(first.path("lastResponseId").asText()).isEqualTo(first.path("responseIds").get(1).asText()).startsWith("resp_");
        JsonNode second = s.path("second");
        assertThat(second.path("finalOutput").asText()).isEqualTo(AgentScript.FOLLOW_UP_ANSWER);
        assertThat(second.path("toolCalls")).isEmpty();
        JsonNode third = s.path("third");
        assertThat(third.path("finalOutput").asText()).isEqualTo(AgentScript.FINAL_TEXT);
        assertThat(third.path("toolCalls")).hasSize(1);
        assertThat(third.path("responseIds")).hasSize(2);
        if (loop.stream()) {
            assertThat(first.path("streamEvents").asInt()).as("the SDK consumed the gateway's stream events").isGreaterThan(4);
        }

        List<Recorded> sent = loop.proxy().sent();
        assertThat(sent).as("the SDK talked only to the gateway's /v1/responses, with the virtual key").hasSize(5)
                .allSatisfy(r -> {
                    assertThat(r.method() + " " + r.path()).isEqualTo("POST /v1/responses");
                    assertThat(r.headers().get("authorization")).isEqualTo("Bearer " + loop.key());
                    assertThat(r.json().path("stream").asBoolean(false)).isEqualTo(loop.stream());
                    assertThat(loop.proxy().answer(r).status()).as("gateway answer: %s", loop.proxy().answer(r).errorBody()).isEqualTo(200);
                });
        assertThat(sent.get(0).json().has("previous_response_id")).isFalse();
        assertThat(sent.get(1).json().has("previous_response_id")).as("without previousResponseId the SDK resends the whole run").isFalse();
        assertThat(sent.get(2).json().path("previous_response_id").asText()).isEqualTo(first.path("lastResponseId").asText());
        assertThat(sent.get(3).json().path("previous_response_id").asText()).isEqualTo(second.path("lastResponseId").asText());
        JsonNode chained = sent.get(4).json();
        assertThat(chained.path("previous_response_id").asText()).isEqualTo(third.path("responseIds").get(0).asText());
        assertThat(chained.path("input")).as("only the tool's output: %s", chained.path("input")).hasSize(1);
        assertThat(AgentScript.endsWithFunctionCallOutput(chained)).isTrue();

        JsonNode info = TestGateway.json(gw.get("/key/info?key=" + URLEncoder.encode(loop.key(), StandardCharsets.UTF_8), TestGateway.MASTER_KEY));
        assertThat(info.path("info").path("spend").asDouble()).as(info.toString()).isGreaterThan(0);
        JsonNode rows = AgentGateway.spendRows(gw, loop.key(), sent.size());
        assertThat(rows.size()).as("one spend row per SDK call: %s", rows).isEqualTo(sent.size());
        for (JsonNode row : rows) {
            assertThat(row.path("call_type").asText()).isEqualTo(RESPONSES_CALL_TYPE);
            assertThat(row.path("spend").asDouble()).isGreaterThan(0);
            assertThat(row.path("status").asText()).isEqualTo("success");
        }
        System.out.println("-- spend: key " + info.path("info").path("spend").asDouble() + " USD over " + rows.size() + " rows; user agent "
                + rows.get(0).path("metadata").path("user_agent").asText());
    }

    /** Every request: path, answer, headers (the key's value left out), the body's fields (as CodexIT describes them). */
    private static void printSent(String title, List<Recorded> requests, RecordingProxy proxy) {
        System.out.println("-- " + title + ": " + requests.size() + " request(s)");
        for (Recorded r : requests) {
            RecordingProxy.Answer a = proxy == null ? null : proxy.answer(r);
            System.out.println("  " + r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query())
                    + (proxy == null ? "" : " -> " + (a == null ? "(no answer)" : a.status() + " " + a.contentType() + (a.errorBody().isEmpty() ? "" : " " + a.errorBody()))));
            r.headers().names().stream().sorted().forEach(h -> System.out.println("    " + h + ": "
                    + (h.equalsIgnoreCase("authorization") || h.equalsIgnoreCase("x-api-key") ? "(set)" : r.headers().get(h))));
            if (r.body().length() > 0) System.out.println("    body: " + CodexIT.describe(r.json()));
        }
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }
}
