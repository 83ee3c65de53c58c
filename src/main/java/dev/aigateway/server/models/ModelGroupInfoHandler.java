package dev.aigateway.server.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.access.ModelAccess;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.router.ModelCatalog;
import dev.aigateway.router.Router;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /model_group/info[?model_group=]}: LiteLLM's per-model-group summary (providers, context window, prices,
 * mode, rate limits, capabilities, access groups) for the groups the calling key may use, any key. The groups are the
 * names {@code /v1/models} lists (a wildcard entry as the known models it serves); the entries are built once per
 * catalog, so a request only filters them by the key's access.
 */
public final class ModelGroupInfoHandler {
    /** Capability flags LiteLLM reports per group; true when any deployment's model_info says so. */
    private static final List<String> FLAGS = List.of("supports_parallel_function_calling", "supports_vision",
            "supports_function_calling", "supports_web_search", "supports_prompt_caching", "supports_response_schema",
            "supports_tool_choice");

    private final RequestPipeline pipeline;
    private final Router router;
    private final ModelAccess access;
    private final Pricing pricing;
    /** The names a model listing shows (computed once per catalog by {@link ModelsHandler}). */
    private final Supplier<List<String>> listedNames;
    private volatile Built built;

    private record Group(String name, ObjectNode info) {}

    private record Built(ModelCatalog catalog, List<Group> groups) {}

    public ModelGroupInfoHandler(RequestPipeline pipeline, Router router, ModelAccess access, Pricing pricing,
                                 Supplier<List<String>> listedNames) {
        this.pipeline = pipeline;
        this.router = router;
        this.access = access;
        this.pricing = pricing;
        this.listedNames = listedNames;
    }

    public void handle(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal p = pipeline.authenticate(ctx);
            String only = req.getParam("model_group");
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray("data");
            if (only != null) {
                // A name a wildcard entry serves is answered even when the listing does not show it (LiteLLM does the same).
                if (router.catalog().contains(only) && access.allows(p, only)) data.add(describe(only, router.catalog().deployments(only)));
            } else {
                for (Group g : groups()) if (access.allows(p, g.name())) data.add(g.info());
            }
            Responses.json(ctx, 200, out);
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    private List<Group> groups() {
        ModelCatalog catalog = router.catalog();
        Built b = built;
        if (b == null || b.catalog() != catalog) {
            List<Group> groups = new ArrayList<>();
            for (String name : listedNames.get()) groups.add(new Group(name, describe(name, catalog.deployments(name))));
            built = b = new Built(catalog, List.copyOf(groups));
        }
        return b.groups();
    }

    /** One group as LiteLLM's ModelGroupInfo: maxima over its deployments, the sum of their rpm/tpm. */
    private ObjectNode describe(String name, List<Deployment> deployments) {
        Set<String> providers = new LinkedHashSet<>();
        Set<String> groups = new LinkedHashSet<>();
        Long maxIn = null;
        Long maxOut = null;
        Double inCost = null;
        Double outCost = null;
        String mode = null;
        Long tpm = null;
        Long rpm = null;
        boolean reasoning = false;
        ObjectNode flags = Json.object();
        for (String f : FLAGS) flags.put(f, false);
        for (Deployment d : deployments) {
            ModelPrice price = pricing.priceOf(d);
            providers.add(price.provider() != null ? price.provider() : d.provider());
            maxIn = max(maxIn, price.maxInputTokens());
            maxOut = max(maxOut, price.maxOutputTokens());
            inCost = max(inCost, price.inputCostPerToken());
            outCost = max(outCost, price.outputCostPerToken());
            if (mode == null) mode = price.mode();
            tpm = sum(tpm, d.longParam("tpm"));
            rpm = sum(rpm, d.longParam("rpm"));
            reasoning |= price.reasons();
            for (String f : FLAGS) {
                if (d.modelInfo() != null && d.modelInfo().path(f).asBoolean(false)) flags.put(f, true);
            }
            groups.addAll(ModelCatalog.accessGroupsOf(d));
        }
        ObjectNode o = Json.object();
        o.put("model_group", name);
        ArrayNode ps = o.putArray("providers");
        providers.forEach(ps::add);
        putNumber(o, "max_input_tokens", maxIn);
        putNumber(o, "max_output_tokens", maxOut);
        o.put("input_cost_per_token", inCost == null ? 0.0 : inCost);
        o.put("output_cost_per_token", outCost == null ? 0.0 : outCost);
        if (mode == null) o.putNull("mode");
        else o.put("mode", mode);
        putNumber(o, "tpm", tpm);
        putNumber(o, "rpm", rpm);
        o.setAll(flags);
        o.put("supports_reasoning", reasoning);
        o.putNull("configurable_clientside_auth_params");
        o.put("is_public_model_group", false);
        if (!groups.isEmpty()) {
            ArrayNode ag = o.putArray("access_groups");
            groups.forEach(ag::add);
        }
        return o;
    }

    private static <T extends Comparable<T>> T max(T a, T b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Long sum(Long a, Long b) {
        if (a == null) return b;
        if (b == null) return a;
        return a + b;
    }

    private static void putNumber(ObjectNode o, String field, Long v) {
        if (v == null) o.putNull(field);
        else o.put(field, v);
    }
}
