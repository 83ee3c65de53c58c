package dev.aigateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.fakes.Scenario;
import dev.aigateway.fuzz.FuzzGateway.Role;
import dev.aigateway.fuzz.RawExchange.Framing;
import dev.aigateway.fuzz.RawExchange.Header;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One fuzz case: a route, a caller of some kind, and a request for it that starts well-formed and is then damaged:
 * fields of the wrong type or past their bounds, missing or unknown fields, odd methods, odd headers, lying framing,
 * bodies from empty to past the size limit. Also what the provider fakes do for this case.
 */
public final class RequestGen {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final List<String> MODELS = List.of("mock", "mock", "mock", "mock-paced", "gpt", "gpt", "claude", "claude", "mock-503",
            "mock-500", "mock-429", "falls-back", "silent", "fz-0", "fz-1", "nope", "", "MOCK", "mock ", "gpt/../mock");

    /** A generated case: the request, who sent it, and the scenarios the fakes play. */
    public record Case(Route route, Role role, RawExchange.Request request, Scenario openai, Scenario anthropic) {}

    private final FuzzGateway world;

    public RequestGen(FuzzGateway world) {
        this.world = world;
    }

    public Case next(Gen g) {
        Route route = pickRoute(g);
        Role role = g.pick(Role.values());
        String method = route.method;
        if (g.chance(0.04)) method = g.pick("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "get", "FUZZ", "POST", "GET");
        String target = target(g, route);
        byte[] body = new byte[0];
        boolean json = false;
        if (route.method.equals("POST")) {
            JsonNode tree = body(g, route);
            if (g.chance(0.7)) tree = mutate(g, tree, route);
            String text = Weird.write(tree);
            body = g.chance(0.12) ? Weird.damage(g, text) : text.getBytes(StandardCharsets.UTF_8);
            json = true;
        } else if (g.chance(0.05)) {
            body = Weird.write(Weird.value(g, 0)).getBytes(StandardCharsets.UTF_8);
        }
        if (g.chance(0.015)) body = big(g, route);
        List<Header> headers = new ArrayList<>();
        auth(g, role, headers);
        if (json || body.length > 0) headers.add(new Header("Content-Type", contentType(g)));
        extraHeaders(g, route, headers);
        Framing framing = body.length == 0 && !method.equals("POST") ? Framing.NONE : Framing.LENGTH;
        if (g.chance(0.10)) framing = g.pick(Framing.CHUNKED, Framing.CHUNKED, Framing.DECLARE_LESS, Framing.DECLARE_MORE, Framing.BAD_CHUNKED, Framing.NONE);
        return new Case(route, role, new RawExchange.Request(method, target, headers, body, framing), scenario(g), scenario(g));
    }

    private static Route pickRoute(Gen g) {
        // LLM routes carry most of the surface (bodies, streams, upstreams): they get more cases than probes do
        int i = g.weighted(ROUTE_WEIGHTS);
        return Route.values()[i];
    }

    private static final int[] ROUTE_WEIGHTS = {30, 12, 10, 18, 12, 5, 5, 3, 3, 2, 1, 2, 1, 1, 1, 2, 2, 6, 5, 3, 2, 2, 3, 3, 4, 3, 6, 3, 2, 3, 4, 4, 3, 1, 2, 3, 1, 1, 2, 2, 1, 2, 2, 3, 2};

    static {
        if (ROUTE_WEIGHTS.length != Route.values().length) throw new AssertionError("one weight per route");
    }

    static Scenario scenario(Gen g) {
        return switch (g.weighted(70, 6, 12, 4, 3, 3, 2)) {
            case 0 -> new Scenario.Text(g.chance(0.2) ? Weird.string(g) : "Hello from the fake!");
            case 1 -> new Scenario.ToolCall("get_weather", g.pick("{\"city\":\"Paris\"}", "{", "null", "{\"a\":\"\\u0000\"}"));
            case 2 -> new Scenario.Error(g.pick(400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529));
            case 3 -> new Scenario.Error(g.pick(401, 403, 400), "echo_key");
            case 4 -> new Scenario.Error(g.pick(500, 429, 503), "in_stream");
            case 5 -> new Scenario.CutStream(g.between(0, 3));
            default -> new Scenario.SlowStream("a b c d", 15);
        };
    }

    // ---- the target: path (with or without /v1, trailing slash) and query

    private String target(Gen g, Route route) {
        String path = switch (route) {
            case MODEL_BY_ID -> "/models/" + pathSegment(g, g.pick("mock", "gpt", "claude", "nope", "openai/gpt-4o", "a/b/c", Weird.string(g)));
            case STORED_RESPONSE, STORED_RESPONSE_DELETE -> "/responses/" + responseId(g);
            case STORED_RESPONSE_INPUT_ITEMS -> "/responses/" + responseId(g) + "/input_items";
            case KEY_PATH_REGENERATE -> "/key/" + pathSegment(g, someKey(g)) + "/regenerate";
            case UI_ASSET -> "/ui/" + g.pick("app.js", "style.css", "index.html", "../../../../etc/passwd", "%2e%2e/%2e%2e/config.yaml",
                    "..%2f..%2fconfig.yaml", "nope.js", "", "a/b/c/d", pathSegment(g, Weird.string(g)));
            case UNKNOWN -> "/" + g.pick("v2/chat", "admin", "key", "model", "spend", ".env", "config.yaml", "v1/v1/models",
                    "chat/completions/extra", "//v1//models", pathSegment(g, Weird.string(g)));
            default -> route.path;
        };
        boolean v1able = route.family != Route.Family.PUBLIC && route.family != Route.Family.UI_PAGE && !path.startsWith("/ui");
        if (v1able && g.chance(0.5)) path = "/v1" + path;
        if (g.chance(0.1)) path = path + "/";
        String query = query(g, route);
        return query.isEmpty() ? path : path + "?" + query;
    }

    private static String responseId(Gen g) {
        return pathSegment(g, g.pick("resp_0123456789abcdef", "resp_none", "../etc/passwd", "a/b", "x".repeat(300), Weird.string(g)));
    }

    private static String pathSegment(Gen g, String s) {
        if (g.chance(0.15)) return s.replace(' ', '+').replace("\r", "").replace("\n", ""); // raw: the server's parser meets it
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String query(Gen g, Route route) {
        List<String> names = switch (route) {
            case KEY_INFO -> List.of("key");
            case KEY_LIST -> List.of("page", "size", "user_id", "team_id", "key_alias", "return_full_object");
            case MODEL_INFO -> List.of("litellm_model_id");
            case SPEND_LOGS -> List.of("api_key", "key_alias", "status", "start_date", "end_date", "page", "page_size", "request_id", "user_id", "model");
            case SPEND_DAILY -> List.of("start_date", "end_date", "api_key", "model");
            case MODELS -> List.of("limit", "after_id", "before_id", "lifecycle", "beta");
            case MESSAGES, COUNT_TOKENS, MODEL_BY_ID -> List.of("beta");
            case STORED_RESPONSE_INPUT_ITEMS -> List.of("limit", "order", "after", "before");
            case MODEL_GROUP_INFO -> List.of("model_group");
            case GLOBAL_SPEND_REPORT -> List.of("start_date", "end_date", "group_by", "api_key");
            default -> List.of();
        };
        StringBuilder q = new StringBuilder();
        int n = names.isEmpty() ? (g.chance(0.1) ? 1 : 0) : g.between(0, names.size());
        for (int i = 0; i < n; i++) {
            String name = names.isEmpty() ? g.pick("key", "debug", "x") : g.pick(names);
            String value = queryValue(g, name);
            if (!q.isEmpty()) q.append('&');
            q.append(name).append('=').append(g.chance(0.1) ? value.replace(" ", "%20").replace("\r", "").replace("\n", "") : URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        if (g.chance(0.03)) q.append(g.pick("&&&", "=", "%", "%zz", "a=%00", "key", "page=1&page=2"));
        return q.toString();
    }

    private String queryValue(Gen g, String name) {
        if (g.chance(0.3)) return Weird.string(g);
        return switch (name) {
            case "key", "api_key" -> someKey(g);
            case "page", "size", "page_size", "limit" -> g.pick("1", "2", "0", "-1", "100", "101", "1000", "1001", "1000001", "99999999999999999999", "1e3", "NaN");
            case "start_date", "end_date" -> g.pick("2026-01-01", "2025-12-31", "9999-12-31", "1970-01-01", "0000-01-01", "+999999999-12-31",
                    "2026-13-45", "2026-01-01T00:00:00Z", "1969-12-31", "-1", "");
            case "status" -> g.pick("success", "failure", "ok", "");
            case "return_full_object" -> g.pick("true", "false", "TRUE", "1");
            case "litellm_model_id" -> g.pick(world.modelIds);
            case "after_id", "before_id" -> g.pick(MODELS);
            case "lifecycle" -> g.pick("active", "deprecated,retired", "active,retired", "");
            case "beta" -> g.pick("true", "false", "");
            default -> g.pick("mock", "victim-1", "role-admin", "u1", "t1", "");
        };
    }

    /** A key value to act on: a victim, a key the fuzz made, a role key's hash, garbage. */
    String someKey(Gen g) {
        return switch (g.weighted(5, 4, 1, 3, 1)) {
            case 0 -> g.pick(world.victims);
            case 1 -> world.madeKeys.isEmpty() ? g.pick(world.victims) : g.pick(world.madeKeys);
            case 2 -> "0".repeat(64);
            case 3 -> Weird.string(g);
            default -> "sk-" + g.alnum(48);
        };
    }

    // ---- callers

    private void auth(Gen g, Role role, List<Header> headers) {
        if (role == Role.NONE) return;
        if (role == Role.UI_SESSION) {
            headers.add(new Header("Cookie", g.chance(0.9) ? world.uiCookie : "gateway_session=" + g.alnum(43)));
            if (g.chance(0.85)) headers.add(new Header("X-CSRF-Token", g.chance(0.9) ? world.uiCsrf : Weird.string(g).replace("\r", "").replace("\n", "")));
            return;
        }
        String key = world.keys.get(role);
        if (role == Role.DEFAULT && !world.madeKeys.isEmpty() && g.chance(0.3)) key = g.pick(world.madeKeys);
        switch (g.weighted(70, 8, 6, 6, 3, 3, 2, 2)) {
            case 0 -> headers.add(new Header("Authorization", "Bearer " + key));
            case 1 -> headers.add(new Header("x-api-key", key));
            case 2 -> headers.add(new Header("api-key", key));
            case 3 -> headers.add(new Header("Authorization", key));
            case 4 -> headers.add(new Header("authorization", g.pick("bearer ", "BEARER ", "Bearer  ", "Bearer\t") + key + g.pick("", " ", "\t")));
            case 5 -> { // two headers that disagree
                headers.add(new Header("Authorization", "Bearer " + key));
                headers.add(new Header("x-api-key", world.keys.get(Role.INVALID)));
            }
            case 6 -> headers.add(new Header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("u:" + key).getBytes(StandardCharsets.UTF_8))));
            default -> {
                headers.add(new Header("Authorization", "Bearer " + key));
                headers.add(new Header("Authorization", "Bearer " + world.keys.get(Role.INVALID)));
            }
        }
    }

    private static String contentType(Gen g) {
        return switch (g.weighted(85, 2, 2, 2, 2, 2, 2, 3)) {
            case 0 -> "application/json";
            case 1 -> "text/plain";
            case 2 -> "application/json; charset=utf-16";
            case 3 -> "multipart/form-data; boundary=----x";
            case 4 -> "application/x-www-form-urlencoded";
            case 5 -> "";
            case 6 -> "application/json; charset=\u00e9";
            default -> "APPLICATION/JSON;charset=UTF-8";
        };
    }

    private static void extraHeaders(Gen g, Route route, List<Header> headers) {
        if (g.chance(0.3)) headers.add(new Header("x-request-id", requestId(g)));
        boolean anthropic = route == Route.MESSAGES || route == Route.COUNT_TOKENS;
        if (anthropic && g.chance(0.5) || (route == Route.MODELS || route == Route.MODEL_BY_ID) && g.chance(0.3)) {
            headers.add(new Header("anthropic-version", g.pick("2023-06-01", "", "1999-01-01", "\u00e9", "x".repeat(3000))));
        }
        if (anthropic && g.chance(0.2)) headers.add(new Header("anthropic-beta", g.pick("tools-2024-04-04", "a,b,c", "\u0007")));
        if (g.chance(0.05)) headers.add(new Header("Accept", g.pick("text/event-stream", "*/*", "application/xml", "")));
        if (g.chance(0.03)) headers.add(new Header("Accept-Encoding", g.pick("gzip", "br", "identity;q=0", "x")));
        if (g.chance(0.02)) headers.add(new Header("Expect", "100-continue"));
        if (g.chance(0.03)) headers.add(new Header("X-Forwarded-For", g.pick("1.2.3.4", "::1", "garbage, 10.0.0.1", "1.1.1.1, ".repeat(200))));
        if (g.chance(0.02)) for (int i = g.between(50, 300); i > 0; i--) headers.add(new Header("X-Fuzz-" + i, "v" + i));
        if (g.chance(0.01)) headers.add(new Header("X-Huge", "h".repeat(g.pick(9_000, 70_000))));
        if (g.chance(0.01)) headers.add(new Header("Cookie", "gateway_session=" + "c".repeat(5000)));
    }

    private static String requestId(Gen g) {
        return switch (g.nextInt(9)) {
            case 0 -> "req-" + g.alnum(10);
            case 1 -> "";
            case 2 -> "x".repeat(g.pick(128, 129, 5000));
            case 3 -> "r\u00e9q-\u65e5\u672c";
            case 4 -> "id\u0001\u0002";
            case 5 -> "a b c";
            case 6 -> "id\r\nX-Injected: 1";
            case 7 -> "fixed-reused-id";
            default -> Weird.string(g);
        };
    }

    // ---- bodies: a valid one per route, then damage

    private JsonNode body(Gen g, Route route) {
        ObjectNode o = F.objectNode();
        switch (route) {
            case SPEND_CALCULATE -> {
                if (g.coin()) {
                    o.put("model", g.pick(MODELS));
                    o.set("messages", messages(g));
                } else {
                    ObjectNode usage = F.objectNode().put("prompt_tokens", g.pick(1, 0, -1, 2_000_000_000)).put("completion_tokens", g.between(0, 100));
                    o.set("completion_response", F.objectNode().put("model", g.pick(MODELS)).set("usage", usage));
                }
            }
            case GLOBAL_SPEND_END_USERS -> {
                if (g.coin()) o.put("startTime", g.pick("2026-01-01", "1970-01-01", "0000-01-01", "tomorrow"));
                if (g.coin()) o.put("endTime", g.pick("2026-01-31", "9999-12-31", ""));
                if (g.chance(0.3)) o.put("api_key", someKey(g));
            }
            case CHAT -> {
                o.put("model", g.pick(MODELS));
                o.set("messages", messages(g));
                chatExtras(g, o);
            }
            case COMPLETIONS -> {
                o.put("model", g.pick(MODELS));
                o.set("prompt", g.chance(0.8) ? F.textNode("Say hi") : g.coin() ? F.arrayNode().add("a").add("b") : F.arrayNode().add(1).add(2));
                if (g.coin()) o.put("max_tokens", g.between(1, 32));
                if (g.chance(0.3)) o.put("stream", g.coin());
                if (g.chance(0.2)) o.put("n", g.between(1, 3));
                if (g.chance(0.1)) o.put("best_of", g.between(1, 4));
                if (g.chance(0.1)) o.put("echo", true);
                if (g.chance(0.1)) o.put("logprobs", g.between(0, 5));
            }
            case EMBEDDINGS -> {
                o.put("model", g.pick(MODELS));
                o.set("input", switch (g.nextInt(4)) {
                    case 0 -> F.textNode("hello");
                    case 1 -> F.arrayNode().add("a").add("b");
                    case 2 -> F.arrayNode().add(1).add(2).add(3);
                    default -> F.arrayNode().add(F.arrayNode().add(1)).add(F.arrayNode().add(2));
                });
                if (g.chance(0.3)) o.put("dimensions", g.pick(1, 8, 256, 8192, 8193, 0, -1, 2_000_000_000));
                if (g.chance(0.3)) o.put("encoding_format", g.pick("float", "base64", "int8", ""));
            }
            case MESSAGES -> {
                o.put("model", g.pick(MODELS));
                o.put("max_tokens", g.between(1, 64));
                o.set("messages", anthropicMessages(g));
                if (g.chance(0.3)) o.put("stream", g.coin());
                if (g.chance(0.2)) o.put("system", g.pick("be brief", ""));
                if (g.chance(0.15)) o.set("tools", F.arrayNode().add(F.objectNode().put("name", "get_weather")
                        .set("input_schema", F.objectNode().put("type", "object"))));
                if (g.chance(0.1)) o.set("thinking", F.objectNode().put("type", "enabled").put("budget_tokens", g.pick(1024, 0, 2147483647)));
                if (g.chance(0.1)) o.set("stop_sequences", F.arrayNode().add("\n"));
                if (g.chance(0.15)) o.set("fallbacks", F.arrayNode().add(g.pick(MODELS)));
                if (g.chance(0.1)) o.set("metadata", F.objectNode().put("user_id", "u1"));
            }
            case RESPONSES -> {
                o.put("model", g.pick(MODELS));
                if (g.chance(0.4)) {
                    o.put("input", g.pick("Say hi", ""));
                } else {
                    ArrayNode input = o.putArray("input");
                    input.addObject().put("role", "user").putArray("content").addObject().put("type", "input_text").put("text", "hi");
                    if (g.chance(0.3)) {
                        input.addObject().put("type", "function_call").put("call_id", "call_1").put("name", "get_weather").put("arguments", "{}");
                        input.addObject().put("type", "function_call_output").put("call_id", "call_1").put("output", "18C");
                    }
                    if (g.chance(0.1)) input.addObject().put("type", "reasoning").put("encrypted_content", "x").putArray("summary");
                }
                if (g.chance(0.3)) o.put("stream", g.coin());
                if (g.chance(0.2)) o.put("instructions", g.pick("be brief", ""));
                if (g.chance(0.3)) o.put("max_output_tokens", g.pick(1, 16, 64, 0, 2147483647));
                if (g.chance(0.15)) o.set("tools", F.arrayNode().add(F.objectNode().put("type", "function").put("name", "get_weather")
                        .set("parameters", F.objectNode().put("type", "object"))));
                if (g.chance(0.1)) o.set("tools", F.arrayNode().add(F.objectNode().put("type", "custom").put("name", "apply_patch")));
                if (g.chance(0.05)) o.set("tools", F.arrayNode().add(F.objectNode().put("type", "web_search")));
                if (g.chance(0.1)) o.set("reasoning", F.objectNode().put("effort", g.pick("low", "xhigh", "none", "")));
                if (g.chance(0.1)) o.set("text", F.objectNode().set("format", F.objectNode().put("type", "json_object")));
                if (g.chance(0.1)) o.put("previous_response_id", "resp_1");
                if (g.chance(0.1)) o.set("metadata", F.objectNode().put("k", "v"));
                if (g.chance(0.15)) o.set("fallbacks", F.arrayNode().add(g.pick(MODELS)));
            }
            case RESPONSES_COMPACT -> { // as Codex CLI sends it; stream and previous_response_id only now and then
                o.put("model", g.pick(MODELS));
                if (g.chance(0.2)) {
                    o.put("input", g.pick("Summarise", ""));
                } else {
                    ArrayNode input = o.putArray("input");
                    input.addObject().put("type", "message").put("role", "user").putArray("content").addObject().put("type", "input_text").put("text", "hi");
                    if (g.chance(0.3)) input.addObject().put("type", "reasoning").put("encrypted_content", "x").putArray("summary");
                    if (g.chance(0.2)) input.addObject().put("type", "compaction").put("encrypted_content", g.pick("gAAAAB-x", "", Weird.string(g)));
                }
                if (g.chance(0.5)) o.put("instructions", g.pick("You are Codex.", ""));
                if (g.chance(0.3)) o.set("tools", F.arrayNode().add(F.objectNode().put("type", "function").put("name", "shell")
                        .set("parameters", F.objectNode().put("type", "object"))));
                if (g.chance(0.4)) o.put("parallel_tool_calls", g.coin());
                if (g.chance(0.2)) o.set("reasoning", F.objectNode().put("effort", g.pick("low", "high", "")));
                if (g.chance(0.2)) o.put("prompt_cache_key", g.pick("conv-1", Weird.string(g)));
                if (g.chance(0.05)) o.put("stream", g.coin());
                if (g.chance(0.05)) o.put("previous_response_id", "resp_1");
                if (g.chance(0.1)) o.set("fallbacks", F.arrayNode().add(g.pick(MODELS)));
            }
            case COUNT_TOKENS -> {
                o.put("model", g.pick(MODELS));
                o.set("messages", anthropicMessages(g));
                if (g.chance(0.2)) o.put("system", g.pick("be brief", ""));
                if (g.chance(0.15)) o.set("tools", F.arrayNode().add(F.objectNode().put("name", "get_weather")
                        .set("input_schema", F.objectNode().put("type", "object"))));
                if (g.chance(0.1)) o.set("thinking", F.objectNode().put("type", "enabled").put("budget_tokens", g.pick(1024, 0, 2147483647)));
                if (g.chance(0.1)) o.put("max_tokens", g.between(1, 64));
            }
            case KEY_GENERATE -> keyFields(g, o, true);
            case KEY_UPDATE -> {
                o.put("key", someKey(g));
                keyFields(g, o, false);
            }
            case KEY_DELETE -> {
                if (g.chance(0.7)) o.set("keys", F.arrayNode().add(deletable(g)));
                else o.set("key_aliases", F.arrayNode().add(g.pick("fz-alias", "victim-5", "nope", Weird.string(g))));
            }
            case KEY_BLOCK, KEY_UNBLOCK -> o.put("key", someKey(g));
            case KEY_REGENERATE -> {
                o.put("key", someKey(g));
                if (g.chance(0.2)) o.put("new_key", "sk-fuzzNEW" + g.alnum(30));
                if (g.chance(0.3)) keyFields(g, o, false);
            }
            case KEY_PATH_REGENERATE -> { if (g.chance(0.3)) keyFields(g, o, false); }
            case MODEL_NEW -> model(g, o, true);
            case MODEL_UPDATE -> {
                model(g, o, false);
                ObjectNode info = o.get("model_info") instanceof ObjectNode mi ? mi : o.putObject("model_info");
                info.put("id", g.pick(world.modelIds));
            }
            case MODEL_DELETE -> o.put("id", g.chance(0.2) ? "gpt-fake" : g.pick(world.modelIds));
            case MODEL_TEST -> model(g, o, g.coin());
            case UI_LOGIN -> {
                switch (g.nextInt(4)) {
                    case 0 -> o.put("master_key", g.chance(0.3) ? FuzzGateway.MASTER_KEY : Weird.string(g));
                    case 1 -> o.put("username", "fuzz-admin").put("password", g.chance(0.3) ? FuzzGateway.UI_PASSWORD : Weird.string(g));
                    case 2 -> o.put("username", Weird.string(g));
                    default -> { }
                }
            }
            default -> { }
        }
        return o;
    }

    /** Deleting a victim is allowed but rare, so callers that act on victims keep something to act on. */
    private String deletable(Gen g) {
        if (!world.madeKeys.isEmpty() && g.chance(0.7)) return g.pick(world.madeKeys);
        return g.chance(0.1) ? g.pick(world.victims) : someKey(g);
    }

    private static ArrayNode messages(Gen g) {
        ArrayNode m = F.arrayNode();
        if (g.chance(0.2)) m.add(F.objectNode().put("role", "system").put("content", "be brief"));
        m.add(F.objectNode().put("role", "user").put("content", g.chance(0.15) ? Weird.string(g) : "hi"));
        if (g.chance(0.15)) {
            ObjectNode a = m.addObject().put("role", "assistant");
            a.putNull("content");
            a.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function")
                    .putObject("function").put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}");
            m.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "sunny");
        }
        if (g.chance(0.1)) {
            ArrayNode parts = m.addObject().put("role", "user").putArray("content");
            parts.addObject().put("type", "text").put("text", "look");
            parts.addObject().put("type", "image_url").putObject("image_url").put("url",
                    g.pick("data:image/png;base64,iVBORw0KGgo=", "http://127.0.0.1:1/x.png", "data:,", "file:///etc/passwd"));
        }
        return m;
    }

