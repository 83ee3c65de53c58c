package dev.aigateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.config.DeploymentParser;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.core.SecretParams;
import dev.aigateway.db.StoreException;
import dev.aigateway.governance.Principal;
import dev.aigateway.governance.spend.Pricing;
import dev.aigateway.models.CredentialCipher;
import dev.aigateway.models.RuntimeModels;
import dev.aigateway.models.StoredModel;
import dev.aigateway.pricing.ModelPrice;
import dev.aigateway.provider.Providers;
import dev.aigateway.router.Router;
import dev.aigateway.server.RequestContext;
import dev.aigateway.server.RequestPipeline;
import dev.aigateway.server.Responses;
import dev.aigateway.server.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LiteLLM's runtime-model API: {@code POST /model/new}, {@code /model/update}, {@code /model/delete}, and
 * {@code GET /model/info} (also under {@code /v1}).
 *
 * <p>Writes go to the database (credentials encrypted, see {@link SecretParams}), then this instance reloads its
 * catalog at once and the other instances are told through {@link dev.aigateway.cluster.ClusterEvents}; their
 * periodic reload backs that up. A model is validated exactly like a config.yaml entry before it is stored, so the
 * database never holds one the router would refuse. Models from config.yaml are listed ({@code db_model: false})
 * but read-only. {@code /model/info} answers from memory and never shows a credential, nor the value of an
 * {@code os.environ/} reference. A change that sends a stored credential to another endpoint must give it again
 * ({@link ModelParamsMerge}).
 */
public final class ModelAdminHandler {
    private static final Pattern FIELD = Pattern.compile("^([A-Za-z0-9_.]+)");

    private final RequestPipeline pipeline;
    private final RuntimeModels models;
    private final Router router;
    private final ClusterEvents cluster;
    private final Pricing pricing;

    public ModelAdminHandler(RequestPipeline pipeline, RuntimeModels models, Router router, ClusterEvents cluster, Pricing pricing) {
        this.pipeline = pipeline;
        this.models = models;
        this.router = router;
        this.cluster = cluster;
        this.pricing = pricing;
    }

    public void register(Routes routes) {
        routes.add(HttpMethod.POST, "/model/new", this::create)
                .add(HttpMethod.POST, "/model/update", this::update)
                .add(HttpMethod.POST, "/model/delete", this::delete)
                .add(HttpMethod.GET, "/model/info", this::info);
    }

    public void create(HttpServerRequest req) {
        write(req, this::create);
    }

    public void update(HttpServerRequest req) {
        write(req, this::update);
    }

    public void delete(HttpServerRequest req) {
        write(req, this::delete);
    }

    /** {@code GET /model/info[?litellm_model_id=]}: every deployment, LiteLLM's shape, prices merged in. */
    public void info(HttpServerRequest req) {
        RequestContext ctx = pipeline.begin(req);
        try {
            Principal p = pipeline.authenticate(ctx);
            if (!p.mayReadAdminData()) {
                throw GatewayException.permission("/model/info needs the master key, an admin key or a read_only key.");
            }
            String onlyId = req.getParam("litellm_model_id");
            ObjectNode out = Json.object();
            ArrayNode data = out.putArray("data");
            for (Deployment d : router.catalog().all()) {
                if (onlyId == null || onlyId.equals(d.id())) data.add(describe(d));
            }
            if (onlyId != null && data.isEmpty()) {
                throw GatewayException.notFound("No model with id '" + onlyId + "' (litellm_model_id) on this gateway.");
            }
            Responses.json(ctx, 200, out);
        } catch (RuntimeException e) {
            Responses.error(ctx, translate(e));
        }
    }

    // --- the writes (worker threads)

