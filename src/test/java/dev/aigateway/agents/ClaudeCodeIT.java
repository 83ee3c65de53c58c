package dev.aigateway.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.FakeUpstream;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real Claude Code CLI drives a whole agent loop through a real gateway: Claude Code asks for a turn, the
 * upstream answers with a {@code tool_use} of Claude Code's own {@code Write} tool, Claude Code writes the file in
 * its working directory and sends the {@code tool_result}, the upstream answers the final text, and the gateway
 * bills both calls to the developer's virtual key. Once to an {@code anthropic/} deployment, once to an
 * {@code openai/} one (translated both ways).
 *
 * <p>A {@link RecordingProxy} between the CLI and the gateway records what Claude Code really sends; the test prints
 * it next to what reached the upstream, so every header, body field and content block the gateway drops shows in
 * the test output (target/failsafe-reports/dev.aigateway.agents.ClaudeCodeIT-output.txt).
 *
 * <p>Skipped, loudly, when the CLI is not installed ({@code .ci/run} installs it from npm).
 */
class ClaudeCodeIT {
    static final String MODEL = "claude-sonnet-4-5";
    static final String PROMPT = "Create the file hello.txt in the current directory.";
    static final long CLI_TIMEOUT_SECONDS = 180;

    static ClaudeCodeCli cli;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findCli() {
        cli = ClaudeCodeCli.find().orElse(null);
        assumeTrue(cli != null, "SKIPPED: the Claude Code CLI is not installed (looked in " + ClaudeCodeCli.INSTALL_DIR
                + "/node_modules and -Dclaude.bin). .ci/run installs it; by hand: npm install --prefix "
                + ClaudeCodeCli.INSTALL_DIR + " @anthropic-ai/claude-code");
    }

