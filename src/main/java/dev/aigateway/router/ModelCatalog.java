package dev.aigateway.router;

import dev.aigateway.core.Deployment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models clients can ask for, each with its deployments, as an immutable snapshot. Changes (runtime
 * models) build a new catalog and swap it in, so a request never sees a half-updated one.
 */
public final class ModelCatalog {
    private final Map<String, List<Deployment>> byName;
    private final List<Deployment> all;

    public ModelCatalog(List<Deployment> deployments) {
        Map<String, List<Deployment>> m = new LinkedHashMap<>();
        for (Deployment d : deployments) m.computeIfAbsent(d.modelName(), k -> new ArrayList<>()).add(d);
        m.replaceAll((k, v) -> List.copyOf(v));
        this.byName = Collections.unmodifiableMap(m);
        this.all = List.copyOf(deployments);
    }

    /** The deployments serving a model name; empty when the name is unknown. */
    public List<Deployment> deployments(String modelName) {
        List<Deployment> d = byName.get(modelName);
        return d == null ? List.of() : d;
    }

    public List<String> modelNames() {
        return List.copyOf(byName.keySet());
    }

    public List<Deployment> all() {
        return all;
    }

    public boolean contains(String modelName) {
        return byName.containsKey(modelName);
    }
}