    private ObjectNode create(ObjectNode body) {
        String name = requiredText(body, "model_name");
        ObjectNode params = requiredObject(body, "litellm_params");
        ObjectNode info = optionalObject(body, "model_info");
        String id = text(info.get("id"));
        if (id == null) id = UUID.randomUUID().toString();
        checkId(id);
        if (models.isConfigured(id)) {
            throw GatewayException.badRequest("model_info.id '" + id + "' is already the id of a model defined in config.yaml.", "model_info.id");
        }
        Instant now = Instant.now();
        StoredModel m = new StoredModel(id, name, params, withoutComputed(info), now, now);
        validate(m);
        models.store().insert(m);
        return changed(m);
    }

    private ObjectNode update(ObjectNode body) {
        ObjectNode infoIn = optionalObject(body, "model_info");
        String id = text(infoIn.get("id"));
        if (id == null) id = text(body.get("id"));
        if (id == null) throw GatewayException.badRequest("model_info.id is required: the id of the model to update (see GET /model/info).", "model_info.id");
        String givenId = id;
        StoredModel cur = models.store().byId(id).orElseThrow(() -> missing(givenId, "model_info.id"));
        String name = cur.modelName();
        if (body.has("model_name") && !body.get("model_name").isNull()) name = requiredText(body, "model_name");
        ObjectNode params = cur.litellmParams();
        JsonNode lp = body.get("litellm_params");
        if (lp != null && !lp.isNull()) params = ModelParamsMerge.apply(params, requiredObject(body, "litellm_params"));
        ObjectNode info = cur.modelInfo().deepCopy();
        withoutComputed(infoIn).properties().forEach(f -> {
            if (!f.getValue().isNull()) info.set(f.getKey(), f.getValue());
        });
        StoredModel next = new StoredModel(id, name, params, info, cur.createdAt(), Instant.now());
        validate(next);
        if (!models.store().update(next)) throw missing(id, "model_info.id");
        return changed(next);
    }

    private ObjectNode delete(ObjectNode body) {
        String id = text(body.get("id"));
        if (id == null) throw GatewayException.badRequest("id is required: the model_info.id of the model to delete (see GET /model/info).", "id");
        if (!models.store().delete(id)) throw missing(id, "id");
        models.reload();
        cluster.publishModelsChanged();
        ObjectNode out = Json.object();
        out.put("message", "Model: " + id + " deleted successfully");
        return out;
    }

    /** After a write: serve it here now, tell the other instances, answer with the model as /model/info shows it. */
    private ObjectNode changed(StoredModel m) {
        models.reload();
        cluster.publishModelsChanged();
        Deployment d = models.toDeployment(m, "");
        ObjectNode out = describe(d);
        out.put("model_id", m.id());
        out.put("created_at", m.createdAt().toString());
        out.put("updated_at", m.updatedAt().toString());
        return out;
    }

    /** The same checks as a config.yaml entry, plus: a credential can only be stored with a salt key. */
    private void validate(StoredModel m) {
        String model = text(m.litellmParams().get("model"));
        if (model != null && text(m.litellmParams().get("custom_llm_provider")) == null) {
            int slash = model.indexOf('/');
            if (slash > 0 && !Providers.knownPrefixes().contains(model.substring(0, slash))) {
                throw GatewayException.badRequest("litellm_params.model: unknown provider '" + model.substring(0, slash) + "' in '"
                        + model + "'. Known prefixes: " + String.join(", ", Providers.knownPrefixes())
                        + " (or set litellm_params.custom_llm_provider).", "litellm_params.model");
            }
        }
        models.toDeployment(m, "");
        if (!models.store().canStoreCredentials()) {
            var secrets = SecretParams.literalSecrets(m.litellmParams());
            if (!secrets.isEmpty()) throw new CredentialCipher.MissingSaltKeyException(secrets.get(0));
        }
    }

