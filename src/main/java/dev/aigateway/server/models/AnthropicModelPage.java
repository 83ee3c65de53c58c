package dev.aigateway.server.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import io.vertx.core.MultiMap;

import java.util.List;
import java.util.function.Function;

/**
 * One page of Anthropic's model list ({@code GET /v1/models} with {@code anthropic-version}), paged as Anthropic's API
 * pages it: {@code limit} (1-1000, default 20) models, after the model {@code after_id} or before {@code before_id}
 * (the page that ends just before it), with {@code has_more} saying whether more lie further in that direction and
 * {@code first_id}/{@code last_id} the ids on the page (null on an empty page). The order is the gateway's model order,
 * the same on every page; a {@code lifecycle} filter without {@code active} lists nothing. A cursor must be a model the caller can see: anything else is a 400, which does not tell a
 * model the key may not use from one that does not exist.
 */
final class AnthropicModelPage {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;
    /** The one lifecycle the gateway's models have: a model it serves is in use. */
    static final String ACTIVE = "active";

    private AnthropicModelPage() {}

    static ObjectNode of(List<String> all, MultiMap params, Function<String, ObjectNode> describe) {
        List<String> models = activeAsked(params) ? all : List.of();
        int limit = limit(params.get("limit"));
        String after = params.get("after_id");
        String before = params.get("before_id");
        if (after != null && before != null) {
            throw GatewayException.badRequest("after_id and before_id cannot be used together.", "before_id");
        }
        int from;
        int to;
        boolean hasMore;
        if (before != null) {
            to = cursor(models, before, "before_id");
            from = Math.max(0, to - limit);
            hasMore = from > 0;
        } else {
            from = after == null ? 0 : cursor(models, after, "after_id") + 1;
            to = Math.min(models.size(), from + limit);
            hasMore = to < models.size();
        }
        ObjectNode out = Json.object();
        ArrayNode data = out.putArray("data");
        for (String m : models.subList(from, to)) data.add(describe.apply(m));
        out.put("has_more", hasMore);
        if (from < to) {
            out.put("first_id", models.get(from));
            out.put("last_id", models.get(to - 1));
        } else {
            out.putNull("first_id");
            out.putNull("last_id");
        }
        return out;
    }

    /**
     * Whether the {@code lifecycle} filter (repeated, or comma-separated: {@code active}, {@code deprecated},
     * {@code retired}) takes active models: every model the gateway serves is active. No filter takes them.
     */
    private static boolean activeAsked(MultiMap params) {
        List<String> lifecycle = params.getAll("lifecycle");
        if (lifecycle.isEmpty()) return true;
        for (String v : lifecycle) {
            for (String one : v.split(",")) {
                if (one.strip().equals(ACTIVE)) return true;
            }
        }
        return false;
    }

    private static int limit(String raw) {
        if (raw == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below, as for any value out of range
        }
        throw GatewayException.badRequest("limit: must be a whole number from 1 to " + MAX_LIMIT + ".", "limit");
    }

    private static int cursor(List<String> models, String id, String param) {
        int at = models.indexOf(id);
        if (at < 0) throw GatewayException.badRequest(param + ": no model with this id is listed for this key.", param);
        return at;
    }
}