    private static ArrayNode anthropicMessages(Gen g) {
        ArrayNode m = F.arrayNode();
        m.add(F.objectNode().put("role", "user").put("content", g.chance(0.15) ? Weird.string(g) : "hi"));
        if (g.chance(0.15)) {
            ObjectNode a = m.addObject().put("role", "assistant");
            a.putArray("content").addObject().put("type", "tool_use").put("id", "toolu_1").put("name", "get_weather").putObject("input");
            ObjectNode u = m.addObject().put("role", "user");
            u.putArray("content").addObject().put("type", "tool_result").put("tool_use_id", "toolu_1").put("content", "sunny");
        }
        return m;
    }

    private static void chatExtras(Gen g, ObjectNode o) {
        if (g.chance(0.35)) o.put("stream", g.coin());
        if (o.path("stream").asBoolean() && g.chance(0.5)) o.set("stream_options", F.objectNode().put("include_usage", g.coin()));
        if (g.chance(0.2)) o.put("max_tokens", g.between(1, 64));
        if (g.chance(0.1)) o.put("max_completion_tokens", g.between(1, 64));
        if (g.chance(0.2)) o.put("temperature", g.nextDouble() * 2);
        if (g.chance(0.1)) o.put("top_p", g.nextDouble());
        if (g.chance(0.1)) o.put("n", g.between(1, 4));
        if (g.chance(0.05)) o.put("seed", g.nextLong());
        if (g.chance(0.05)) o.put("user", "u1");
        if (g.chance(0.05)) o.set("stop", F.arrayNode().add("\n").add("END"));
        if (g.chance(0.05)) o.put("logprobs", true).put("top_logprobs", g.between(0, 20));
        if (g.chance(0.15)) {
            o.set("tools", F.arrayNode().add(F.objectNode().put("type", "function").set("function",
                    F.objectNode().put("name", "get_weather").set("parameters", F.objectNode().put("type", "object")))));
            if (g.coin()) o.put("tool_choice", g.pick("auto", "none", "required"));
        }
        if (g.chance(0.08)) o.set("response_format", F.objectNode().put("type", g.pick("text", "json_object")));
        if (g.chance(0.05)) o.set("thinking", F.objectNode().put("type", "enabled").put("budget_tokens", 1024));
        if (g.chance(0.05)) o.put("reasoning_effort", g.pick("low", "high"));
        if (g.chance(0.12)) {
            ArrayNode f = o.putArray("fallbacks");
            for (int i = g.between(1, 3); i > 0; i--) f.add(g.pick(MODELS));
        }
        if (g.chance(0.1)) o.put("num_retries", g.between(0, 3));
        if (g.chance(0.08)) o.set("metadata", F.objectNode().put("tag", "fuzz"));
        if (g.chance(0.03)) o.set("logit_bias", F.objectNode().put("50256", -100));
    }

