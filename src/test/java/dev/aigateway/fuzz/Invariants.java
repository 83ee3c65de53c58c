package dev.aigateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What must hold for every answer, whatever was asked:
 * <ul>
 *   <li>an answer comes, within the bound (no hang); a connection closed without one only where the request's own
 *       framing was broken (a body that promised more than it sent, bad chunks);</li>
 *   <li>no 500, and no other 5xx except the upstream-origin ones (502 upstream_error, 503 service_unavailable /
 *       no_healthy_deployment / gateway_overloaded, 504, and Anthropic's 529 on its own API) on routes that call an upstream;</li>
 *   <li>every error is JSON in OpenAI's shape (Anthropic's on /messages) with a message and a type, and no stack trace
 *       or class name in it;</li>
 *   <li>no operator secret in the answer's headers or body, and no virtual key except the new one that /key/generate
 *       or /key/regenerate shows its caller, or one the request itself carried.</li>
 * </ul>
 */
public final class Invariants {
    static final Set<String> UPSTREAM_CODES = Set.of("upstream_error", "service_unavailable", "no_healthy_deployment",
            "gateway_overloaded", "timeout");
    /** Text that means an internal detail leaked into a message. */
    static final List<String> LEAK_MARKERS = List.of("\tat ", "Exception", "com.fasterxml", "java.lang.", "java.util.",
            "io.vertx", "io.netty", "dev.aigateway.", "NullPointer");

    private Invariants() {}

    public static List<String> check(RequestGen.Case c, RawExchange.Response r, Secrets secrets) {
        List<String> v = new ArrayList<>();
        RawExchange.Request q = c.request();
        if (r.status() < 0) {
            boolean framingBroken = q.framing() == RawExchange.Framing.DECLARE_MORE || q.framing() == RawExchange.Framing.BAD_CHUNKED;
            if (r.timedOut()) v.add("no answer within " + FuzzGateway.TIMEOUT_MS + " ms (hang): " + r.failure());
            else if (!framingBroken) v.add("no answer: " + r.failure());
            return v;
        }
        int s = r.status();
        String body = r.bodyText();
        if (s == 500) v.add("500 from the gateway");
        else if (s >= 500) {
            String code = errorCode(body);
            if (!c.route().reachesUpstream() && s != 503) v.add(s + " on a route that calls no upstream");
            // 529: Anthropic's overloaded_error, answered as Anthropic did on its own API's routes
            boolean anthropics = s == 529 && c.route().family == Route.Family.ANTHROPIC;
            if (!(s == 502 || s == 503 || s == 504 || anthropics) || code == null || !UPSTREAM_CODES.contains(code)) {
                v.add(s + " that is not an upstream-origin status/code (code " + code + ")");
            }
        }
        boolean head = q.method().equalsIgnoreCase("HEAD");
        if (s >= 400 && !head) errorShape(c, r, v);
        if (s / 100 == 2 && !head) successShape(c, r, v);
        secretsIn(c, r, secrets, v);
        return v;
    }

    private static void errorShape(RequestGen.Case c, RawExchange.Response r, List<String> v) {
        String ct = r.header("content-type");
        if (r.body().length == 0) {
            v.add(r.status() + " with an empty body (errors must be OpenAI-shaped JSON)");
            return;
        }
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) v.add(r.status() + " error with content-type " + ct);
        JsonNode n = Json.tryParse(r.body());
        if (n == null) {
            v.add(r.status() + " error body is not JSON");
            return;
        }
        boolean anthropic = n.path("type").asText().equals("error");
        if (anthropic && !anthropicRoute(c)) v.add("Anthropic error shape on a route that is not Anthropic's");
        JsonNode e = n.path("error");
        if (!e.path("message").isTextual() || e.path("message").asText().isBlank()) v.add("error without error.message");
        if (!e.path("type").isTextual() || e.path("type").asText().isBlank()) v.add("error without error.type");
        String message = e.path("message").asText();
        for (String marker : LEAK_MARKERS) {
            if (message.contains(marker)) {
                v.add("error message shows an internal detail (" + marker.strip() + ")");
                break;
            }
        }
    }

    /** /messages, /messages/count_tokens, and /models asked with anthropic-version: the routes that answer as Anthropic. */
    private static boolean anthropicRoute(RequestGen.Case c) {
        String p = c.request().path();
        if (p.endsWith("/messages") || p.endsWith("/messages/") || p.endsWith("/messages/count_tokens") || p.endsWith("/messages/count_tokens/")) {
            return true;
        }
        return (c.route() == Route.MODELS || c.route() == Route.MODEL_BY_ID) && c.request().header("anthropic-version") != null;
    }

    private static void successShape(RequestGen.Case c, RawExchange.Response r, List<String> v) {
        String ct = r.header("content-type");
        if (ct == null) return;
        String lower = ct.toLowerCase(Locale.ROOT);
        if (lower.startsWith("application/json") && Json.tryParse(r.body()) == null) v.add("2xx JSON answer that does not parse");
        if (lower.startsWith("text/event-stream")) {
            for (String line : r.bodyText().split("\n")) {
                if (!line.startsWith("data: ")) continue;
                String data = line.substring(6).strip();
                if (!data.equals("[DONE]") && Json.tryParse(data.getBytes(StandardCharsets.UTF_8)) == null) {
                    v.add("stream event that is not JSON: " + abbreviate(data));
                    break;
                }
            }
        }
    }

    private static void secretsIn(RequestGen.Case c, RawExchange.Response r, Secrets secrets, List<String> v) {
        String sent = new String(c.request().body(), StandardCharsets.UTF_8) + "\n" + c.request().target();
        String shownKey = null;
        if (c.route().showsNewKey() && r.status() == 200) {
            JsonNode n = Json.tryParse(r.body());
            if (n != null && n.path("key").isTextual()) shownKey = n.path("key").asText();
        }
        for (Secrets.Hit h : secrets.find(r.headerText())) {
            v.add("secret in a response header: " + h.name());
        }
        for (Secrets.Hit h : secrets.find(r.bodyText())) {
            if (h.serverSecret()) v.add("operator secret in the answer: " + h.name());
            else if (h.value().equals(shownKey)) { /* the new key, shown once to the caller who asked for it */ }
            else if (sent.contains(h.value()) || sent.contains(h.value().substring(Math.min(3, h.value().length())))) { /* echoes what it was sent */ }
            else v.add("virtual key in the answer: " + h.name());
        }
    }

    static String errorCode(String body) {
        JsonNode n = Json.tryParse(body.getBytes(StandardCharsets.UTF_8));
        if (n == null) return null;
        JsonNode code = n.path("error").path("code");
        return code.isTextual() ? code.asText() : null;
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
    }
}