    // --- JSON shapes

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
        mi.put("litellm_provider", p.provider() != null ? p.provider() : d.provider());
        mi.put("mode", p.mode());
        putNumber(mi, "input_cost_per_token", p.inputCostPerToken());
        putNumber(mi, "output_cost_per_token", p.outputCostPerToken());
        putNumber(mi, "cache_read_input_token_cost", p.cacheReadInputTokenCost());
        putNumber(mi, "cache_creation_input_token_cost", p.cacheCreationInputTokenCost());
        putNumber(mi, "max_input_tokens", p.maxInputTokens());
        putNumber(mi, "max_output_tokens", p.maxOutputTokens());
        putNumber(mi, "max_tokens", p.maxOutputTokens());
        e.set("model_info", mi);
        return e;
    }

    private static void putNumber(ObjectNode o, String field, Number v) {
        if (v == null) o.putNull(field);
        else if (v instanceof Long l) o.put(field, l);
        else o.put(field, v.doubleValue());
    }

    /** model_info without what the gateway computes (id is the row's key; db_model and prices are derived). */
    private static ObjectNode withoutComputed(ObjectNode info) {
        ObjectNode out = info.deepCopy();
        out.remove(java.util.List.of("id", "db_model"));
        return out;
    }

    // --- request plumbing

    private void write(HttpServerRequest req, Function<ObjectNode, ObjectNode> work) {
        RequestContext ctx = pipeline.begin(req);
        try {
            pipeline.authenticateAdmin(ctx);
            pipeline.readJson(ctx)
                    .compose(body -> pipeline.blocking(() -> work.apply(body)))
                    .onSuccess(out -> Responses.json(ctx, 200, out))
                    .onFailure(t -> Responses.error(ctx, translate(t)));
        } catch (RuntimeException e) {
            Responses.error(ctx, translate(e));
        }
    }

    private GatewayException missing(String id, String param) {
        if (models.isConfigured(id)) {
            String name = router.catalog().all().stream().filter(d -> d.id().equals(id)).map(Deployment::modelName)
                    .findFirst().orElse("?");
            return GatewayException.badRequest("Model " + id + " (" + name + ") is defined in config.yaml, read-only: "
                    + "change it there and restart the gateway.", param);
        }
        return GatewayException.notFound("No runtime model with id '" + id + "' (" + param + "). GET /model/info lists the ids.");
    }

    /** Errors of the layers below, as the admin API's 400s (naming the field) and 503s. */
    public static Throwable translate(Throwable t) {
        if (t instanceof ConfigException c) {
            String msg = c.getMessage().startsWith(".") ? c.getMessage().substring(1) : c.getMessage();
            Matcher m = FIELD.matcher(msg);
            return GatewayException.badRequest(msg, m.find() ? m.group(1).replaceAll("\\.$", "") : null);
        }
        if (t instanceof CredentialCipher.MissingSaltKeyException s) {
            return GatewayException.badRequest(s.getMessage(), "litellm_params." + s.field());
        }
        if (t instanceof StoreException.Conflict c) return GatewayException.badRequest(c.getMessage(), "model_info.id");
        if (t instanceof StoreException s) return GatewayException.unavailable("The database is not available: " + s.getMessage());
        return t;
    }

    /** Checked before anything else is looked up by it: the same rule as config.yaml's ids. */
    private static void checkId(String id) {
        try {
            DeploymentParser.checkId(id, "model_info.id");
        } catch (ConfigException e) {
            throw GatewayException.badRequest(e.getMessage(), "model_info.id");
        }
    }

    private static String requiredText(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) throw GatewayException.badRequest(field + " is required.", field);
        if (!v.isTextual() || v.asText().isBlank()) throw GatewayException.badRequest(field + " must be a non-empty string.", field);
        return v.asText();
    }

    private static ObjectNode requiredObject(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw GatewayException.badRequest(field + " is required (e.g. {\"model\": \"openai/gpt-4o\", \"api_key\": \"sk-...\"}).", field);
        }
        if (!(v instanceof ObjectNode o)) throw GatewayException.badRequest(field + " must be a JSON object.", field);
        return o.deepCopy();
    }

    private static ObjectNode optionalObject(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return Json.object();
        if (!(v instanceof ObjectNode o)) throw GatewayException.badRequest(field + " must be a JSON object.", field);
        return o.deepCopy();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }
}
