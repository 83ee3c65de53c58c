package dev.aigateway.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.cluster.ClusterEvents;
import dev.aigateway.config.DeploymentParser;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.GatewayException;
import dev.aigateway.core.Json;
import dev.aigateway.core.SecretParams;
import dev.aigateway.db.StoreException;
import dev.aigateway.provider.DeploymentProbe;
import dev.aigateway.provider.ProviderErrors;
import dev.aigateway.provider.Providers;
import dev.aigateway.router.Router;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the runtime-model routes do ({@code /model/new}, {@code /model/update}, {@code /model/delete}, {@code /model/test}):
 * the one write path of models added at run time. Requests come in LiteLLM's shape ({@code model_name},
 * {@code litellm_params}, {@code model_info}).
 *
 * <p>A model is validated exactly like a config.yaml entry ({@link DeploymentParser}) before it is stored, so the
 * database never holds one the router would refuse; a literal credential is stored only encrypted, so only with a salt
 * key ({@link CredentialCipher}); a change that sends a stored credential to another endpoint must give it again
 * ({@link ModelParamsMerge}). The database is written first (it is the source of truth), then this instance's catalog is
 * reloaded at once, so the very next request sees the change, and the change is announced on {@link ClusterEvents} so
 * the other instances reload too (their periodic reload backs that up). Writes are serialized in this process, so two
 * concurrent updates of one model cannot lose each other's fields; one instance is built per gateway.
 *
 * <p>Every failure is a {@link GatewayException}: an invalid field is a 400 naming it ({@link ConfigException#field()}),
 * a database that does not answer a 503. Every method but {@link #test} and {@link #served} blocks (JDBC): call them on
 * worker threads.
 */
public final class ModelService {
    /** How much of an upstream's error text a connection test shows. */
    public static final int MAX_ERROR_CHARS = 500;
    /** The id of a model that is only tested, never stored. */
    static final String TEST_ID = "connection-test";

    private final RuntimeModels models;
    private final Router router;
    private final ClusterEvents events;
    private final DeploymentProbe probe;
    private final Clock clock;
    private final Object writes = new Object();

    /** A stored model and the deployment it is served as. */
    public record Saved(StoredModel model, Deployment deployment) {}

    /**
     * A connection test's outcome.
     *
     * @param failure null when the deployment answered
     */
    public record Tested(Deployment deployment, long latencyMillis, Failure failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    /**
     * Why a test failed: the provider's own words, its credentials redacted (as every upstream error is, by
     * {@link ProviderErrors}) and at most {@value #MAX_ERROR_CHARS} characters.
     *
     * @param status the gateway's status for the failure, or null when it was not an answer of the gateway's error table
     */
    public record Failure(Integer status, String type, String message) {}

    public ModelService(RuntimeModels models, Router router, ClusterEvents events, Providers providers, Clock clock) {
        this.models = models;
        this.router = router;
        this.events = events;
        this.probe = new DeploymentProbe(providers);
        this.clock = clock;
    }

    /** Every deployment this instance serves now, config.yaml's and the database's (from memory, never blocks). */
    public List<Deployment> served() {
        return router.catalog().all();
    }

    /** {@code /model/new}: stores a model ({@code model_info.id} given or generated) and serves it. */
    public Saved create(ObjectNode body) {
        return answered(() -> {
            String name = requiredText(body, "model_name");
            ObjectNode params = requiredObject(body, "litellm_params");
            ObjectNode info = object(body, "model_info");
            String id = text(info.get("id"));
            if (id == null) id = UUID.randomUUID().toString();
            DeploymentParser.checkId(id, "model_info.id"); // before anything is looked up by it
            if (models.isConfigured(id)) {
                throw GatewayException.badRequest("model_info.id '" + id + "' is already the id of a model defined in config.yaml.", "model_info.id");
            }
            Instant now = clock.instant();
            StoredModel m = new StoredModel(id, name, params, withoutComputed(info), now, now);
            Deployment d = validate(m);
            synchronized (writes) {
                models.store().insert(m);
                models.reload();
            }
            events.publishModelsChanged();
            return new Saved(m, d);
        });
    }

    /**
     * {@code /model/update}: the model named by {@code model_info.id} (or {@code id}) with the given fields changed;
     * {@code litellm_params} are merged as {@link ModelParamsMerge} says, {@code model_info} fields replace stored ones.
     */
    public Saved update(ObjectNode body) {
        return answered(() -> {
            ObjectNode infoIn = object(body, "model_info");
            String given = text(infoIn.get("id"));
            if (given == null) given = text(body.get("id"));
            if (given == null) {
                throw GatewayException.badRequest("model_info.id is required: the id of the model to update (see GET /model/info).", "model_info.id");
            }
            String id = given;
            StoredModel next;
            Deployment d;
            synchronized (writes) {
                StoredModel cur = models.store().byId(id).orElseThrow(() -> missing(id, "model_info.id"));
                String name = cur.modelName();
                if (body.has("model_name") && !body.get("model_name").isNull()) name = requiredText(body, "model_name");
                ObjectNode params = cur.litellmParams();
                JsonNode lp = body.get("litellm_params");
                if (lp != null && !lp.isNull()) params = ModelParamsMerge.apply(params, requiredObject(body, "litellm_params"));
                ObjectNode info = cur.modelInfo().deepCopy();
                withoutComputed(infoIn).properties().forEach(f -> {
                    if (!f.getValue().isNull()) info.set(f.getKey(), f.getValue());
                });
                next = new StoredModel(id, name, params, info, cur.createdAt(), clock.instant());
                d = validate(next);
                if (!models.store().update(next)) throw missing(id, "model_info.id");
                models.reload();
            }
            events.publishModelsChanged();
            return new Saved(next, d);
        });
    }

    /** {@code /model/delete}: removes the model named by {@code id}; returns that id. */
    public String delete(ObjectNode body) {
        return answered(() -> {
            String id = text(body.get("id"));
            if (id == null) throw GatewayException.badRequest("id is required: the model_info.id of the model to delete (see GET /model/info).", "id");
            synchronized (writes) {
                if (!models.store().delete(id)) throw missing(id, "id");
                models.reload();
            }
            events.publishModelsChanged();
            return id;
        });
    }

    /**
     * The deployment {@code /model/test} calls, never stored: {@code litellm_params} given are tested (merged over the
     * stored ones first when {@code model_info.id} names a database model, exactly as an update merges: an empty
     * credential keeps the stored one only while the endpoint stays the same); only {@code model_info.id} given: that
     * deployment as it is served now. Blocking: may read a stored model.
     */
    public Deployment deploymentToTest(ObjectNode body) {
        return answered(() -> {
            ObjectNode info = object(body, "model_info");
            String id = text(info.get("id"));
            JsonNode lp = body.get("litellm_params");
            if (lp == null || lp.isNull()) {
                if (id == null) throw GatewayException.badRequest("Give litellm_params to test, or the model_info.id of a model.", "litellm_params");
                return served().stream().filter(d -> d.id().equals(id)).findFirst()
                        .orElseThrow(() -> GatewayException.notFound("No model with id '" + id + "' on this gateway (GET /model/info lists them)."));
            }
            ObjectNode params = object(body, "litellm_params");
            String name = text(body.get("model_name"));
            Optional<StoredModel> stored = id == null || models.isConfigured(id) ? Optional.empty() : models.store().byId(id);
            if (stored.isPresent()) {
                params = ModelParamsMerge.apply(stored.get().litellmParams(), params);
                if (name == null) name = stored.get().modelName();
                info = mergedInfo(stored.get().modelInfo(), info);
            }
            checkTestedPrefix(params);
            Instant now = clock.instant();
            StoredModel m = new StoredModel(TEST_ID, name == null ? TEST_ID : name, params, withoutComputed(info), now, now);
            return models.toDeployment(m, "");
        });
    }

    /** Sends the deployment one tiny request (as {@code /health} does); never fails: a refusal is the outcome. */
    public Future<Tested> test(Deployment d) {
        if (d.wildcard() && (d.modelInfo() == null || !d.modelInfo().hasNonNull("health_check_model"))) {
            // Health checks skip such an entry; a connection test that called nothing must not report success.
            return Future.succeededFuture(new Tested(d, 0, new Failure(null, null, "Not tested: `" + d.modelName()
                    + "` is a wildcard entry with no model of its own; set model_info.health_check_model to the model to call.")));
        }
        long start = System.nanoTime();
        return probe.probe(d).transform(ar -> {
            long millis = (System.nanoTime() - start) / 1_000_000;
            return Future.succeededFuture(new Tested(d, millis, ar.failed() ? failure(ar.cause()) : null));
        });
    }

    // --- checks

    /** The same checks as a config.yaml entry, plus: a credential can only be stored with a salt key. */
    private Deployment validate(StoredModel m) {
        String model = text(m.litellmParams().get("model"));
        if (model != null && text(m.litellmParams().get("custom_llm_provider")) == null) {
            int slash = model.indexOf('/');
            if (slash > 0 && !Providers.knownPrefixes().contains(model.substring(0, slash))) {
                throw GatewayException.badRequest("litellm_params.model: unknown provider '" + model.substring(0, slash) + "' in '"
                        + model + "'. Known prefixes: " + String.join(", ", Providers.knownPrefixes())
                        + " (or set litellm_params.custom_llm_provider).", "litellm_params.model");
            }
        }
        Deployment d = models.toDeployment(m, "");
        if (!models.store().canStoreCredentials()) {
            var secrets = SecretParams.literalSecrets(m.litellmParams());
            if (!secrets.isEmpty()) throw new CredentialCipher.MissingSaltKeyException(secrets.get(0));
        }
        return d;
    }

    /** A tested model needs a model, and a known prefix (named before the parser's longer message). */
    private static void checkTestedPrefix(ObjectNode params) {
        String model = text(params.get("model"));
        if (model == null) throw GatewayException.badRequest("litellm_params.model is required (e.g. openai/gpt-4o-mini).", "litellm_params.model");
        int slash = model.indexOf('/');
        if (slash > 0 && text(params.get("custom_llm_provider")) == null && !Providers.knownPrefixes().contains(model.substring(0, slash))) {
            throw GatewayException.badRequest("litellm_params.model: unknown provider '" + model.substring(0, slash) + "'. Known prefixes: "
                    + String.join(", ", new TreeSet<>(Providers.knownPrefixes())) + ".", "litellm_params.model");
        }
    }

    private GatewayException missing(String id, String param) {
        if (models.isConfigured(id)) {
            String name = served().stream().filter(d -> d.id().equals(id)).map(Deployment::modelName).findFirst().orElse("?");
            return GatewayException.badRequest("Model " + id + " (" + name + ") is defined in config.yaml, read-only: "
                    + "change it there and restart the gateway.", param);
        }
        return GatewayException.notFound("No runtime model with id '" + id + "' (" + param + "). GET /model/info lists the ids.");
    }

    /** Failures of the layers below as answers: an invalid field is the caller's 400 naming it, a database failure a 503. */
    private static <T> T answered(Supplier<T> work) {
        try {
            return work.get();
        } catch (ConfigException e) {
            throw GatewayException.badRequest(e.getMessage(), e.field());
        } catch (CredentialCipher.MissingSaltKeyException e) {
            throw GatewayException.badRequest(e.getMessage(), "litellm_params." + e.field());
        } catch (StoreException.Conflict e) {
            throw GatewayException.badRequest(e.getMessage(), "model_info.id");
        } catch (StoreException e) {
            throw GatewayException.unavailable("The database is not available: " + e.getMessage());
        }
    }

    private static Failure failure(Throwable t) {
        // The upstream's own words, for the admin who asked (the route is admin-only): its credentials were redacted
        // where every upstream error passes (ProviderErrors.scrub), and its length is bounded, so a URL pointing at
        // some internal service reads back no more than a line of it.
        String message = ProviderErrors.bounded(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), MAX_ERROR_CHARS);
        if (t instanceof GatewayException g) return new Failure(g.status(), g.type(), message);
        return new Failure(null, null, message);
    }

    // --- JSON shapes

    /** model_info without what the gateway computes (id is the row's key; db_model and prices are derived). */
    private static ObjectNode withoutComputed(ObjectNode info) {
        ObjectNode out = info.deepCopy();
        out.remove(List.of("id", "db_model"));
        return out;
    }

    private static ObjectNode mergedInfo(ObjectNode stored, ObjectNode given) {
        ObjectNode out = stored.deepCopy();
        given.properties().forEach(e -> {
            if (!e.getValue().isNull()) out.set(e.getKey(), e.getValue());
        });
        return out;
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

    /** The object at {@code field}, a copy; empty when absent or null. */
    private static ObjectNode object(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return Json.object();
        if (!(v instanceof ObjectNode o)) throw GatewayException.badRequest(field + " must be a JSON object.", field);
        return o.deepCopy();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }
}
