package dev.aigateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.provider.anthropic.FakeAnthropic;
import dev.aigateway.provider.openai.FakeOpenAi;
import dev.aigateway.testing.TestGateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway a fuzz suite attacks: a real in-process gateway with the {@code mock} model, an OpenAI-wire fake and an
 * Anthropic-wire fake (each holding a recognisable provider key), a fake that never answers, mock deployments that
 * fail, a fallback, a salt key, UI login, and one virtual key of every kind. Every secret is registered in
 * {@link #secrets} so each answer, header, log line and /metrics page can be searched for it.
 */
public final class FuzzGateway implements AutoCloseable {
    public static final String MASTER_KEY = "sk-fuzzMASTER-7f3c9a1e5b2d4c6e8a0f1b3d5e7a9c2e";
    public static final String SALT_KEY = "fuzzSALT-c4e6a8b0d2f4a6c8e0b2d4f6a8c0e2b4";
    public static final String OPENAI_KEY = "sk-fuzzPROVIDERopenai-1a2b3c4d5e6f7a8b9c0d";
    public static final String ANTHROPIC_KEY = "sk-ant-fuzzPROVIDERanthropic-9z8y7x6w5v4u";
    public static final String RUNTIME_PROVIDER_KEY = "sk-fuzzRUNTIMEprovider-5q4r3s2t1u0v9w8x";
    public static final String UI_PASSWORD = "fuzzUIpassword-3e5g7i9k1m3o5q7s";
    public static final long TIMEOUT_MS = 30_000;

    /** The kinds of caller every route is tried with. */
    public enum Role {
        MASTER, ADMIN, ADMIN_TYPE, READ_ONLY, DEFAULT, LLM_API, MODELS_ALLOW_LIST, ALLOWED_ROUTES, ADMIN_LIMITED_ROUTES,
        BUDGET_TINY, RATE_LIMITED, BLOCKED, EXPIRED, INVALID, NONE, UI_SESSION
    }

    public final Secrets secrets = new Secrets();
    public final LogTap log = new LogTap();
    public final FakeOpenAi openai = new FakeOpenAi(OPENAI_KEY);
    public final FakeAnthropic anthropic = new FakeAnthropic(ANTHROPIC_KEY);
    public final FakeOpenAi silent = new FakeOpenAi(OPENAI_KEY);
    public final TestGateway gw;
    public final Map<Role, String> keys = new LinkedHashMap<>();
    /** Keys made for admin routes to act on (update, block, delete, regenerate), so the role keys stay as they are. */
    public final List<String> victims = new ArrayList<>();
    /** Keys the fuzz itself made (with /key/generate, /key/regenerate), used as callers and as targets. */
    public final List<String> madeKeys = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Ids of models added at run time ({@code model_info.id} of /model/new answers), for /model/update, /delete, /test. */
    public final List<String> modelIds = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("gpt-fake"));
    public String uiCookie;
    public String uiCsrf;

    public FuzzGateway() {
        secrets.server("master key", MASTER_KEY);
        secrets.server("salt key", SALT_KEY);
        secrets.server("openai provider key", OPENAI_KEY);
        secrets.server("anthropic provider key", ANTHROPIC_KEY);
        secrets.server("runtime provider key", RUNTIME_PROVIDER_KEY);
        secrets.server("UI password", UI_PASSWORD);
        silent.scenario(new Scenario.Hang());
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_MASTER_KEY", MASTER_KEY);
        env.put("GATEWAY_SALT_KEY", SALT_KEY);
        env.put("FUZZ_OPENAI_KEY", OPENAI_KEY);
        env.put("UI_USERNAME", "fuzz-admin");
        env.put("UI_PASSWORD", UI_PASSWORD);
        // Transport limits another change adds; unknown settings are ignored, and every assertion here holds either way.
        env.put("GATEWAY_HEADER_TIMEOUT_SECONDS", "10");
        env.put("GATEWAY_BODY_TIMEOUT_SECONDS", "10");
        env.put("GATEWAY_KEEPALIVE_TIMEOUT_SECONDS", "10");
        env.put("GATEWAY_MAX_CONNECTIONS", "2000");
        env.put("GATEWAY_BODY_MEMORY_MB", "128");
        gw = TestGateway.start("""
                model_list:
                  - model_name: mock
                    litellm_params: {model: mock/mock-gpt}
                  - model_name: mock-paced
                    litellm_params: {model: mock/mock-gpt, mock_latency_ms: 20, mock_tokens_per_second: 5000}
                  - model_name: mock-503
                    litellm_params: {model: mock/x, mock_error_status: 503}
                  - model_name: mock-500
                    litellm_params: {model: mock/x, mock_error_status: 500}
                  - model_name: mock-429
                    litellm_params: {model: mock/x, mock_error_status: 429}
                  - model_name: falls-back
                    litellm_params: {model: mock/x, mock_error_status: 503}
                  - model_name: gpt
                    litellm_params: {model: openai/gpt-4o, api_base: "%s", api_key: os.environ/FUZZ_OPENAI_KEY, timeout: 5}
                    model_info: {id: gpt-fake}
                  - model_name: claude
                    litellm_params: {model: anthropic/claude-sonnet-4-5, api_base: "%s", api_key: %s, timeout: 5}
                  - model_name: silent
                    litellm_params: {model: openai/gpt-4o, api_base: "%s", api_key: os.environ/FUZZ_OPENAI_KEY, timeout: 2, stream_timeout: 2}
                router_settings:
                  num_retries: 0
                  fallbacks: [{falls-back: [mock]}]
                general_settings:
                  invalid_key_attempts_per_minute: 0
                  runtime_model_env_vars: [FUZZ_OPENAI_KEY]
                """.formatted(openai.openAiBase(), anthropic.host(), ANTHROPIC_KEY, silent.openAiBase()), env);
        // The wrong-key throttle is off above: every request comes from 127.0.0.1, and after 30 wrong keys it would
        // answer 429 to every keyed request for the rest of the minute, hiding every route behind one answer.
        makeKeys();
    }

    public int port() {
        return gw.server().port();
    }

    private void makeKeys() {
        keys.put(Role.MASTER, MASTER_KEY);
        keys.put(Role.ADMIN, generate("role-admin", "{\"key_type\":\"management\",\"key_alias\":\"role-admin\"}"));
        keys.put(Role.ADMIN_TYPE, generate("role-admin-type", "{\"key_type\":\"admin\",\"key_alias\":\"role-admin-type\"}"));
        keys.put(Role.READ_ONLY, generate("role-read-only", "{\"key_type\":\"read_only\",\"key_alias\":\"role-read-only\"}"));
        keys.put(Role.DEFAULT, generate("role-default", "{\"key_alias\":\"role-default\"}"));
        keys.put(Role.LLM_API, generate("role-llm-api", "{\"key_type\":\"llm_api\",\"key_alias\":\"role-llm-api\"}"));
        keys.put(Role.MODELS_ALLOW_LIST, generate("role-models", "{\"models\":[\"mock\",\"claude\"],\"key_alias\":\"role-models\"}"));
        keys.put(Role.ALLOWED_ROUTES, generate("role-routes", "{\"allowed_routes\":[\"/chat/completions\",\"/key/info\"],\"key_alias\":\"role-routes\"}"));
        keys.put(Role.ADMIN_LIMITED_ROUTES, generate("role-admin-limited",
                "{\"key_type\":\"management\",\"allowed_routes\":[\"/chat/completions\"],\"key_alias\":\"role-admin-limited\"}"));
        keys.put(Role.BUDGET_TINY, generate("role-budget", "{\"max_budget\":0.0000001,\"key_alias\":\"role-budget\"}"));
        keys.put(Role.RATE_LIMITED, generate("role-rate-limited", "{\"rpm_limit\":2,\"max_parallel_requests\":1,\"key_alias\":\"role-rate-limited\"}"));
        String blocked = generate("role-blocked", "{\"key_alias\":\"role-blocked\"}");
        RawExchange.Response r = call("POST", "/key/block", MASTER_KEY, "{\"key\":\"" + blocked + "\"}");
        if (r.status() != 200) throw new IllegalStateException("could not block a key: " + r.status());
        keys.put(Role.BLOCKED, blocked);
        keys.put(Role.EXPIRED, generate("role-expired", "{\"expires\":\"2001-01-01T00:00:00Z\",\"key_alias\":\"role-expired\"}"));
        String invalid = "sk-fuzzINVALID-" + "q".repeat(34);
        secrets.virtualKey("invalid key", invalid);
        keys.put(Role.INVALID, invalid);
        for (int i = 0; i < 6; i++) victims.add(generate("victim-" + i, "{\"key_alias\":\"victim-" + i + "\",\"max_budget\":5}"));
        login();
    }

    /** Logs into the admin UI with the username and password, for the UI_SESSION role. */
    public void login() {
        RawExchange.Response r = call("POST", "/ui/login", null, "{\"username\":\"fuzz-admin\",\"password\":\"" + UI_PASSWORD + "\"}");
        if (r.status() != 200) throw new IllegalStateException("UI login failed: " + r.status() + " " + r.bodyText());
        String cookie = r.header("set-cookie");
        uiCookie = cookie.substring(0, cookie.indexOf(';'));
        uiCsrf = Json.parse(r.bodyText()).path("csrf_token").asText();
    }

    /** Makes a key with the master key; its value becomes a registered secret. */
    public String generate(String name, String body) {
        RawExchange.Response r = call("POST", "/key/generate", MASTER_KEY, body);
        if (r.status() != 200) throw new IllegalStateException("key/generate " + body + " -> " + r.status() + " " + r.bodyText());
        String key = Json.parse(r.bodyText()).path("key").asText();
        secrets.virtualKey(name, key);
        return key;
    }

    /** A plain well-formed request (set-up, liveness checks). */
    public RawExchange.Response call(String method, String path, String key, String json) {
        List<RawExchange.Header> h = new ArrayList<>();
        if (key != null) h.add(new RawExchange.Header("Authorization", "Bearer " + key));
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) h.add(new RawExchange.Header("Content-Type", "application/json"));
        return RawExchange.exchange(port(), new RawExchange.Request(method, path, h, body,
                json == null ? RawExchange.Framing.NONE : RawExchange.Framing.LENGTH), TIMEOUT_MS);
    }

    /** The gateway still does its job: a chat with the master key and with an ordinary key, and liveness. */
    public List<String> stillServes() {
        List<String> problems = new ArrayList<>();
        String chat = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}";
        for (String key : List.of(MASTER_KEY, keys.get(Role.DEFAULT))) {
            RawExchange.Response r = call("POST", "/v1/chat/completions", key, chat);
            if (r.status() != 200) problems.add("chat after the run: " + r.status() + " " + secrets.mask(r.failure() + " " + r.bodyText()));
            else {
                JsonNode n = Json.parse(r.bodyText());
                if (!n.path("choices").isArray()) problems.add("chat after the run has no choices: " + secrets.mask(r.bodyText()));
            }
        }
        RawExchange.Response live = call("GET", "/health/liveliness", null, null);
        if (live.status() != 200) problems.add("liveliness after the run: " + live.status() + " " + live.failure());
        return problems;
    }

    /** /metrics as the master key sees it. */
    public String metrics() {
        RawExchange.Response r = call("GET", "/metrics", MASTER_KEY, null);
        if (r.status() != 200) throw new IllegalStateException("/metrics answered " + r.status());
        return r.bodyText();
    }

    @Override
    public void close() {
        log.close();
        gw.close();
        openai.close();
        anthropic.close();
        silent.close();
    }
}
