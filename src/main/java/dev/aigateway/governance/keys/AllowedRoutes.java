package dev.aigateway.governance.keys;

import java.util.List;
import java.util.Map;

/**
 * A key's {@code allowed_routes}, matched as LiteLLM matches them. An entry allows a route when it is
 * <ul>
 *   <li>the route itself ({@code /chat/completions}; with or without {@code /v1}, as every route answers both ways);</li>
 *   <li>a prefix of it at a {@code /} ({@code /key} allows {@code /key/generate}, not {@code /keys});</li>
 *   <li>a pattern ending in {@code *} ({@code /key/*}, {@code /spend*});</li>
 *   <li>the name of a route group ({@link #GROUPS}: {@code llm_api_routes}, {@code management_routes}, ...).</li>
 * </ul>
 * An empty list allows every route. The check applies to every authenticated route, admin routes included: a
 * management key limited to {@code /chat/completions} cannot issue keys.
 */
public final class AllowedRoutes {
    private static final List<String> OPENAI = List.of("/chat/completions", "/completions", "/embeddings", "/responses", "/responses/compact", "/models", "/models/*");
    private static final List<String> ANTHROPIC = List.of("/messages");
    private static final List<String> SPEND = List.of("/spend/logs", "/spend/daily", "/spend/calculate", "/global/spend");
    private static final List<String> MODEL_INFO = List.of("/model/info", "/v2/model/info", "/model_group/info");

    /** LiteLLM's route groups, as far as this gateway has their routes (paths without /v1). */
    public static final Map<String, List<String>> GROUPS = Map.of(
            "openai_routes", OPENAI,
            "anthropic_routes", ANTHROPIC,
            "llm_api_routes", concat(OPENAI, ANTHROPIC, MODEL_INFO),
            "info_routes", concat(List.of("/key/info", "/key/list", "/health", "/models", "/models/*"), MODEL_INFO),
            "management_routes", concat(List.of("/key/*", "/model/new", "/model/update", "/model/delete", "/model/test",
                    "/ui/api/deployments", "/routes"), MODEL_INFO, SPEND),
            "spend_tracking_routes", SPEND,
            "public_routes", List.of("/health/liveliness", "/health/liveness", "/health/readiness"));

    private AllowedRoutes() {}

    /** Whether {@code allowed} lets a key call {@code path} (already without /v1 and a trailing slash). */
    public static boolean allows(List<String> allowed, String path) {
        if (allowed == null || allowed.isEmpty()) return true;
        for (String entry : allowed) {
            List<String> group = GROUPS.get(entry);
            if (group != null) {
                for (String g : group) if (matches(g, path)) return true;
            } else if (matches(normalize(entry), path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String entry, String path) {
        if (entry.endsWith("*")) return path.startsWith(entry.substring(0, entry.length() - 1));
        return path.equals(entry) || path.startsWith(entry) && path.charAt(entry.length()) == '/';
    }

    /** {@code /v1/chat/completions/} and {@code /chat/completions} are the same route. */
    static String normalize(String entry) {
        String e = entry.strip();
        if (e.length() > 1 && e.endsWith("/")) e = e.substring(0, e.length() - 1);
        if (e.startsWith("/v1/")) e = e.substring(3);
        return e;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
