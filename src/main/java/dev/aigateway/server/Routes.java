package dev.aigateway.server;

import dev.aigateway.core.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The route table. Every route answers with and without the {@code /v1} prefix and with a trailing
 * slash, as LiteLLM's do. Exact paths are one hash lookup; the few routes with a path parameter are
 * prefix matches. Unknown paths and wrong methods get OpenAI-shaped 404/405 errors.
 */
public final class Routes implements Handler<HttpServerRequest> {
    private final Map<String, Map<HttpMethod, Handler<HttpServerRequest>>> exact = new HashMap<>();
    private final Map<String, Map<HttpMethod, BiConsumer<HttpServerRequest, String>>> prefixed = new LinkedHashMap<>();
    /** Every segment of every route's own path ("v1", "key", "regenerate"...): what the access log may print. */
    private final Set<String> words = new HashSet<>();
    private final RequestPipeline pipeline;

    public Routes(RequestPipeline pipeline) {
        this.pipeline = pipeline;
        words.add("v1");
        pipeline.pathsForLog(this::loggedPath);
    }

    public Routes add(HttpMethod method, String path, Handler<HttpServerRequest> handler) {
        exact.computeIfAbsent(path, k -> new HashMap<>()).put(method, handler);
        addWords(path);
        return this;
    }

    /** A route whose path continues with a parameter, e.g. {@code /models/} + id. */
    public Routes addPrefix(HttpMethod method, String prefix, BiConsumer<HttpServerRequest, String> handler) {
        prefixed.computeIfAbsent(prefix, k -> new HashMap<>()).put(method, handler);
        addWords(prefix);
        return this;
    }

    /**
     * One route of the table: its path as registered (served with and without {@code /v1}; a route taking a path
     * parameter ends in {@code {param}}) and its methods, sorted.
     */
    public record Entry(String path, List<String> methods) {}

    /** Every route, sorted by path: what {@code GET /routes} lists. */
    public List<Entry> entries() {
        Map<String, List<String>> out = new TreeMap<>();
        exact.forEach((path, byMethod) -> out.put(path, methodNames(byMethod.keySet())));
        prefixed.forEach((prefix, byMethod) -> out.put(prefix + "{param}", methodNames(byMethod.keySet())));
        List<Entry> entries = new ArrayList<>(out.size());
        out.forEach((path, methods) -> entries.add(new Entry(path, methods)));
        return entries;
    }

    private static List<String> methodNames(Set<HttpMethod> methods) {
        Set<String> names = new TreeSet<>();
        methods.forEach(m -> names.add(m.name()));
        return List.copyOf(names);
    }

    /**
     * A request's path as the access log writes it: the route's own words, and {@code *} for every other segment.
     * A path can carry what must not be logged (LiteLLM's {@code POST /key/{key}/regenerate} has the live key in it;
     * a client may send a key as a path by mistake): only text from the route table is printed, never the client's.
     * The query string is never logged at all.
     */
    String loggedPath(String path) {
        if (exact.containsKey(normalize(path))) return path;
        StringBuilder b = new StringBuilder(path.length());
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(start, end);
            b.append(segment.isEmpty() || words.contains(segment) ? segment : "*");
            if (slash < 0) break;
            b.append('/');
            start = slash + 1;
        }
        return b.toString();
    }

    private void addWords(String path) {
        for (String w : path.split("/")) {
            if (!w.isEmpty()) words.add(w);
        }
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (req.query() != null && !queryDecodes(req)) {
            refuse(req, GatewayException.badRequest("The query string is not valid: every '%' must be followed by two hex digits.", null));
            return;
        }
        String path = normalize(req.path());
        Map<HttpMethod, Handler<HttpServerRequest>> byMethod = exact.get(path);
        if (byMethod != null) {
            Handler<HttpServerRequest> h = byMethod.get(req.method());
            if (h != null) h.handle(req);
            else refuse(req, methodNotAllowed(req, byMethod.keySet()));
            return;
        }
        for (Map.Entry<String, Map<HttpMethod, BiConsumer<HttpServerRequest, String>>> e : prefixed.entrySet()) {
            if (path.startsWith(e.getKey()) && path.length() > e.getKey().length()) {
                BiConsumer<HttpServerRequest, String> h = e.getValue().get(req.method());
                if (h != null) h.accept(req, path.substring(e.getKey().length()));
                else refuse(req, methodNotAllowed(req, e.getValue().keySet()));
                return;
            }
        }
        refuse(req, GatewayException.notFound("Unknown route " + req.method() + " " + req.path()
                + ". The API lives under /v1 (e.g. POST /v1/chat/completions, GET /v1/models)."));
    }

    /**
     * Decodes the query once, here (Vert.x keeps the result), so a bad percent-escape is one 400 and never an exception
     * deep in a handler, whose message would carry the whole query (keys included) into the log.
     */
    private static boolean queryDecodes(HttpServerRequest req) {
        try {
            req.params();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void refuse(HttpServerRequest req, GatewayException e) {
        Responses.error(pipeline.begin(req), e);
    }

    private static GatewayException methodNotAllowed(HttpServerRequest req, Set<HttpMethod> allowed) {
        return GatewayException.methodNotAllowed(
                req.method() + " is not allowed on " + req.path() + "; use " + String.join(" or ", methodNames(allowed)) + ".");
    }

    static String normalize(String path) {
        String p = path;
        if (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (p.startsWith("/v1/")) p = p.substring(3);
        else if (p.equals("/v1")) p = "/";
        return p;
    }
}
