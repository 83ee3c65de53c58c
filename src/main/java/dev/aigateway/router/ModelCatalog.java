package dev.aigateway.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aigateway.core.Deployment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The models clients can ask for, each with its deployments, as an immutable snapshot. Changes (runtime
 * models) build a new catalog and swap it in, so a request never sees a half-updated one.
 *
 * <p>An entry whose model_name holds a {@code *} is a wildcard ({@link ModelPattern}): it serves every name it
 * matches that no entry names exactly, the most specific pattern first ({@link ModelPattern#compareSpecificity}),
 * through concrete copies of its deployments that carry the upstream model ({@link Deployment#serving}). The patterns
 * are compiled and sorted here, once; a lookup is a hash probe, then at most one scan of the patterns.
 */
public final class ModelCatalog {
    /** Names one wildcard entry adds to a model listing at most. */
    public static final int MAX_LISTED_PER_PATTERN = 500;

    private final Map<String, List<Deployment>> byName;
    private final List<Group> patterns;
    private final List<Deployment> all;
    /** LiteLLM's access groups: each {@code model_info.access_groups} name, with the model_names whose entries list it. */
    private final Map<String, Set<String>> accessGroups;

    /** The deployments sharing one wildcard model_name. */
    private record Group(ModelPattern pattern, List<Deployment> deployments) {}

    public ModelCatalog(List<Deployment> deployments) {
        Map<String, List<Deployment>> m = new LinkedHashMap<>();
        for (Deployment d : deployments) m.computeIfAbsent(d.modelName(), k -> new ArrayList<>()).add(d);
        Map<String, List<Deployment>> exact = new LinkedHashMap<>();
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<Deployment>> e : m.entrySet()) {
            if (ModelPattern.isPattern(e.getKey())) groups.add(new Group(ModelPattern.compile(e.getKey()), List.copyOf(e.getValue())));
            else exact.put(e.getKey(), List.copyOf(e.getValue()));
        }
        groups.sort((a, b) -> a.pattern().compareSpecificity(b.pattern())); // stable: config order breaks ties
        this.byName = Collections.unmodifiableMap(exact);
        this.patterns = List.copyOf(groups);
        this.all = List.copyOf(deployments);
        this.accessGroups = accessGroups(deployments);
    }

    private static Map<String, Set<String>> accessGroups(List<Deployment> deployments) {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        for (Deployment d : deployments) {
            for (String g : accessGroupsOf(d)) groups.computeIfAbsent(g, k -> new LinkedHashSet<>()).add(d.modelName());
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        groups.forEach((g, names) -> out.put(g, Collections.unmodifiableSet(names)));
        return Collections.unmodifiableMap(out);
    }

    /** The access groups a deployment's {@code model_info.access_groups} names (validated by the config parser). */
    public static List<String> accessGroupsOf(Deployment d) {
        JsonNode groups = d.modelInfo() == null ? null : d.modelInfo().get("access_groups");
        if (groups == null || !groups.isArray() || groups.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(groups.size());
        for (JsonNode g : groups) if (g.isTextual()) out.add(g.asText());
        return out;
    }

    /** Every access group with the model_names in it (wildcard ones as their pattern). */
    public Map<String, Set<String>> accessGroups() {
        return accessGroups;
    }

    /**
     * The deployments serving a model name; empty when the name is unknown. For a name a wildcard entry serves, new
     * concrete copies of the entry's deployments.
     */
    public List<Deployment> deployments(String modelName) {
        List<Deployment> d = byName.get(modelName);
        if (d != null) return d;
        if (patterns.isEmpty() || !ModelPattern.matchable(modelName)) return List.of();
        for (Group g : patterns) {
            String[] captures = g.pattern().captures(modelName);
            if (captures == null) continue;
            List<Deployment> out = new ArrayList<>(g.deployments().size());
            for (Deployment w : g.deployments()) out.add(w.serving(modelName, upstreamModel(w, captures, modelName)));
            return out;
        }
        return List.of();
    }

    /**
     * The model a wildcard deployment sends for a requested name. Its template is the part of litellm_params.model after
     * the provider ({@code claude-*} of {@code anthropic/claude-*}); when LiteLLM would use the requested name as it is,
     * a {@code provider/} prefix naming the entry's own provider is dropped, as the config parser drops it.
     */
    static String upstreamModel(Deployment wildcard, String[] captures, String requested) {
        String model = ModelPattern.substitute(wildcard.model(), captures, requested);
        boolean asRequested = ModelPattern.usesRequestedName(wildcard.model(), captures);
        if (asRequested && requested.startsWith(wildcard.provider() + "/")) return requested.substring(wildcard.provider().length() + 1);
        return model;
    }

    /** The wildcard model_name serving a name no entry names exactly, or null. */
    public String patternFor(String modelName) {
        if (byName.containsKey(modelName) || patterns.isEmpty() || !ModelPattern.matchable(modelName)) return null;
        for (Group g : patterns) if (g.pattern().matches(modelName)) return g.pattern().pattern();
        return null;
    }

    /** Every model_name as configured, wildcard ones included. */
    public List<String> modelNames() {
        List<String> out = new ArrayList<>(byName.keySet());
        for (Group g : patterns) out.add(g.pattern().pattern());
        return out;
    }

    /**
     * The names a model listing shows: the exact names, then, for each wildcard entry (most specific first), the names
     * that reach the models {@code knownModels} lists for its provider (LiteLLM lists a provider wildcard as the
     * provider's models from its price map), at most {@link #MAX_LISTED_PER_PATTERN} each. An entry none of whose
     * known models fits is listed as its pattern, so it stays visible.
     *
     * @param knownModels a provider's known models, without the provider prefix
     */
    public List<String> listedNames(Function<String, Collection<String>> knownModels) {
        Set<String> out = new LinkedHashSet<>(byName.keySet());
        for (Group g : patterns) {
            int added = 0;
            for (Deployment w : g.deployments()) {
                for (String model : knownModels.apply(w.provider())) {
                    if (added >= MAX_LISTED_PER_PATTERN) break;
                    String name = g.pattern().nameFor(w.model(), model);
                    if (name != null && out.add(name)) added++;
                }
            }
            if (added == 0) out.add(g.pattern().pattern());
        }
        return List.copyOf(out);
    }

    public List<Deployment> all() {
        return all;
    }

    /** Whether a name is served: named exactly, or matched by a wildcard entry. */
    public boolean contains(String modelName) {
        if (byName.containsKey(modelName)) return true;
        return patternFor(modelName) != null;
    }
}