    private void keyFields(Gen g, ObjectNode o, boolean generate) {
        List<Map.Entry<String, JsonNode>> all = List.of(
                Map.entry("key_alias", F.textNode(g.chance(0.5) ? "fz-alias" : "fz-" + g.alnum(6))),
                Map.entry("models", F.arrayNode().add(g.pick("mock", "gpt", "openai/*", "*"))),
                Map.entry("max_budget", F.numberNode(g.pick(0.0, 0.0000001, 1.0, 1e9, 1e9 + 1))),
                Map.entry("budget_duration", F.textNode(g.pick("30s", "30d", "1mo", "2w", "101y", "0d", "x"))),
                Map.entry("soft_budget", F.numberNode(0.5)),
                Map.entry("model_max_budget", F.objectNode().set("mock", F.objectNode().put("budget_limit", 1.0).put("time_period", "1d"))),
                Map.entry("spend", F.numberNode(g.pick(0.0, 1.0, -1.0))),
                Map.entry("rpm_limit", F.numberNode(g.pick(1L, 60L, 1_000_000_000_000_000L, 1_000_000_000_000_001L))),
                Map.entry("tpm_limit", F.numberNode(g.pick(1L, 100_000L))),
                Map.entry("max_parallel_requests", F.numberNode(g.pick(1, 10))),
                Map.entry("model_rpm_limit", F.objectNode().put("mock", 10)),
                Map.entry("model_tpm_limit", F.objectNode().put("mock", 1000)),
                Map.entry("duration", g.chance(0.2) ? F.nullNode() : F.textNode(g.pick("30s", "90d", "-1", "1000y", "1mo"))),
                Map.entry("expires", F.textNode(g.pick("2030-01-31T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+999999999-12-31T23:59:59Z", "2026-02-30T00:00:00Z"))),
                Map.entry("metadata", F.objectNode().put("owner", "fuzz")),
                Map.entry("user_id", F.textNode("u1")),
                Map.entry("team_id", F.textNode("t1")),
                Map.entry("blocked", F.booleanNode(g.coin())),
                Map.entry("aliases", F.objectNode().put("gpt-4", g.pick("mock", "nope"))),
                Map.entry("allowed_routes", F.arrayNode().add(g.pick("/chat/completions", "openai_routes", "management_routes", "/key/*", "/nope", ""))),
                Map.entry("key_type", F.textNode(g.pick("default", "llm_api", "management", "read_only", "admin", "root"))),
                Map.entry("tags", F.arrayNode().add("a")),
                Map.entry("permissions", F.objectNode()));
        for (Map.Entry<String, JsonNode> e : all) {
            if (g.chance(0.15)) o.set(e.getKey(), e.getValue());
        }
        if (generate && g.chance(0.1)) o.put("key", "sk-fuzzCUSTOM" + g.alnum(g.pick(4, 30, 60)));
    }

