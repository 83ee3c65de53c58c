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
 * The real Codex CLI ({@code codex exec}) drives a whole agent loop over OpenAI's Responses API: Codex asks for a
 * turn, the upstream answers a {@code function_call} of Codex's shell tool ({@code exec_command}), Codex runs the
 * command in its working directory (it writes {@link AgentScript#FILE_NAME} and prints it) and sends the
 * {@code function_call_output}, the upstream answers the final text.
 *
 * <p>{@link #codexTalksToTheFakeDirectly} points Codex at {@link ScriptedResponses} itself: it proves the fake speaks
 * the wire format Codex accepts, and prints what Codex sends. The gateway variants put a real gateway in between,
 * Codex configured with the gateway as a {@code wire_api = "responses"} model provider and a developer's virtual
 * key: once to an {@code openai/} deployment (the Responses API passed through) and once to an {@code anthropic/}
 * one (bridged through the chat translation). A {@link RecordingProxy} between Codex and the gateway records what
 * Codex sent and what the gateway answered (target/failsafe-reports/dev.aigateway.agents.CodexIT-output.txt).
 *
 * <p>Skipped, loudly, when the CLI is not installed ({@code .ci/run} installs it from npm).
 */
class CodexIT {
    static final String OPENAI_MODEL = "gpt-5.1-codex";
    static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";
    static final String PROMPT = "Create the file hello.txt in the current directory.";
    static final long CLI_TIMEOUT_SECONDS = 180;
    /** The variable Codex reads the provider's key from ({@code env_key} in config.toml). */
    static final String KEY_VARIABLE = "AI_GATEWAY_API_KEY";
    /** LiteLLM's {@code call_type} for a {@code /v1/responses} call in /spend/logs. */
    static final String RESPONSES_CALL_TYPE = "aresponses";

    static CodexCli cli;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findCli() {
        cli = CodexCli.find().orElse(null);
        assumeTrue(cli != null, "SKIPPED: the Codex CLI is not installed (looked in " + CodexCli.INSTALL_DIR
                + "/node_modules and -Dcodex.bin). .ci/run installs it; by hand: npm install --prefix "
                + CodexCli.INSTALL_DIR + " @openai/codex@" + CodexCli.PINNED_VERSION);
    }

    @Test
    void codexTalksToTheFakeDirectly() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        try (ScriptedResponses upstream = new ScriptedResponses()) {
            Result result = runCodex(upstream.openAiBase(), ScriptedResponses.KEY, OPENAI_MODEL, work);
            printSent("Codex sent straight to the fake", upstream.requests(), null);
            checkCodex(result, work);

            List<Recorded> turns = upstream.requests();
            assertThat(turns).as("Codex called nothing but POST /v1/responses")
                    .allSatisfy(r -> assertThat(r.method() + " " + r.path()).isEqualTo("POST /v1/responses"));
            assertThat(turns).as("the tool turn and the final turn").hasSize(2);
            assertThat(turns).allSatisfy(r -> {
                assertThat(r.headers().get("authorization")).isEqualTo("Bearer " + ScriptedResponses.KEY);
                assertThat(r.headers().get("accept")).isEqualTo("text/event-stream");
                assertThat(r.json().path("stream").asBoolean()).isTrue();
                assertThat(r.json().path("model").asText()).isEqualTo(OPENAI_MODEL);
                assertThat(AgentScript.offersTool(r.json(), AgentScript.CODEX_SHELL_TOOL)).isTrue();
            });
            checkToolOutputItems(turns.get(1).json());
        }
    }

    @Test
    void agentLoopThroughAnOpenAiDeployment() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        try (ScriptedResponses upstream = new ScriptedResponses();
             TestGateway gw = TestGateway.start(AgentGateway.config(OPENAI_MODEL, "openai/" + OPENAI_MODEL, upstream.openAiBase(), ScriptedResponses.KEY))) {
            Loop loop = runThroughGateway(gw, work, OPENAI_MODEL);
            printSent("the openai/ deployment received", upstream.requests(), null);
            check(gw, loop, work, OPENAI_MODEL);

            List<Recorded> turns = upstream.requests().stream().filter(r -> r.path().equals("/v1/responses")).toList();
            assertThat(upstream.requests()).allSatisfy(r -> assertThat(r.headers().get("authorization"))
                    .as("the upstream gets the deployment's key, never the developer's virtual key").isEqualTo("Bearer " + ScriptedResponses.KEY));
            assertThat(turns).as("both of Codex's turns reached the upstream's Responses API").hasSizeGreaterThanOrEqualTo(2);
            JsonNode toolTurn = turns.stream().map(Recorded::json).filter(AgentScript::endsWithFunctionCallOutput).findFirst()
                    .orElseThrow(() -> new AssertionError("no request carried the function_call_output upstream"));
            checkToolOutputItems(toolTurn);
            assertThat(toolTurn.path("model").asText()).isEqualTo(OPENAI_MODEL);
        }
    }

    @Test
    void agentLoopBridgedToAnAnthropicDeployment() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        try (ScriptedAnthropic upstream = new ScriptedAnthropic(AgentScript.CODEX_SHELL_TOOL, AgentScript::execCommandInput);
             TestGateway gw = TestGateway.start(AgentGateway.config(ANTHROPIC_MODEL, "anthropic/" + ANTHROPIC_MODEL, upstream.host(), ScriptedAnthropic.KEY))) {
            Loop loop = runThroughGateway(gw, work, ANTHROPIC_MODEL);
            printSent("the anthropic/ deployment received", upstream.requests(), null);
            check(gw, loop, work, ANTHROPIC_MODEL);

            assertThat(upstream.requests()).allSatisfy(r -> assertThat(r.headers().get("x-api-key"))
                    .as("the upstream gets the deployment's key, never the developer's virtual key").isEqualTo(ScriptedAnthropic.KEY));
            List<Recorded> messages = upstream.requests().stream().filter(r -> r.path().equals("/v1/messages")).toList();
            assertThat(messages).as("both of Codex's turns reached Anthropic's Messages API").hasSizeGreaterThanOrEqualTo(2);
            JsonNode toolTurn = messages.stream().map(Recorded::json).filter(AgentScript::endsWithToolResult).findFirst()
                    .orElseThrow(() -> new AssertionError("no request carried the tool_result upstream"));
            JsonNode last = toolTurn.path("messages").get(toolTurn.path("messages").size() - 1);
            JsonNode toolResult = null;
            for (JsonNode block : last.path("content")) if ("tool_result".equals(block.path("type").asText())) toolResult = block;
            assertThat(toolResult).isNotNull();
            assertThat(toolResult.path("tool_use_id").asText()).as("Codex's output answers the upstream's tool_use").isEqualTo(AgentScript.TOOL_USE_ID);
            assertThat(toolResult.path("content").toString()).as("the command's output went back upstream")
                    .contains(AgentScript.FILE_CONTENT.strip());
            assertThat(AgentScript.offersTool(toolTurn, AgentScript.CODEX_SHELL_TOOL)).as("Codex's shell tool reached Anthropic as a tool").isTrue();
        }
    }

    // ---- running Codex

    /** What one {@code codex exec} run produced: the process, its last message, the CLI's version. */
    record Result(CleanProcess.Run run, String lastMessage, String version) {}

    /** One run through the gateway: the developer's key, and what Codex sent through the recording proxy. */
    record Loop(Result result, RecordingProxy proxy, String key) {}

    /**
     * {@code codex exec} in {@code work} against {@code baseUrl} with {@code apiKey}, from a fresh CODEX_HOME whose
     * config.toml names that URL as a {@code wire_api = "responses"} model provider; without approvals or a sandbox
     * (CI containers guarantee neither Landlock nor seccomp; the test's working directory is its own).
     */
    private Result runCodex(String baseUrl, String apiKey, String model, Path work) throws IOException, InterruptedException {
        Path home = Files.createDirectories(tmp.resolve("codex-home"));
        Files.writeString(home.resolve("config.toml"), """
                model = "%s"
                model_provider = "gateway"

                [model_providers.gateway]
                name = "AI Gateway"
                base_url = "%s"
                env_key = "%s"
                wire_api = "responses"
                # A refusal shows at once instead of after Codex's backoff.
                request_max_retries = 0
                stream_max_retries = 0
                """.formatted(model, baseUrl, KEY_VARIABLE));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("CODEX_HOME", home.toString());
        env.put(KEY_VARIABLE, apiKey);
        String version = cli.version(home);
        Path lastMessage = tmp.resolve("last-message.txt");
        CleanProcess.Run run = cli.run(List.of("exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox", "--ephemeral",
                "--color", "never", "--json", "-o", lastMessage.toString(), PROMPT), env, work, CLI_TIMEOUT_SECONDS);
        System.out.println("== " + version + " -> " + baseUrl + " (model " + model + "): exit " + run.exitCode() + "\n-- stdout (JSONL events):\n"
                + run.stdout() + "\n-- stderr (last 2000 chars):\n" + tail(run.stderr(), 2000));
        String last = Files.exists(lastMessage) ? Files.readString(lastMessage).strip() : "";
        return new Result(run, last, version);
    }

    private Loop runThroughGateway(TestGateway gw, Path work, String model) throws IOException, InterruptedException {
        var generated = gw.post("/key/generate", """
                {"key_alias": "dev-alice", "models": ["%s"], "max_budget": 5, "budget_duration": "30d"}""".formatted(model));
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String key = TestGateway.json(generated).path("key").asText();
        RecordingProxy proxy = new RecordingProxy(gw.server().port());
        try {
            Result result = runCodex(proxy.host() + "/v1", key, model, work);
            printSent("Codex sent to the gateway", proxy.sent(), proxy);
            return new Loop(result, proxy, key);
        } finally {
            proxy.close();
        }
    }

    // ---- the checks

    /** Codex ran the command the upstream asked for, returned its output, and ended with the final text. */
    private static void checkCodex(Result result, Path work) throws IOException {
        CleanProcess.Run run = result.run();
        assertThat(result.version()).isEqualTo("codex-cli " + CodexCli.PINNED_VERSION);
        assertThat(run.exitCode()).as("codex exit code; stderr: %s", tail(run.stderr(), 2000)).isZero();
        assertThat(result.lastMessage()).isEqualTo(AgentScript.FINAL_TEXT);
        Path file = work.resolve(AgentScript.FILE_NAME);
        assertThat(file).as("Codex ran the shell command the upstream asked for").exists();
        assertThat(Files.readString(file)).isEqualTo(AgentScript.FILE_CONTENT);
        List<JsonNode> events = run.stdout().lines().filter(l -> l.startsWith("{")).map(Json::parse).toList();
        assertThat(events).as("codex exec --json reports the command it ran").anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("item.completed");
            assertThat(e.path("item").path("type").asText()).isEqualTo("command_execution");
            assertThat(e.path("item").path("exit_code").asInt(-1)).isZero();
            assertThat(e.path("item").path("aggregated_output").asText()).isEqualTo(AgentScript.FILE_CONTENT);
        });
        assertThat(events).anySatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("turn.completed"));
    }

    /** The Responses request that returns the command's output: the function_call, then its output, paired by call_id. */
    private static void checkToolOutputItems(JsonNode body) {
        assertThat(AgentScript.endsWithFunctionCallOutput(body)).as("the last input item is the function_call_output").isTrue();
        JsonNode input = body.path("input");
        JsonNode output = input.get(input.size() - 1);
        JsonNode call = input.get(input.size() - 2);
        assertThat(call.path("type").asText()).isEqualTo("function_call");
        assertThat(call.path("name").asText()).isEqualTo(AgentScript.CODEX_SHELL_TOOL);
        assertThat(Json.parse(call.path("arguments").asText())).as("the streamed arguments arrived whole").isEqualTo(AgentScript.execCommandInput());
        assertThat(call.path("call_id").asText()).isEqualTo(ScriptedResponses.CALL_ID);
        assertThat(output.path("call_id").asText()).isEqualTo(ScriptedResponses.CALL_ID);
        assertThat(output.path("output").asText()).as("the command's output went back").contains(AgentScript.FILE_CONTENT.strip());
    }

    /** What every deployment must give Codex: the loop done, every call answered 200 and billed to the developer's key. */
    private static void check(TestGateway gw, Loop loop, Path work, String model) throws IOException, InterruptedException {
        assertThat(loop.proxy().sent()).as("Codex talked only to the gateway's /v1/responses, with the virtual key").isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.method() + " " + r.path()).isEqualTo("POST /v1/responses");
                    assertThat(r.headers().get("authorization")).isEqualTo("Bearer " + loop.key());
                });
        assertThat(loop.proxy().sent()).allSatisfy(r -> assertThat(loop.proxy().answer(r).status())
                .as("gateway answer to %s %s: %s", r.method(), r.path(), loop.proxy().answer(r).errorBody()).isEqualTo(200));
        checkCodex(loop.result(), work);

        int calls = loop.proxy().sent().size();
        String key = loop.key();
        JsonNode info = TestGateway.json(gw.get("/key/info?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8), TestGateway.MASTER_KEY));
        assertThat(info.path("info").path("spend").asDouble()).as(info.toString()).isGreaterThan(0);
        JsonNode rows = AgentGateway.spendRows(gw, key, calls);
        assertThat(rows.size()).as("one spend row per Codex call: %s", rows).isEqualTo(calls);
        for (JsonNode row : rows) {
            assertThat(row.path("model_group").asText()).isEqualTo(model);
            assertThat(row.path("call_type").asText()).isEqualTo(RESPONSES_CALL_TYPE);
            assertThat(row.path("spend").asDouble()).isGreaterThan(0);
            assertThat(row.path("status").asText()).isEqualTo("success");
        }
        System.out.println("-- spend: key " + info.path("info").path("spend").asDouble() + " USD over " + rows.size() + " rows");
        // Who used what: the rows name the tool (from codex_exec/...) and Codex's session (its session-id header)
        Recorded first = loop.proxy().sent().get(0);
        String session = first.headers().get("session-id");
        assertThat(session).as("Codex sends its session header").isNotBlank();
        for (JsonNode row : rows) {
            assertThat(row.path("metadata").path("client").asText()).as(row.toString()).isEqualTo("codex");
            assertThat(row.path("metadata").path("user_agent").asText()).isEqualTo(first.headers().get("user-agent"));
            assertThat(row.path("session_id").asText()).isEqualTo(session);
        }
    }

    // ---- the report: what Codex sent (headers, body fields, input items, tools) and what was answered

    private static final List<String> HEADERS = List.of("user-agent", "originator", "session-id", "session_id", "thread-id",
            "conversation_id", "x-client-request-id", "x-codex-window-id", "x-codex-beta-features", "openai-beta", "accept",
            "accept-encoding", "content-encoding", "x-openai-subagent", "chatgpt-account-id");

    private static void printSent(String title, List<Recorded> requests, RecordingProxy proxy) {
        System.out.println("-- " + title + ": " + requests.size() + " request(s)");
        for (Recorded r : requests) {
            RecordingProxy.Answer a = proxy == null ? null : proxy.answer(r);
            System.out.println("  " + r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query())
                    + (proxy == null ? "" : " -> " + (a == null ? "(no answer)" : a.status() + " " + a.contentType() + (a.errorBody().isEmpty() ? "" : " " + a.errorBody()))));
            System.out.println("    auth: " + (r.headers().contains("authorization") ? "authorization " : "") + (r.headers().contains("x-api-key") ? "x-api-key" : ""));
            for (String h : HEADERS) if (r.headers().contains(h)) System.out.println("    " + h + ": " + r.headers().get(h));
            if (r.headers().contains("x-codex-turn-metadata")) System.out.println("    x-codex-turn-metadata: (JSON, " + r.headers().get("x-codex-turn-metadata").length() + " chars)");
            if (r.body().length() > 0) System.out.println("    body: " + describe(r.json()));
        }
    }

    static String describe(JsonNode body) {
        Map<String, Object> d = new LinkedHashMap<>();
        body.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "input" -> {
                    List<String> items = new ArrayList<>();
                    for (JsonNode item : v) {
                        String type = item.path("type").asText();
                        items.add(type.equals("message") ? item.path("role").asText() + "/message" : type);
                    }
                    d.put("input", items);
                }
                case "messages" -> {
                    List<String> m = new ArrayList<>();
                    for (JsonNode msg : v) {
                        List<String> types = new ArrayList<>();
                        if (msg.path("content").isArray()) msg.path("content").forEach(b -> types.add(b.path("type").asText()));
                        else types.add("string");
                        m.add(msg.path("role").asText() + types);
                    }
                    d.put("messages", m);
                }
                case "tools" -> {
                    List<String> names = new ArrayList<>();
                    v.forEach(t -> names.add(t.path("type").asText() + ":" + (t.has("function") ? t.path("function").path("name").asText() : t.path("name").asText(""))));
                    d.put("tools", names);
                }
                case "instructions", "system" -> d.put(e.getKey(), v.isTextual() ? v.asText().length() + " chars" : v.size() + " block(s)");
                case "client_metadata", "metadata" -> {
                    List<String> keys = new ArrayList<>();
                    v.fieldNames().forEachRemaining(keys::add);
                    d.put(e.getKey(), "keys " + keys);
                }
                default -> d.put(e.getKey(), v.isContainerNode() && v.toString().length() > 200 ? v.toString().substring(0, 200) + "..." : v);
            }
        });
        return d.toString();
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }
}
