package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.access.ModelAccess;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.models.ModelService;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Function;

/**
 * LiteLLM's runtime-model API over HTTP: {@code POST /model/new}, {@code /model/update}, {@code /model/delete}, and
 * {@code GET /model/info} (also under {@code /v1}, and as {@code /v2/model/info}). The writes are {@link ModelService}'s (validation, encryption,
 * the credential-redirect rule, reload and announcement); this class authenticates, reads the body, runs the write on
 * a worker thread and shapes the answer.
 *
 * <p>Models from config.yaml are listed ({@code db_model: false}) but read-only. {@code /model/info} answers from
 * memory and never shows a credential, nor the value of an {@code os.environ/} reference.
 */
public final class ModelAdminHandler {
    private final RequestPipeline pipeline;
    private final ModelService models;
    private final Pricing pricing;
    private final ModelAccess access;

    public ModelAdminHandler(RequestPipeline pipeline, ModelService models, Pricing pricing, ModelAccess access) {
        this.pipeline = pipeline;
        this.models = models;
        this.pricing = pricing;
        this.access = access;
    }

    public void register(Routes routes) {
        routes.add(HttpMethod.POST, "/model/new", this::create)
                .add(HttpMethod.POST, "/model/update", this::update)
                .add(HttpMethod.POST, "/model/delete", this::delete)
                .add(HttpMethod.GET, "/model/info", this::info)
                .add(HttpMethod.GET, "/v2/model/info", this::info);
    }

    public void create(HttpServerRequest req) {
        write(req, body -> changed(models.create(body)));
    }

    public void update(HttpServerRequest req) {
        write(req, body -> changed(models.update(body)));
    }

    public void delete(HttpServerRequest req) {
        write(req, body -> {
            String id = models.delete(body);
            ObjectNode out = Json.object();
            out.put("message", "Model: " + id + " deleted successfully");
            return out;
        });
    }

    /**
     * {@code GET /model/info[?litellm_model_id=]} (and {@code /v2/model/info}): the deployments, LiteLLM's shape, prices
     * merged in. Admin and read_only keys see every one; any other key, as in LiteLLM, only those its {@code models} allow.
     */
    public void info(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal p = pipeline.authenticate(ctx);
            boolean everything = p.mayReadAdminData();
            String onlyId = req.getParam("litellm_model_id");
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray("data");
            for (Deployment d : models.served()) {
                if ((onlyId == null || onlyId.equals(d.id())) && (everything || access.allows(p, d.modelName()))) data.add(describe(d));
            }
            if (onlyId != null && data.isEmpty()) {
                throw GatewayException.notFound("No model with id '" + onlyId + "' (litellm_model_id) on this gateway.");
            }
            Responses.json(ctx, 200, out);
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }

    /** The answer to a write: the model as /model/info shows it, with its id and times. */
    private ObjectNode changed(ModelService.Saved saved) {
        ObjectNode out = describe(saved.deployment());
        out.put("model_id", saved.model().id());
        out.put("created_at", saved.model().createdAt().toString());
        out.put("updated_at", saved.model().updatedAt().toString());
        return out;
    }

    /**
     * One /model/info entry: the parameters as written (an os.environ/ reference, never its value), credentials never
     * shown, api_base masked; model_info gets id, db_model and the effective prices.
     */
    private ObjectNode describe(Deployment d) {
        ObjectNode e = Json.object();
        e.put("model_name", d.modelName());
        e.set("litellm_params", d.shownParams() == null ? Json.object() : d.shownParams().deepCopy());
        ObjectNode mi = d.modelInfo() == null ? Json.object() : d.modelInfo().deepCopy();
        mi.put("id", d.id());
        mi.put("db_model", !d.fromConfig());
        ModelPrice p = pricing.priceOf(d);
        putPriceSource(mi, d);
        mi.put("litellm_provider", p.provider() != null ? p.provider() : d.provider());
        mi.put("mode", p.mode());
        putNumber(mi, "input_cost_per_token", p.inputCostPerToken());
        putNumber(mi, "output_cost_per_token", p.outputCostPerToken());
        putNumber(mi, "cache_read_input_token_cost", p.cacheReadInputTokenCost());
        putNumber(mi, "cache_creation_input_token_cost", p.cacheCreationInputTokenCost());
        putNumber(mi, "max_input_tokens", p.maxInputTokens());
        putNumber(mi, "max_output_tokens", p.maxOutputTokens());
        putNumber(mi, "max_tokens", p.maxOutputTokens());
        mi.put("supports_reasoning", p.reasons()); // whether /v1/messages' thinking reaches it
        // the prices of images, audio, speech and rerank models, where the model has them
        var u = p.units();
        if (u.perImage() != null) mi.put("input_cost_per_image", u.perImage());
        if (u.perPixel() != null) mi.put("input_cost_per_pixel", u.perPixel());
        if (u.perSecond() != null) mi.put("input_cost_per_second", u.perSecond());
        if (u.perCharacter() != null) mi.put("input_cost_per_character", u.perCharacter());
        if (u.perQuery() != null) mi.put("input_cost_per_query", u.perQuery());
        e.set("model_info", mi);
        return e;
    }

    /**
     * LiteLLM's {@code key}: the price table's entry the prices come from; and, when that is the base model's entry
     * (a dated cloud id the table does not list), a note saying so.
     */
    private void putPriceSource(ObjectNode mi, Deployment d) {
        var entry = pricing.tableEntry(d);
        if (entry == null) return;
        if (!mi.has("key")) mi.put("key", entry.key());
        if (entry.fallback()) {
            mi.put("price_note", "No price for " + d.provider() + "/" + d.model() + " in the price map: priced as " + entry.key() + ".");
        }
    }

    private static void putNumber(ObjectNode o, String field, Number v) {
        if (v == null) o.putNull(field);
        else if (v instanceof Long l) o.put(field, l);
        else o.put(field, v.doubleValue());
    }

    /** Admin only; the write runs on a worker thread (it blocks on the database). */
    private void write(HttpServerRequest req, Function<ObjectNode, ObjectNode> work) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticateAdmin(ctx);
            pipeline.readJson(ctx)
                    .compose(body -> pipeline.blocking(() -> work.apply(body)))
                    .onSuccess(out -> Responses.json(ctx, 200, out))
                    .onFailure(t -> Responses.error(ctx, t));
        } catch (RuntimeException e) {
            Responses.error(ctx, e);
        }
    }
}