    /**
     * A runtime model.
     * <p>Credentials include one with CR/LF: such a header value fails the attempt at once (it used to hang the call).
     * <p>Latency knobs stay small: a deployment an admin makes slow on purpose is not the gateway hanging.
     */
    private void model(Gen g, ObjectNode o, boolean withName) {
        if (withName) o.put("model_name", g.pick("fz-0", "fz-1", "fz-2", "fz-" + g.alnum(3), Weird.string(g).replace("mock", "m0ck")));
        ObjectNode lp = o.putObject("litellm_params");
        String provider = g.pick("mock/mock-gpt", "openai/gpt-4o", "anthropic/claude-x", "groq/llama", "azure/dep", "gemini/gemini-pro",
                "ollama/llama3", "nope/x", "", "openai/");
        lp.put("model", provider);
        if (g.chance(0.7)) lp.put("api_base", g.pick(world.openai.openAiBase(), world.anthropic.host(), "http://127.0.0.1:1/v1",
                "https://user:pw@127.0.0.1:1/v1?api-key=sk-fuzzQUERYsecret123", "os.environ/GATEWAY_MASTER_KEY", "os.environ/FUZZ_OPENAI_KEY",
                "ftp://127.0.0.1/", "not a url", "http://[::1]:1/"));
        if (g.chance(0.7)) lp.put("api_key", g.pick(FuzzGateway.RUNTIME_PROVIDER_KEY, FuzzGateway.OPENAI_KEY, "os.environ/FUZZ_OPENAI_KEY",
                "os.environ/GATEWAY_MASTER_KEY", "os.environ/GATEWAY_SALT_KEY", "os.environ/DATABASE_URL", "os.environ/NOT_LISTED", "", "short", "sk-x\r\ny"));
        if (g.chance(0.3)) lp.set("timeout", g.pick(F.numberNode(1), F.numberNode(3), F.numberNode(-1), F.numberNode(1e308), F.textNode("os.environ/GATEWAY_MASTER_KEY"), F.textNode("x")));
        if (g.chance(0.2)) lp.set("mock_latency_ms", g.pick(F.numberNode(0), F.numberNode(50), F.numberNode(-1), F.numberNode(1e12), F.textNode("x")));
        if (g.chance(0.2)) lp.set("mock_error_status", g.pick(F.numberNode(503), F.numberNode(500), F.numberNode(200), F.numberNode(999), F.numberNode(429)));
        if (g.chance(0.1)) lp.set("mock_response", F.textNode(Weird.string(g)));
        if (g.chance(0.15)) lp.set("weight", g.pick(F.numberNode(1), F.numberNode(0), Weird.raw("NaN"), Weird.raw("1e400"), F.numberNode(-5)));
        if (g.chance(0.1)) lp.set("rpm", Weird.number(g));
        if (g.chance(0.1)) lp.set("input_cost_per_token", Weird.number(g));
        if (g.chance(0.05)) lp.put("aws_secret_access_key", "os.environ/GATEWAY_SALT_KEY");
        if (g.chance(0.4)) {
            ObjectNode info = o.putObject("model_info");
            if (g.coin()) info.put("id", g.pick("fz-id-" + g.alnum(4), "gpt-fake", "id\r\nX: y", "id\u0000", "\u00e9t\u00e9", "x".repeat(300)));
            if (g.chance(0.2)) info.put("description", "os.environ/GATEWAY_MASTER_KEY");
        }
    }

