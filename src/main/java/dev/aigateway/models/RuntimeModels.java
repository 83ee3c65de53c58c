package dev.aigateway.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aigateway.config.DeploymentParser;
import dev.aigateway.config.EnvReferences;
import dev.aigateway.core.ConfigException;
import dev.aigateway.core.Deployment;
import dev.aigateway.core.Json;
import dev.aigateway.router.ModelCatalog;
import dev.aigateway.router.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The router's models = config.yaml's {@code model_list} (read-only) + the runtime models of the database
 * ({@code /model/new}). A reload reads {@code proxy_models}, turns each row into a {@link Deployment} with the same
 * {@link DeploymentParser} config.yaml goes through (same validation; {@code os.environ/} only where
 * {@link EnvReferences#runtimeModels} allows it), and swaps
 * a new {@link ModelCatalog} into the {@link Router}: requests never see a half-built catalog and never wait for
 * the database.
 *
 * <p>Reloads happen at start-up, right after a change through the admin API on this instance, when another
 * instance announces a change (cluster event), and periodically as a safety net. They block (JDBC): call them on
 * worker threads. They are serialized, and a reload that reads the same rows as the previous one swaps nothing.
 */
public final class RuntimeModels {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeModels.class);

    private final List<Deployment> configured;
    private final Set<String> configuredIds = new HashSet<>();
    private final ModelStore store;
    private final Router router;
    private final EnvReferences environment;
    private final ObjectNode routerDefaults;
    private final Object lock = new Object();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private List<StoredModel> loaded; // guarded by lock
    private volatile boolean failing;

    /**
     * @param configured     config.yaml's deployments
     * @param environment    which {@code os.environ/NAME} references runtime models may use, and their values
     * @param routerDefaults router_settings (timeout, stream_timeout defaults)
     */
    public RuntimeModels(List<Deployment> configured, ModelStore store, Router router, EnvReferences environment,
                         ObjectNode routerDefaults) {
        this.configured = List.copyOf(configured);
        this.store = store;
        this.router = router;
        this.environment = environment;
        this.routerDefaults = routerDefaults == null ? Json.object() : routerDefaults;
        for (Deployment d : configured) configuredIds.add(d.id());
    }

    public ModelStore store() {
        return store;
    }

    /** Whether an id belongs to a config.yaml model (read-only through the admin API). */
    public boolean isConfigured(String id) {
        return configuredIds.contains(id);
    }

    /** The first load, before the gateway listens: a credential that does not decrypt stops start-up. */
    public void loadAtStartup() {
        try {
            reload();
        } catch (CredentialCipher.WrongKeyException e) {
            throw SaltKeyCheck.mismatch(store.where());
        }
    }

    /** Reads the database and swaps in the new catalog if anything changed (blocking; throws when the database fails). */
    public void reload() {
        synchronized (lock) {
            List<StoredModel> rows = store.all();
            if (rows.equals(loaded)) return;
            List<Deployment> all = new ArrayList<>(configured);
            for (StoredModel m : rows) {
                if (configuredIds.contains(m.id())) {
                    LOG.warn("Runtime model {} ({}) has the id of a config.yaml model and is ignored.", m.id(), m.modelName());
                    continue;
                }
                try {
                    all.add(toDeployment(m, "proxy_models[" + m.id() + "]"));
                } catch (ConfigException e) {
                    LOG.warn("Runtime model {} ({}) is not served: {}", m.id(), m.modelName(), e.getMessage());
                }
            }
            router.update(new ModelCatalog(all));
            loaded = rows;
        }
    }

    /** The periodic safety net: skipped while another refresh runs, logs a failure once until it recovers. */
    public void refresh() {
        if (!refreshing.compareAndSet(false, true)) return;
        try {
            reloadLogged();
        } finally {
            refreshing.set(false);
        }
    }

    /** A reload that logs instead of throwing (cluster events, periodic refresh): the current catalog stays. */
    public void reloadLogged() {
        try {
            reload();
            if (failing) LOG.info("Runtime models are reloading from the database again.");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) LOG.warn("Could not reload runtime models from the database (serving the ones in memory): {}", e.getMessage());
            failing = true;
        }
    }

    /**
     * A stored model as a deployment, validated exactly like a config.yaml entry.
     *
     * @param where the path named in error messages and {@link ConfigException#field()} ("" names the fields from the
     *              entry: "litellm_params.timeout")
     * @throws ConfigException when a field is invalid
     */
    public Deployment toDeployment(StoredModel m, String where) {
        ObjectNode entry = Json.object();
        entry.put("model_name", m.modelName());
        entry.set("litellm_params", m.litellmParams());
        ObjectNode info = m.modelInfo().deepCopy();
        info.put("id", m.id());
        entry.set("model_info", info);
        Deployment d = DeploymentParser.parse(entry, where, environment, routerDefaults, false, new ArrayList<>());
        if (!Objects.equals(d.id(), m.id())) throw new IllegalStateException("deployment id changed while parsing");
        return d;
    }
}