    @Test
    void agentLoopThroughAnAnthropicDeployment() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        AgentScript script = new AgentScript(work);
        try (ScriptedAnthropic upstream = new ScriptedAnthropic(script);
             TestGateway gw = TestGateway.start(config("anthropic/" + MODEL, upstream.host(), ScriptedAnthropic.KEY))) {
            Loop loop = runLoop(gw, work);

            List<Recorded> messages = upstream.requests().stream().filter(r -> r.path().equals("/v1/messages")).toList();
            assertThat(messages).as("the upstream answered Claude Code's turns").hasSizeGreaterThanOrEqualTo(2);
            Recorded withResult = messages.stream().filter(r -> AgentScript.endsWithToolResult(r.json())).findFirst()
                    .orElseThrow(() -> new AssertionError("no request carried the tool_result upstream"));
            JsonNode last = withResult.json().path("messages").get(withResult.json().path("messages").size() - 1);
            assertThat(blocks(last, "tool_result").get(0).path("tool_use_id").asText()).isEqualTo(AgentScript.TOOL_USE_ID);
            assertThat(upstream.requests()).allSatisfy(r -> assertThat(r.headers().get("x-api-key"))
                    .as("the upstream gets the deployment's key, never the developer's virtual key").isEqualTo(ScriptedAnthropic.KEY));

            report("anthropic/ deployment", loop, upstream);
            // The native path: what Claude Code sends reaches Anthropic as sent. Anthropic refuses a tool loop with thinking
            // on unless the previous turn's thinking block comes back with its signature.
            JsonNode thought = blocks(previousAssistant(withResult.json()), "thinking").stream().findFirst()
                    .orElseThrow(() -> new AssertionError("the previous turn's thinking block did not reach the upstream"));
            assertThat(thought.path("signature").asText()).isEqualTo(ScriptedAnthropic.SIGNATURE);
            assertThat(messages).allSatisfy(r -> {
                assertThat(r.json().has("thinking")).as("`thinking` reaches the upstream").isTrue();
                assertThat(r.json().has("context_management")).as("`context_management` reaches the upstream").isTrue();
                assertThat(r.headers().get("anthropic-beta")).as("anthropic-beta reaches the upstream").isNotBlank();
            });
        }
    }

    @Test
    void agentLoopThroughAnOpenAiDeployment() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        AgentScript script = new AgentScript(work);
        try (ScriptedOpenAi upstream = new ScriptedOpenAi(script);
             TestGateway gw = TestGateway.start(config("openai/gpt-4o", upstream.openAiBase(), ScriptedOpenAi.KEY))) {
            Loop loop = runLoop(gw, work);

            List<Recorded> chats = upstream.requests().stream().filter(r -> r.path().equals("/v1/chat/completions")).toList();
            assertThat(chats).hasSizeGreaterThanOrEqualTo(2);
            JsonNode toolTurn = chats.stream().map(Recorded::json)
                    .filter(b -> "tool".equals(b.path("messages").get(b.path("messages").size() - 1).path("role").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("no request carried the tool result upstream"));
            JsonNode toolMessage = toolTurn.path("messages").get(toolTurn.path("messages").size() - 1);
            assertThat(toolMessage.path("tool_call_id").asText()).as("the tool result answers the upstream's call").isNotEmpty();
            JsonNode call = previousAssistant(toolTurn).path("tool_calls").get(0);
            assertThat(Json.parse(call.path("function").path("arguments").asText()))
                    .as("the streamed tool input arrived whole and went back whole").isEqualTo(script.writeInput());
            assertThat(toolTurn.path("model").asText()).isEqualTo("gpt-4o");
            report("openai/ deployment", loop, upstream);
        }
    }

    /**
     * Claude Code without {@code --model} (its default, claude-opus-5-5 in 2.1.337) ends its first request with a
     * {@code role: "system"} message inside {@code messages}, and drops it on retry only when the 400 reads like
     * Anthropic's. An Anthropic deployment gets it as sent; the loop completes.
     */
    @Test
    void claudeCodesDefaultModel() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work")).toRealPath();
        String defaultModel = "claude-opus-5-5";
        try (ScriptedAnthropic upstream = new ScriptedAnthropic(new AgentScript(work));
             TestGateway gw = TestGateway.start(AgentGateway.config(defaultModel, "anthropic/" + defaultModel, upstream.host(), ScriptedAnthropic.KEY))) {
            Loop loop = runCli(gw, work, defaultModel, List.of());
            assertThat(loop.run().exitCode()).as("claude ended on its own, before the timeout").isNotEqualTo(-1);
            assertThat(loop.proxy().sent()).isNotEmpty().allSatisfy(r -> {
                RecordingProxy.Answer a = loop.proxy().answer(r);
                assertThat(a).as("an answer to %s", r.path()).isNotNull();
                assertThat(a.status()).as("%s answered without a 5xx: %s", r.path(), a.errorBody()).isLessThan(500);
            });
            check(gw, loop, work, defaultModel); // the system message inside messages is taken as one: the whole loop completes
        }
    }

    /** What one CLI run produced, and what it sent through the proxy. */
    record Loop(CleanProcess.Run run, RecordingProxy proxy, String version, String key) {}

    /**
     * A developer's key with a budget, Claude Code pointed at the gateway (through the recording proxy) with it,
     * and the checks every deployment must pass: the file, the final text, the spend.
     */
    private Loop runLoop(TestGateway gw, Path work) throws IOException, InterruptedException {
        return check(gw, runCli(gw, work, MODEL, List.of("--model", MODEL)), work, MODEL);
    }

    /** A developer's key for {@code model}, then one {@code claude -p} run with it through the recording proxy. */
    private Loop runCli(TestGateway gw, Path work, String model, List<String> modelArgs) throws IOException, InterruptedException {
        var generated = gw.post("/key/generate", """
                {"key_alias": "dev-alice", "models": ["%s"], "max_budget": 5, "budget_duration": "30d"}""".formatted(model));
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String key = TestGateway.json(generated).path("key").asText();
        Path home = Files.createDirectories(tmp.resolve("home"));
        RecordingProxy proxy = new RecordingProxy(gw.server().port());
        try {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("HOME", home.toString());
            env.put("ANTHROPIC_BASE_URL", proxy.host());
            env.put("ANTHROPIC_API_KEY", key);
            env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
            env.put("DISABLE_AUTOUPDATER", "1");
            String version = cli.version(home);
            List<String> args = new ArrayList<>(List.of("-p", PROMPT, "--output-format", "json", "--allowedTools", "Write"));
            args.addAll(modelArgs);
            CleanProcess.Run run = cli.run(args, env, work, CLI_TIMEOUT_SECONDS);
            Loop loop = new Loop(run, proxy, version, key);
            System.out.println("== Claude Code " + version + " " + modelArgs + ": exit " + run.exitCode() + "\n-- stdout:\n" + run.stdout()
                    + "\n-- stderr (last 2000 chars):\n" + tail(run.stderr(), 2000));
            printSent(loop);
            return loop;
        } finally {
            proxy.close();
        }
    }

    /** What every deployment must give Claude Code today: the file written, the final text, both calls billed. */
    private static Loop check(TestGateway gw, Loop loop, Path work, String model) throws IOException, InterruptedException {
        CleanProcess.Run run = loop.run();
        RecordingProxy proxy = loop.proxy();
        String key = loop.key();

        assertThat(run.exitCode()).as("claude exit code; stderr: %s", tail(run.stderr(), 2000)).isZero();
        JsonNode result = Json.parse(run.stdout().strip());
        assertThat(result.path("is_error").asBoolean(true)).as(run.stdout()).isFalse();
        assertThat(result.path("result").asText()).isEqualTo(AgentScript.FINAL_TEXT);
        assertThat(result.path("num_turns").asInt()).as("a tool turn and the final turn").isGreaterThanOrEqualTo(2);
        Path file = work.resolve(AgentScript.FILE_NAME);
        assertThat(file).as("Claude Code ran the Write tool the upstream asked for").exists();
        assertThat(Files.readString(file)).isEqualTo(AgentScript.FILE_CONTENT);

        assertThat(proxy.sent()).as("Claude Code talked only to ANTHROPIC_BASE_URL, with the virtual key")
                .allSatisfy(r -> assertThat(r.headers().get("x-api-key")).isEqualTo(key));
        List<Recorded> turns = proxy.sent().stream().filter(r -> r.path().equals("/v1/messages")).toList();
        assertThat(turns).allSatisfy(r -> assertThat(proxy.answer(r).status()).as("gateway answer to %s", r.path()).isEqualTo(200));

        // Spend: both calls billed to the developer's key (the key's spend includes rows not yet written),
        // and their rows reach /spend/logs once the writer's batch commits.
        JsonNode info = TestGateway.json(gw.get("/key/info?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8), TestGateway.MASTER_KEY));
        assertThat(info.path("info").path("spend").asDouble()).as(info.toString()).isGreaterThan(0);
        JsonNode rows = AgentGateway.spendRows(gw, key, turns.size());
        assertThat(rows.size()).as(rows.toString()).isEqualTo(turns.size());
        for (JsonNode row : rows) {
            assertThat(row.path("model_group").asText()).isEqualTo(model);
            assertThat(row.path("call_type").asText()).isEqualTo("anthropic_messages");
            assertThat(row.path("spend").asDouble()).isGreaterThan(0);
            assertThat(row.path("status").asText()).isEqualTo("success");
        }
        System.out.println("-- spend: key " + info.path("info").path("spend").asDouble() + " USD over " + rows.size() + " rows");
        // Who used what: the rows name the tool (from claude-cli/...), Claude Code's session and its metadata.user_id
        String session = turns.get(0).headers().get("x-claude-code-session-id");
        String userAgent = turns.get(0).headers().get("user-agent");
        assertThat(session).as("Claude Code sends its session header").isNotBlank();
        for (JsonNode row : rows) {
            assertThat(row.path("metadata").path("client").asText()).as(row.toString()).isEqualTo("claude-code");
            assertThat(row.path("metadata").path("user_agent").asText()).isEqualTo(userAgent);
            assertThat(row.path("session_id").asText()).isEqualTo(session);
            assertThat(row.path("end_user").asText()).as("metadata.user_id, as LiteLLM takes it").isNotBlank();
        }
        return loop;
    }

    private static String config(String model, String apiBase, String apiKey) {
        return AgentGateway.config(MODEL, model, apiBase, apiKey);
    }

    // ---- the report: what Claude Code sent, what the gateway answered, what reached the upstream

    private static final List<String> HEADERS = List.of("user-agent", "anthropic-version", "anthropic-beta", "x-app",
            "x-claude-code-session-id", "anthropic-dangerous-direct-browser-access", "x-stainless-retry-count", "x-stainless-timeout");

    private static void printSent(Loop loop) {
        System.out.println("-- Claude Code sent " + loop.proxy().sent().size() + " request(s) to the gateway:");
        for (Recorded r : loop.proxy().sent()) {
            RecordingProxy.Answer a = loop.proxy().answer(r);
            System.out.println("  " + r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query()) + " -> "
                    + (a == null ? "(no answer)" : a.status() + " " + a.contentType() + (a.errorBody().isEmpty() ? "" : " " + a.errorBody())));
            System.out.println("    auth: " + (r.headers().contains("x-api-key") ? "x-api-key " : "") + (r.headers().contains("authorization") ? "authorization" : ""));
            for (String h : HEADERS) if (r.headers().contains(h)) System.out.println("    " + h + ": " + r.headers().get(h));
            if (r.body().length() > 0) System.out.println("    body: " + describe(r.json()));
        }
    }

    private static void report(String deployment, Loop loop, FakeUpstream upstream) {
        System.out.println("-- the upstream (" + deployment + ") received " + upstream.requests().size() + " request(s):");
        for (Recorded r : upstream.requests()) {
            System.out.println("  " + r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query()));
            for (String h : HEADERS) if (r.headers().contains(h)) System.out.println("    " + h + ": " + r.headers().get(h));
            if (r.body().length() > 0) System.out.println("    body: " + describe(r.json()));
        }
        List<Recorded> sent = loop.proxy().sent();
        Set<String> lostHeaders = minus(names(sent, r -> headerNames(r)), names(upstream.requests(), r -> headerNames(r)));
        Set<String> lostFields = minus(names(sent, r -> fieldNames(r)), names(upstream.requests(), r -> fieldNames(r)));
        Set<String> lostBlocks = minus(names(sent, r -> blockTypes(r)), names(upstream.requests(), r -> blockTypes(r)));
        System.out.println("-- " + deployment + ": not passed upstream (compared by name; translation renames some on purpose):");
        System.out.println("    headers: " + lostHeaders);
        System.out.println("    body fields: " + lostFields);
        System.out.println("    content block types: " + lostBlocks);
        System.out.println("-- refused by the gateway: " + sent.stream().filter(r -> loop.proxy().answer(r) != null && loop.proxy().answer(r).status() >= 400)
                .map(r -> r.method() + " " + r.path() + " " + loop.proxy().answer(r).status()).toList());
    }

    private static String describe(JsonNode body) {
        Map<String, Object> d = new LinkedHashMap<>();
        body.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "messages" -> {
                    List<String> m = new ArrayList<>();
                    for (JsonNode msg : v) {
                        List<String> types = new ArrayList<>();
                        if (msg.path("content").isArray()) msg.path("content").forEach(b -> types.add(b.path("type").asText()));
                        else types.add("string");
                        if (msg.has("tool_calls")) types.add("tool_calls");
                        m.add(msg.path("role").asText() + types);
                    }
                    d.put("messages", m);
                }
                case "tools" -> {
                    List<String> names = new ArrayList<>();
                    v.forEach(t -> names.add(t.has("function") ? t.path("function").path("name").asText() : t.path("name").asText()));
                    d.put("tools", names);
                }
                case "system" -> d.put("system", v.isArray() ? v.size() + " block(s)" : "string");
                case "metadata" -> d.put("metadata", "keys " + iterable(v.fieldNames()));
                default -> d.put(e.getKey(), v.isContainerNode() && v.toString().length() > 200 ? v.toString().substring(0, 200) + "..." : v);
            }
        });
        return d.toString();
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static Set<String> names(List<Recorded> requests, java.util.function.Function<Recorded, Set<String>> f) {
        Set<String> out = new TreeSet<>();
        requests.forEach(r -> out.addAll(f.apply(r)));
        return out;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static Set<String> headerNames(Recorded r) {
        Set<String> out = new TreeSet<>();
        Predicate<String> interesting = h -> h.startsWith("anthropic-") || h.startsWith("x-claude") || h.equals("x-app") || h.equals("user-agent");
        r.headers().names().forEach(h -> {
            if (interesting.test(h.toLowerCase(java.util.Locale.ROOT))) out.add(h.toLowerCase(java.util.Locale.ROOT));
        });
        return out;
    }

    private static Set<String> fieldNames(Recorded r) {
        return r.body().length() == 0 ? Set.of() : new TreeSet<>(iterable(r.json().fieldNames()));
    }

    private static Set<String> blockTypes(Recorded r) {
        Set<String> out = new TreeSet<>();
        if (r.body().length() == 0) return out;
        for (JsonNode msg : r.json().path("messages")) msg.path("content").forEach(b -> out.add(b.path("type").asText()));
        return out;
    }

    private static List<JsonNode> blocks(JsonNode message, String type) {
        List<JsonNode> out = new ArrayList<>();
        message.path("content").forEach(b -> {
            if (type.equals(b.path("type").asText())) out.add(b);
        });
        return out;
    }

    /** The assistant message just before the request's last message (the turn the tool result answers). */
    private static JsonNode previousAssistant(JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 2; i >= 0; i--) {
            if ("assistant".equals(messages.get(i).path("role").asText())) return messages.get(i);
        }
        return Json.object();
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }
}
