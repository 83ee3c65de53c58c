package dev.aigateway.server.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.access.ModelAccess;
import dev.aigateway.governance.tenancy.Tenancy;
import dev.aigateway.router.ModelCatalog;
import dev.aigateway.router.Router;
import dev.aigateway.server.ErrorShape;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the model names this caller may use (a wildcard entry's as
 * the known models it serves; {@code /v1/models/{id}} answers for any name it serves). In OpenAI's shape, or,
 * when the request carries {@code anthropic-version} (Anthropic's SDKs and Claude Code always send it), in Anthropic's
 * ({@link AnthropicModelPage}: {@code limit}, {@code after_id}/{@code before_id} paging, Anthropic error bodies).
 */
public final class ModelsHandler {
    private final RequestPipeline pipeline;
    private final Router router;
    private final ModelAccess access;
    private final Tenancy tenancy;
    /** Each model's {@code created}: when this gateway started. */
    private final long createdSeconds;
    /** The same instant as Anthropic writes it (RFC 3339). */
    private final String createdAt;
    /** A provider's known models (the price table's), to list what a wildcard entry serves. */
    private final Function<String, Collection<String>> knownModels;
    /** The names the current catalog lists, computed once per catalog. */
    private volatile Listed listed;

    private record Listed(ModelCatalog catalog, List<String> names) {}

    public ModelsHandler(RequestPipeline pipeline, Router router, ModelAccess access, Tenancy tenancy, long startedAtMillis,
                         Function<String, Collection<String>> knownModels) {
        this.pipeline = pipeline;
        this.router = router;
        this.access = access;
        this.tenancy = tenancy;
        this.knownModels = knownModels;
        this.createdSeconds = startedAtMillis / 1000;
        this.createdAt = Instant.ofEpochSecond(createdSeconds).toString();
    }

    public void list(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        boolean anthropic = anthropic(req);
        try {
            pipeline.authenticate(ctx);
            List<String> visible = new ArrayList<>();
            boolean onlyGroups = flag(req, "only_model_access_groups");
            if (!onlyGroups) {
                for (String name : listedNames()) {
                    if (mayUse(ctx, name)) visible.add(name);
                }
            }
            if (onlyGroups || flag(req, "include_model_access_groups")) visible.addAll(usableGroups(ctx));
            if (anthropic) {
                Responses.json(ctx, 200, AnthropicModelPage.of(visible, req.params(), this::anthropicModel));
                return;
            }
            ObjectNode out = Json.object();
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            for (String name : visible) data.add(model(name));
            Responses.json(ctx, 200, out);
        } catch (RuntimeException e) {
            error(ctx, e, anthropic);
        }
    }

    public void get(HttpServerRequest req, String id) {
        RequestContext ctx = pipeline.begin(req);
        boolean anthropic = anthropic(req);
        try {
            pipeline.authenticate(ctx);
            if (!router.catalog().contains(id) || !mayUse(ctx, id)) {
                throw GatewayException.modelNotFound(id);
            }
            Responses.json(ctx, 200, anthropic ? anthropicModel(id) : model(id));
        } catch (RuntimeException e) {
            error(ctx, e, anthropic);
        }
    }

    /**
     * Exact names, and for a wildcard entry the known models it serves (LiteLLM lists {@code anthropic/*} as Anthropic's
     * models from its price map), bounded per entry ({@link ModelCatalog#listedNames}).
     */
    public List<String> listedNames() {
        ModelCatalog catalog = router.catalog();
        Listed l = listed;
        if (l == null || l.catalog() != catalog) listed = l = new Listed(catalog, catalog.listedNames(knownModels));
        return l.names();
    }

    /** The caller's key allows the model, and so do its team, organization and user (LiteLLM lists a team key's team models). */
    private boolean mayUse(RequestContext ctx, String model) {
        return access.allows(ctx.principal(), model) && tenancy.refusal(ctx.principal().key(), null, model) == null;
    }

    /**
     * LiteLLM's {@code include_model_access_groups} / {@code only_model_access_groups}: the access groups the caller may
     * use every model of, by name.
     */
    private List<String> usableGroups(RequestContext ctx) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Set<String>> g : router.catalog().accessGroups().entrySet()) {
            if (g.getValue().stream().allMatch(m -> mayUse(ctx, m))) out.add(g.getKey());
        }
        return out;
    }

    private static boolean flag(HttpServerRequest req, String name) {
        return "true".equalsIgnoreCase(req.getParam(name));
    }

    /** Anthropic's clients send {@code anthropic-version} on every request; OpenAI's never do. */
    private static boolean anthropic(HttpServerRequest req) {
        return req.getHeader("anthropic-version") != null;
    }

    private static void error(RequestContext ctx, RuntimeException e, boolean anthropic) {
        if (anthropic) Responses.error(ctx, e, ErrorShape.ANTHROPIC);
        else Responses.error(ctx, e);
    }

    private ObjectNode model(String name) {
        ObjectNode m = Json.object();
        m.put("id", name);
        m.put("object", "model");
        m.put("created", createdSeconds);
        m.put("owned_by", "ai-gateway");
        return m;
    }

    /** A model as Anthropic describes one; the gateway has no friendlier name than the one clients send. */
    private ObjectNode anthropicModel(String name) {
        ObjectNode m = Json.object();
        m.put("type", "model");
        m.put("id", name);
        m.put("display_name", name);
        m.put("created_at", createdAt);
        m.put("lifecycle", AnthropicModelPage.ACTIVE);
        return m;
    }
}