    /** Damages a valid body: a field's type or value, a field removed or added, the body's own type. */
    private static JsonNode mutate(Gen g, JsonNode tree, Route route) {
        int rounds = g.between(1, 3);
        for (int r = 0; r < rounds; r++) {
            if (g.chance(0.06)) return g.pick(F.arrayNode().add(tree), F.textNode("{}"), F.nullNode(), F.numberNode(1), F.arrayNode());
            if (!(tree instanceof ObjectNode o)) return tree;
            switch (g.nextInt(5)) {
                case 0, 1 -> { // a known field gets a weird value
                    ObjectNode target = pickObject(g, o);
                    List<String> names = new ArrayList<>();
                    target.fieldNames().forEachRemaining(names::add);
                    String name = names.isEmpty() || g.chance(0.3) ? g.pick(fieldsOf(route)) : g.pick(names);
                    target.set(name, Weird.value(g, 0));
                }
                case 2 -> { // remove a field
                    List<String> names = new ArrayList<>();
                    o.fieldNames().forEachRemaining(names::add);
                    if (!names.isEmpty()) o.remove(g.pick(names));
                }
                case 3 -> o.set(g.pick("unknown_field", "__proto__", "constructor", "", " ", "model\u0000", "\uD83D\uDE00", g.alnum(8)), Weird.value(g, 0));
                default -> { // a nested container gets a weird value
                    ObjectNode target = pickObject(g, o);
                    target.set(g.pick("content", "role", "type", "name", "function", "text", "arguments", "input", "id"), Weird.value(g, 0));
                }
            }
        }
        return tree;
    }

    /** The body or one of the objects inside it (messages, params, tool definitions). */
    private static ObjectNode pickObject(Gen g, ObjectNode root) {
        List<ObjectNode> objects = new ArrayList<>();
        collect(root, objects, 0);
        return g.pick(objects);
    }

    private static void collect(JsonNode n, List<ObjectNode> out, int depth) {
        if (depth > 6) return;
        if (n instanceof ObjectNode o) out.add(o);
        Iterator<JsonNode> it = n.elements();
        while (it.hasNext()) collect(it.next(), out, depth + 1);
    }

    private static List<String> fieldsOf(Route route) {
        return switch (route) {
            case CHAT -> List.of("model", "messages", "stream", "stream_options", "temperature", "top_p", "n", "max_tokens",
                    "max_completion_tokens", "presence_penalty", "frequency_penalty", "seed", "logprobs", "top_logprobs", "top_k",
                    "thinking", "user", "stop", "tools", "tool_choice", "response_format", "fallbacks", "num_retries", "metadata",
                    "logit_bias", "reasoning_effort", "timeout", "api_base", "api_key", "mock_response", "mock_latency_ms");
            case COMPLETIONS -> List.of("model", "prompt", "n", "best_of", "logprobs", "max_tokens", "temperature", "stop", "echo", "suffix", "stream", "fallbacks", "num_retries");
            case EMBEDDINGS -> List.of("model", "input", "dimensions", "encoding_format", "user", "fallbacks", "num_retries");
            case MESSAGES -> List.of("model", "messages", "max_tokens", "system", "stream", "tools", "tool_choice", "stop_sequences",
                    "temperature", "top_p", "top_k", "thinking", "metadata", "fallbacks", "num_retries");
            case COUNT_TOKENS -> List.of("model", "messages", "system", "tools", "tool_choice", "thinking", "max_tokens", "fallbacks");
            case RESPONSES_COMPACT -> List.of("model", "input", "instructions", "tools", "parallel_tool_calls", "reasoning", "text",
                    "prompt_cache_key", "previous_response_id", "stream", "fallbacks", "num_retries");
            case RESPONSES -> List.of("model", "input", "instructions", "stream", "max_output_tokens", "tools", "tool_choice",
                    "parallel_tool_calls", "temperature", "top_p", "reasoning", "text", "store", "previous_response_id", "metadata",
                    "include", "prompt_cache_key", "user", "fallbacks", "num_retries");
            case KEY_GENERATE, KEY_UPDATE, KEY_REGENERATE, KEY_PATH_REGENERATE -> List.of("key", "key_alias", "models", "max_budget",
                    "budget_duration", "soft_budget", "model_max_budget", "spend", "rpm_limit", "tpm_limit", "max_parallel_requests",
                    "model_rpm_limit", "model_tpm_limit", "duration", "expires", "metadata", "user_id", "team_id", "blocked", "aliases",
                    "allowed_routes", "key_type", "new_key");
            case KEY_DELETE -> List.of("keys", "key_aliases");
            case KEY_BLOCK, KEY_UNBLOCK -> List.of("key");
            case MODEL_NEW, MODEL_UPDATE, MODEL_TEST -> List.of("model_name", "litellm_params", "model_info", "id");
            case MODEL_DELETE -> List.of("id");
            case UI_LOGIN -> List.of("master_key", "username", "password");
            default -> List.of("x");
        };
    }

    /** A body from a few KB to past the 32 MiB default limit. */
    private static byte[] big(Gen g, Route route) {
        int size = switch (g.weighted(50, 30, 15, 5)) {
            case 0 -> 256 * 1024;
            case 1 -> 2 * 1024 * 1024;
            case 2 -> 6 * 1024 * 1024;
            default -> 33 * 1024 * 1024;
        };
        String prefix = route == Route.EMBEDDINGS ? "{\"model\":\"mock\",\"input\":\"" : "{\"model\":\"mock\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"";
        String suffix = route == Route.EMBEDDINGS ? "\"}" : "\"}]}";
        byte[] b = new byte[size];
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] s = suffix.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(p, 0, b, 0, p.length);
        for (int i = p.length; i < size - s.length; i++) b[i] = (byte) (i % 7 == 0 ? ' ' : 'a' + i % 26);
        System.arraycopy(s, 0, b, size - s.length, s.length);
        return b;
    }
}
